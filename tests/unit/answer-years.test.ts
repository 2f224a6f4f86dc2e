import { describe, expect, it } from "vitest";
import { askedFor } from "../../src/answer/answer-type.ts";
import { periodYears, statesOtherYears } from "../../src/answer/years.ts";
import type { Fact } from "../../src/knowledge/schema.ts";
import { Analyzer } from "../../src/search/analyzer.ts";

const analyzer = new Analyzer();
const words = (question: string) => analyzer.words(question);
const fact = (ru: string, kk = ru) => ({ answer: { kk, ru } }) as Fact;

const TURNOVER_2018 = fact(
  "По словам Токаева (XVI форум в Омске, 2019), в 2018 году товарооборот превысил 6,5 триллиона тенге",
  "Тоқаевтың айтуынша (Омбыдағы XVI форум, 2019), 2018 жылы тауар айналымы 6,5 триллион теңгеден асты",
);
const NEXT_FORUM = fact("следующий форум пройдёт в Казахстане");

describe("the year a figure is asked for", () => {
  it("reads a year as the figure's period, unless it names a meeting", () => {
    expect(periodYears(words("Какой был товарооборот в 2019 году?"))).toEqual(["2019"]);
    expect(periodYears(words("2019 жылы тауар айналымы қанша болды"))).toEqual(["2019"]);
    expect(periodYears(words("что подписали на форуме 2019 года"))).toEqual([]);
    expect(periodYears(words("2019 жылғы форумда не айтылды"))).toEqual([]);
  });

  it("takes a fact on another year for a near miss, not the year of the forum it was told at", () => {
    expect(statesOtherYears(TURNOVER_2018, 2019, ["2019"])).toBe(true);
    expect(statesOtherYears(TURNOVER_2018, 2019, ["2018"])).toBe(false);
    // A fact that gives no year of its own cannot be told apart by one.
    expect(statesOtherYears(NEXT_FORUM, 2019, ["2020"])).toBe(false);
    expect(statesOtherYears(TURNOVER_2018, 2019, [])).toBe(false);
  });

  it("does not take a named year for a question about when", () => {
    expect(askedFor(words("Какой был товарооборот в 2019 году?")).time).toBe(false);
    expect(askedFor(words("В каком году прошёл первый форум?")).time).toBe(true);
  });
});
