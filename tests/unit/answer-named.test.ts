import { beforeAll, describe, expect, it } from "vitest";
import { FactNames } from "../../src/answer/named.ts";
import { type KnowledgeBase, loadKnowledgeBase } from "../../src/knowledge/load.ts";
import type { Fact } from "../../src/knowledge/schema.ts";
import { Analyzer } from "../../src/search/analyzer.ts";

let kb: KnowledgeBase;
let named: FactNames;
const fact = (ru: string, kk = "") => ({ answer: { kk, ru } }) as Fact;

beforeAll(() => {
  kb = loadKnowledgeBase();
  named = new FactNames(new Analyzer(kb.aliases), kb.aliases);
});

describe("what a fact names", () => {
  it("names an office-holder when a name follows the office", () => {
    expect(
      named.officeHolder(fact("губернатор Оренбургской области Денис Паслер рассказал участникам")),
    ).toBe(true);
    expect(
      named.officeHolder(fact("заседание прошло под председательством Президента Беларуси")),
    ).toBe(false);
    // Tokayev is named, but not as the holder of the office asked about.
    expect(
      named.officeHolder(fact("Касым-Жомарт Токаев и Премьер-министр Молдовы приняли участие")),
    ).toBe(false);
  });

  it("names a city other than where the speaker spoke", () => {
    expect(named.city(fact("По словам Токаева на форуме в Омске, филиал откроют в регионе"))).toBe(
      false,
    );
    expect(named.city(fact("Следующий форум пройдёт в Кокшетау"))).toBe(true);
    expect(
      named.city(fact("", "Тоқаевтың айтуынша (Омбыдағы XVI форум, 2019), филиал ашылады")),
    ).toBe(false);
  });

  it("lists the people an answer names, in either language and any case", () => {
    expect([...named.persons(fact("", "Владимир Путиннің айтуынша, инвестиция өсті"))]).toEqual([
      "@putin",
    ]);
    expect([...named.persons(fact("Вместе с Касым-Жомартом Токаевым участвовали главы"))]).toEqual([
      "@tokayev",
    ]);
  });
});
