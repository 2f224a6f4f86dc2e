import { describe, expect, it } from "vitest";
import { type DocumentInput, Retriever } from "../../src/search/retriever.ts";

const doc = (question: string, answer: string): DocumentInput => ({
  fields: [{ text: answer, weight: 0.5 }],
  phrasings: [{ text: question, lang: "ru" }],
  phrasingWeight: 1,
});

const retriever = new Retriever([
  doc("Где прошёл бизнес-форум?", "Деловой форум прошёл в Омске."),
  doc("Саммит прошёл по видеосвязи?", "Саммит прошёл по видеосвязи."),
  doc("Что такое вакцинный паспорт?", "Паспорт вакцинации признают обе страны."),
]);
const term = (question: string, word: string) =>
  retriever.search(question).terms.find((t) => t.word === word);

describe("compound words", () => {
  it("reads a compound written as one word as both its parts", () => {
    const summit = term("когда был видеосаммит", "видеосаммит");
    expect(summit?.unknown).toBe(false);
    expect(summit?.keys).toContain("саммит");
    expect(summit?.keys).toContain("видеосвяз");
    expect(term("бизнесфорум в омске", "бизнесфорум")?.keys).toEqual(
      expect.arrayContaining(["форум", "бизнес"]),
    );
  });

  it("keeps a compound unknown when its first part is unknown: it may change the meaning", () => {
    const passport = term("нужен ли загранпаспорт", "загранпаспорт");
    expect(passport?.unknown).toBe(true);
    expect(passport?.keys).not.toContain("паспорт");
  });
});

describe("a person named by title", () => {
  const people = new Retriever(
    [
      doc("Что предложил Токаев?", "Токаев предложил российской стороне новый проект."),
      doc("Что сказал Путин?", "Путин поддержал проект."),
    ],
    [
      {
        id: "putin",
        kind: "person",
        kk: ["Путин", "Ресей Президенті"],
        ru: ["Путин", "российский президент"],
        other: [],
      },
      { id: "tokayev", kind: "person", kk: ["Тоқаев"], ru: ["Токаев"], other: [] },
    ],
  );

  it("stands for the person, not for the words of the title", () => {
    const [first, second] = people.search("что сказал российский президент о проекте").candidates;
    expect(first?.doc).toBe(1);
    // "российский" alone would have matched "российской стороне" in the fact on Tokayev.
    expect(second?.missesSpecific).toBe(true);
  });
});

describe("a forum's number", () => {
  const forums = new Retriever([
    doc(
      "Сколько документов подписали на XVIII форуме?",
      "На XVIII форуме подписали 17 документов.",
    ),
  ]);

  it("matches the forum's rank whether typed in digits or Roman numerals", () => {
    const [typed] = forums.search("18-й форум документы").candidates;
    expect(typed?.missesSpecific).toBe(false);
  });

  it("does not take the XVII forum for a count of 17", () => {
    const [other] = forums.search("Сколько документов подписали на XVII форуме?").candidates;
    expect(other?.missesSpecific).toBe(true);
  });
});
