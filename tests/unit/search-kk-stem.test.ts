import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { stemKazakh } from "../../src/search/kk-stem.ts";
import { foldKazakh } from "../../src/search/normalize.ts";
import { tokenize } from "../../src/search/tokenize.ts";

/** Every word of a family stems to `stem`, typed with and without the Kazakh letters. */
function expectFamily(stem: string, words: string[]): void {
  for (const w of words) {
    expect(stemKazakh(w), w).toBe(stem);
    expect(stemKazakh(foldKazakh(w)), `${w} typed without Kazakh letters`).toBe(stem);
    expect(stemKazakh(w.toUpperCase()), `${w} in capitals`).toBe(stem);
  }
}

describe("stemKazakh: cases from the brief", () => {
  it.each([
    ["форумына", "форум"],
    ["форумның", "форум"],
    ["форумда", "форум"],
    ["облыстарының", "облыс"],
    ["қаласында", "кала"],
    ["Көкшетауда", "кокшетау"],
    ["Қазақстанның", "казакстан"],
    ["Ресейдің", "ресей"],
    ["инвестициялар", "инвестиция"],
    ["өңірлердің", "онир"],
    ["тауарлар", "тауар"],
    ["келісімге", "келисим"],
    ["бағдарламасын", "багдарлама"],
    ["тақырыбы", "такырып"],
  ])("%s → %s", (word, stem) => {
    expect(stemKazakh(word)).toBe(stem);
    expect(stemKazakh(foldKazakh(word))).toBe(stem);
  });
});

describe("stemKazakh: inflections of one word meet", () => {
  it("nouns through plural, possessive and case (words from the articles)", () => {
    expectFamily("форум", ["форум", "форумы", "форумына", "форумның", "форумда", "форумды"]);
    expectFamily("облыс", [
      "облыс",
      "облысы",
      "облыстары",
      "облыстарының",
      "облысының",
      "облысында",
      "облыстардың",
      "облыстан",
    ]);
    expectFamily("кала", ["қала", "қалада", "қаласы", "қаласында", "қаланың", "қалалар"]);
    expectFamily("онир", ["өңір", "өңірлер", "өңірлердің", "өңірінде", "өңірлерді", "өңірдің"]);
    expectFamily("ынтымактастык", [
      "ынтымақтастық",
      "ынтымақтастығы",
      "ынтымақтастығын",
      "ынтымақтастықтың",
      "ынтымақтастыққа",
      "ынтымақтастығының",
      "ынтымақтастығымыз",
      "ынтымақтастықты",
    ]);
    expectFamily("келисим", ["келісім", "келісімге", "келісімдер", "келісімді", "келісімдерді"]);
    expectFamily("багдарлама", [
      "бағдарлама",
      "бағдарламасы",
      "бағдарламасын",
      "бағдарламаны",
      "бағдарламасының",
    ]);
    expectFamily("жыл", ["жыл", "жылы", "жылдары", "жылдарға", "жылғы", "жылдардағы", "жылдың"]);
    expectFamily("ел", ["елдер", "елдің", "елде", "елдері", "елдеріміздің", "елдердің"]);
    expectFamily("сала", ["саласындағы", "салаларындағы", "салаға", "салалары", "салаларда"]);
    expectFamily("мемлекет", ["мемлекет", "мемлекеттер", "мемлекеттің", "мемлекеттерінің"]);
    expectFamily("экспорт", ["экспорт", "экспорты", "экспортқа", "экспортты", "экспорттың"]);
    expectFamily("президент", ["президент", "президенті", "Президентінің"]);
    expectFamily("такырып", ["тақырып", "тақырыбы", "тақырыбын"]);
    expectFamily("одак", ["одақ", "одағы", "одақтың", "одаққа"]);
    expectFamily("аралык", ["аралығында", "аралық"]);
    expectFamily("ара", ["арасындағы", "арасында"]);
    expectFamily("кездесу", ["кездесу", "кездесуі", "кездесуде", "кездесуінде"]);
    expectFamily("басш", ["басшы", "басшысы", "басшылары", "басшыларының", "басшысын"]);
  });

  it("names and places", () => {
    expectFamily("казакстан", [
      "Қазақстан",
      "Қазақстанның",
      "Қазақстанға",
      "Қазақстанда",
      "Қазақстаннан",
      "Қазақстанмен",
    ]);
    expectFamily("ресей", ["Ресей", "Ресейдің", "Ресейге", "Ресейде", "Ресейден", "Ресейдегі"]);
    expectFamily("кокшетау", ["Көкшетау", "Көкшетауда", "Көкшетаудың", "Көкшетауға"]);
    expectFamily("орынбор", ["Орынбор", "Орынборда", "Орынбордың", "Орынборға"]);
    expectFamily("токаев", ["Тоқаев", "Тоқаевтың", "Тоқаевқа", "Тоқаевпен", "Тоқаевты"]);
    expectFamily("путин", ["Путин", "Путиннің", "Путинмен", "Путинге", "Путинді"]);
    expectFamily("мишустин", ["Мишустин", "Мишустиннің", "Мишустинмен"]);
    expectFamily("омп", ["Омбы", "Омбыда", "Омбының", "Омбыға"]);
  });

  it("verbs that questions and facts share", () => {
    expectFamily("бол", ["болды", "болады", "болған", "болатын"]);
    expectFamily("катыс", ["қатысты", "қатысқан", "қатысқанын"]);
  });

  it("passive verbs meet their active forms", () => {
    expectFamily("талкыл", ["талқылады", "талқыланды", "талқыланған"]);
    expectFamily("усын", ["ұсынды", "ұсынылды", "ұсынған"]);
    expectFamily("аякт", ["аяқтады", "аяқталды"]);
    expectFamily("жеткиз", ["жеткізді", "жеткізілді", "жеткізілген"]);
  });
});

