import { describe, expect, it } from "vitest";
import { placedElsewhere, placeOfFact, placesIn } from "../../src/answer/direction.ts";
import type { Fact } from "../../src/knowledge/schema.ts";
import { Analyzer } from "../../src/search/analyzer.ts";

const analyzer = new Analyzer();
const places = (text: string) => [...placesIn(analyzer.words(text))].sort();
const fact = (ru: string) => ({ answer: { kk: "", ru } }) as Fact;

const STUDENTS = fact("в российских вузах обучаются около 74 тысяч граждан Казахстана");
const ENTERPRISES = fact("в Казахстане успешно работает более 6800 российских предприятий");

describe("the country a figure is in", () => {
  it("is where the text places it, in Russian or in Kazakh", () => {
    expect(places("Сколько российских студентов учится в Казахстане?")).toEqual(["kz"]);
    expect(places("сколько казахстанцев учится в российских вузах")).toEqual(["ru"]);
    expect(places("инвестиции России в экономику Казахстана")).toEqual(["kz"]);
    expect(places("Қазақстанда қанша ресейлік студент оқиды?")).toEqual(["kz"]);
    expect(places("Қазақстан Ресейге қанша инвестиция салды")).toEqual(["ru"]);
    expect(places("торговля в России и Казахстане")).toEqual(["kz", "ru"]);
    // A country named as an origin or an owner places nothing.
    expect(places("российские студенты")).toEqual([]);
    expect(places("Ресейден келген инвестиция")).toEqual([]);
  });

  it("reads a fact's place from its Russian answer", () => {
    expect([...placeOfFact(STUDENTS)]).toEqual(["ru"]);
    expect([...placeOfFact(ENTERPRISES)]).toEqual(["kz"]);
  });

  it("tells a question about the other country from one the fact answers", () => {
    expect(
      placedElsewhere(STUDENTS, placesIn(analyzer.words("российских студентов в Казахстане"))),
    ).toBe(true);
    expect(
      placedElsewhere(STUDENTS, placesIn(analyzer.words("казахстанских студентов в России"))),
    ).toBe(false);
    // A question that places nothing, or both countries, is not contradicted.
    expect(placedElsewhere(STUDENTS, placesIn(analyzer.words("сколько студентов")))).toBe(false);
    expect(
      placedElsewhere(ENTERPRISES, placesIn(analyzer.words("предприятия в России и Казахстане"))),
    ).toBe(false);
  });
});
