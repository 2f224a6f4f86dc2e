import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import {
  detectLanguage,
  type LanguageSample,
  languageScores,
  measureLanguageDetection,
} from "../../src/search/detect-language.ts";

describe("detectLanguage", () => {
  it("Kazakh with its letters", () => {
    expect(detectLanguage("Келесі форум қай қалада өтеді?")).toBe("kk");
    expect(detectLanguage("Тоқаев не деді?")).toBe("kk");
    expect(detectLanguage("Рақмет!")).toBe("kk");
  });

  it("Kazakh typed without its letters", () => {
    expect(detectLanguage("келеси форум кай калада отеди")).toBe("kk");
    expect(detectLanguage("казакстан мен ресей арасындагы тауар айналымы канша")).toBe("kk");
    expect(detectLanguage("омбыда кандай келисимдер кол койылды")).toBe("kk");
    expect(detectLanguage("форум кашан")).toBe("kk");
    expect(detectLanguage("инвестиция колеми канша")).toBe("kk");
    expect(detectLanguage("сочиде не талкыланды")).toBe("kk");
    expect(detectLanguage("тауар айналымы")).toBe("kk");
  });

  it("Russian", () => {
    expect(detectLanguage("Сколько товарооборот между Казахстаном и Россией?")).toBe("ru");
    expect(detectLanguage("где пройдет следующий форум")).toBe("ru");
    expect(detectLanguage("Что подписали в Омске?")).toBe("ru");
    expect(detectLanguage("приграничное сотрудничество")).toBe("ru");
    expect(detectLanguage("товарооборот")).toBe("ru");
    expect(detectLanguage("инвестиции")).toBe("ru");
  });

  it("Kazakh in the Latin alphabet", () => {
    expect(detectLanguage("keles forum qai qalada")).toBe("kk");
    expect(detectLanguage("tauar ainalymy qansha")).toBe("kk");
    expect(detectLanguage("kanday kelisimder boldy")).toBe("kk");
    expect(detectLanguage("Öñiraralyq yntymaqtastyq forumy")).toBe("kk");
    expect(detectLanguage("Qazaqstan men Resei arasyndag'y sauda")).toBe("kk");
  });

  it("Russian transliterated or typed on the Latin layout", () => {
    expect(detectLanguage("kogda forum v Omske")).toBe("ru");
    expect(detectLanguage("skol'ko investiciy iz Rossii")).toBe("ru");
    expect(detectLanguage("tovarooborot za 2018 god")).toBe("ru");
    expect(detectLanguage("crjkmrj njdfhjj,jhjn")).toBe("ru");
    expect(detectLanguage("rjulf ,sk ajhev d jvcrt")).toBe("ru");
    expect(detectLanguage("xnj crfpfk njrftd")).toBe("ru");
  });

  it("mixed messages follow their grammar", () => {
    expect(detectLanguage("когда forum в Omske")).toBe("ru");
    expect(detectLanguage("Омбыда forum qashan")).toBe("kk");
    expect(detectLanguage("товарооборот канша болды")).toBe("kk");
    expect(detectLanguage("Что сказал Тоқаев в Омске?")).toBe("ru");
  });

  it("returns null when nothing tells", () => {
    for (const t of ["Омск", "Токаев", "Путин", "2019", "18,2", "Кокшетау", "ok", "👍", "", "?"]) {
      expect(detectLanguage(t), t).toBeNull();
    }
  });

  it("exposes the scores behind the decision", () => {
    const s = languageScores("сколько инвестиций");
    expect(s.ru).toBeGreaterThan(s.kk);
  });
});

describe("language detection on tests/eval/lang-detect.jsonl", () => {
  const samples: LanguageSample[] = readFileSync(
    new URL("../eval/lang-detect.jsonl", import.meta.url),
    "utf8",
  )
    .split("\n")
    .filter((line) => line.trim() !== "")
    .map((line) => JSON.parse(line) as LanguageSample);

  it("has at least 200 labelled messages of every kind", () => {
    expect(samples.length).toBeGreaterThanOrEqual(200);
    const count = (lang: LanguageSample["lang"]) => samples.filter((s) => s.lang === lang).length;
    expect(count("kk")).toBeGreaterThan(50);
    expect(count("ru")).toBeGreaterThan(50);
    expect(count(null)).toBeGreaterThan(10);
    const kkPlain = samples.filter(
      (s) => s.lang === "kk" && !/[әғқңөұүһі]/i.test(s.text) && !/[a-z]/i.test(s.text),
    );
    expect(kkPlain.length / samples.length).toBeGreaterThan(0.35);
  });

  it("stays at or above 95% accuracy", () => {
    const { total, correct, accuracy, misses } = measureLanguageDetection(samples);
    console.log(
      `language detection: ${correct}/${total} = ${(accuracy * 100).toFixed(1)}%` +
        (misses.length > 0 ? `; misses: ${JSON.stringify(misses)}` : ""),
    );
    expect(accuracy).toBeGreaterThanOrEqual(0.95);
  });
});
