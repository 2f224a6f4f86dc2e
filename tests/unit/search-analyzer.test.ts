import { describe, expect, it } from "vitest";
import { Analyzer, ordinalKey, ordinalValue, romanValue } from "../../src/search/analyzer.ts";

const analyzer = new Analyzer();
const keysOf = (text: string) => analyzer.analyze(text).map((term) => term.keys);

describe("numbers written as words", () => {
  it("reads Roman numerals", () => {
    expect(romanValue("xvi")).toBe(16);
    expect(romanValue("xviii")).toBe(18);
    expect(romanValue("форум")).toBeNull();
  });

  it("reads Russian ordinals in any case and gender", () => {
    expect(ordinalValue("шестнадцатого")).toBe(16);
    expect(ordinalValue("восемнадцатый")).toBe(18);
    expect(ordinalValue("первая")).toBe(1);
    expect(ordinalValue("третьего")).toBe(3);
    // Words that only begin like an ordinal are not numbers.
    expect(ordinalValue("пятница")).toBeNull();
    expect(ordinalValue("вторник")).toBeNull();
  });

  it("reads Kazakh ordinals, folded and with case endings", () => {
    expect(ordinalValue("алтыншы")).toBe(6);
    expect(ordinalValue("биринши")).toBe(1);
    expect(ordinalValue("оныншыда")).toBe(10);
  });

  it("gives a forum's number one rank key however it is written, apart from a count", () => {
    const sixteen = ["XVI форум", "шестнадцатого форума", "он алтыншы форум", "Он алтыншы форумда"];
    for (const text of sixteen) {
      expect(
        keysOf(text).some((keys) => keys.includes(ordinalKey(16))),
        text,
      ).toBe(true);
    }
    // Digits are a count here; the retriever also reads them as a rank in a question.
    expect(keysOf("16-й форум")[0]).toEqual(["16"]);
    expect(keysOf("17 документов").flat()).not.toContain(ordinalKey(17));
    expect(keysOf("XVII форум").flat()).not.toContain("17");
    // "он" alone is Russian "he", and a Kazakh ten only before an ordinal.
    expect(keysOf("он сказал").flat()).not.toContain(ordinalKey(10));
  });
});
