import { describe, expect, it } from "vitest";
import {
  contentTokens,
  isQuestionWord,
  isStopWord,
  QUESTION_WORDS,
  STOP_WORDS,
  tokenize,
  tokenizeFolded,
} from "../../src/search/tokenize.ts";

describe("tokenize", () => {
  it("normalizes and splits on spaces, keeping numbers and signs", () => {
    expect(tokenize("Тауар айналымы 6,5 триллион теңгеден асты!")).toEqual([
      "тауар",
      "айналымы",
      "6.5",
      "триллион",
      "теңгеден",
      "асты",
    ]);
    expect(tokenize("Товарооборот вырос на 6%-ға, до $20 млрд")).toEqual([
      "товарооборот",
      "вырос",
      "на",
      "6",
      "%",
      "до",
      "20",
      "$",
      "млрд",
    ]);
    expect(tokenize("18 200 тонн")).toEqual(["18200", "тонн"]);
    expect(tokenize("")).toEqual([]);
    expect(tokenize(" — ")).toEqual([]);
  });

  it("tokenizeFolded folds the Kazakh letters", () => {
    expect(tokenizeFolded("Қашан өтеді?")).toEqual(["кашан", "отеди"]);
  });
});

describe("stop words and question words", () => {
  it("keeps question words out of the stop words", () => {
    for (const lang of ["kk", "ru"] as const) {
      for (const q of QUESTION_WORDS[lang]) expect(STOP_WORDS[lang].has(q), q).toBe(false);
    }
  });

  it("writes Kazakh lists folded and looks tokens up in any form", () => {
    for (const w of [...STOP_WORDS.kk, ...QUESTION_WORDS.kk]) {
      expect(w, w).not.toMatch(/[әғқңөұүһі]/);
    }
    expect(isStopWord("және", "kk")).toBe(true);
    expect(isStopWord("жане", "kk")).toBe(true);
    expect(isStopWord("туралы", "kk")).toBe(true);
    expect(isQuestionWord("қанша", "kk")).toBe(true);
    expect(isQuestionWord("канша", "kk")).toBe(true);
    expect(isQuestionWord("қай", "kk")).toBe(true);
    expect(isQuestionWord("қашан", "kk")).toBe(true);
    expect(isQuestionWord("кім", "kk")).toBe(true);
    expect(isStopWord("қанша", "kk")).toBe(false);
    expect(isStopWord("и", "ru")).toBe(true);
    expect(isStopWord("в", "ru")).toBe(true);
    expect(isQuestionWord("сколько", "ru")).toBe(true);
    expect(isQuestionWord("когда", "ru")).toBe(true);
    expect(isStopWord("товарооборот", "ru")).toBe(false);
    // Without a language, either list counts.
    expect(isStopWord("жане")).toBe(true);
    expect(isStopWord("для")).toBe(true);
    expect(isQuestionWord("кашан")).toBe(true);
    expect(isQuestionWord("сколько")).toBe(true);
    expect(isStopWord("ресей")).toBe(false);
    expect(isStopWord("жане", "ru")).toBe(false);
  });

  it("contentTokens drops stop words and, by default, question words", () => {
    const tokens = tokenizeFolded("Қазақстан мен Ресей арасындағы тауар айналымы қанша?");
    expect(contentTokens(tokens, "kk")).toEqual([
      "казакстан",
      "ресей",
      "арасындагы",
      "тауар",
      "айналымы",
    ]);
    expect(contentTokens(tokens, "kk", { dropQuestionWords: false })).toContain("канша");
    expect(contentTokens(tokenize("Сколько инвестиций в Казахстан?"), "ru")).toEqual([
      "инвестиций",
      "казахстан",
    ]);
  });
});