describe("stemKazakh: what must not be cut", () => {
  it("adjectives in -ды of short roots ending in л, which look like passive verbs", () => {
    expect(stemKazakh("ықпалды")).toBe("ыкпал");
    expect(stemKazakh("беделді")).toBe("бедел");
    // қимыл is not кім ("who").
    expect(stemKazakh("қимылды")).toBe("кимыл");
  });

  it("words whose ending only looks like a suffix", () => {
    expect(stemKazakh("сауда")).toBe("сауда");
    expect(stemKazakh("теңге")).toBe("тенге");
    expect(stemKazakh("теңгеден")).toBe("тенге");
    expect(stemKazakh("Павлодар")).toBe("павлодар");
    expect(stemKazakh("доллар")).toBe("доллар");
    expect(stemKazakh("долларға")).toBe("доллар");
    expect(stemKazakh("карта")).toBe("карта");
    expect(stemKazakh("картасы")).toBe("карта");
    expect(stemKazakh("машина")).toBe("машина");
    expect(stemKazakh("медицина")).toBe("медицина");
    expect(stemKazakh("Ақорда")).toBe("акорда");
    expect(stemKazakh("Ақордаға")).toBe("акорда");
    expect(stemKazakh("кеңес")).toBe("кенес");
    expect(stemKazakh("кеңесі")).toBe("кенес");
    expect(stemKazakh("бизнесі")).toBe("бизнес");
    expect(stemKazakh("Өзбекстан")).toBe("озбекстан");
  });

  it("-н, -ың and -ін endings that are part of the word", () => {
    for (const w of ["кейін", "бұрын", "мүмкін", "жақын", "бүгін", "Путин"]) {
      expect(stemKazakh(w)).toBe(foldKazakh(w.toLowerCase()));
    }
  });

  it("short words, numbers and Latin are returned folded and lower-cased", () => {
    expect(stemKazakh("ел")).toBe("ел");
    expect(stemKazakh("іс")).toBe("ис");
    expect(stemKazakh("ТМД")).toBe("тмд");
    expect(stemKazakh("мен")).toBe("мен");
    expect(stemKazakh("2019")).toBe("2019");
    expect(stemKazakh("forum")).toBe("forum");
    expect(stemKazakh("")).toBe("");
  });

  it("keeps at least three letters with a vowel", () => {
    expect(stemKazakh("орган")).toBe("орган");
    expect(stemKazakh("өтті").length).toBeGreaterThanOrEqual(3);
    expect(stemKazakh("елге")).toBe("ел");
  });
});

describe("stemKazakh over the Kazakh articles", () => {
  const files = [
    "akorda-omsk-2019",
    "cis-summit-2021",
    "egemen-sochi-smailov-mishustin",
    "orenburg-roadmap-xviii",
  ];
  const words = new Set<string>();
  for (const f of files) {
    const text = readFileSync(new URL(`../../knowledge/sources/${f}.txt`, import.meta.url), "utf8");
    for (const t of tokenize(text)) if (/^[\p{Script=Cyrillic}]+$/u.test(t)) words.add(t);
  }

  it("reads a real vocabulary", () => {
    expect(words.size).toBeGreaterThan(800);
  });

  it("gives the same stem typed with or without Kazakh letters", () => {
    for (const w of words) expect(stemKazakh(foldKazakh(w)), w).toBe(stemKazakh(w));
  });

  it("only cuts endings off: a stem is a prefix of the folded word (but for б/г → п/к)", () => {
    for (const w of words) {
      const folded = foldKazakh(w);
      const stem = stemKazakh(w);
      const body = stem.slice(0, -1);
      expect(folded.startsWith(body), `${w} → ${stem}`).toBe(true);
      if (folded.length > 3) expect(stem.length, `${w} → ${stem}`).toBeGreaterThanOrEqual(2);
    }
  });

  it("merges the vocabulary into fewer keys", () => {
    const stems = new Set([...words].map((w) => stemKazakh(w)));
    expect(stems.size).toBeLessThan(words.size * 0.8);
  });
});
