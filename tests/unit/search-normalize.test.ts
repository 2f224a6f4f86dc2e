import { describe, expect, it } from "vitest";
import {
  foldKazakh,
  hasKazakhLetters,
  normalize,
  normalizeFolded,
} from "../../src/search/normalize.ts";

describe("normalize", () => {
  it("lower-cases, applies NFC and replaces ё", () => {
    expect(normalize("ЁЛКА Ещё")).toBe("елка еще");
    // "й" written as и + combining breve becomes the one precomposed letter.
    expect(normalize("и\u0306")).toBe("й");
    expect(normalize("КӨКШЕТАУ")).toBe("көкшетау");
  });

  it("removes quotes of every kind", () => {
    expect(normalize("«Еврохим», “Лукойл” „ЭФКО“ \"Татнефть\" 'КТК' `x`")).toBe(
      "еврохим лукойл эфко татнефть ктк x",
    );
    expect(normalize("Кот-д’Ивуар")).toBe("кот дивуар");
  });

  it("turns dashes, hyphens and punctuation into single spaces", () => {
    expect(normalize("сауда-экономикалық — ынтымақтастық – жол‑картасы")).toBe(
      "сауда экономикалық ынтымақтастық жол картасы",
    );
    expect(normalize("Что? Где!! Когда... (тест); a/b")).toBe("что где когда тест a b");
    expect(normalize("  много   пробелов\t\nи строк  ")).toBe("много пробелов и строк");
    expect(normalize("")).toBe("");
    expect(normalize("?!…")).toBe("");
  });

  it("unifies decimal marks", () => {
    expect(normalize("18,2")).toBe("18.2");
    expect(normalize("18.2")).toBe("18.2");
    expect(normalize("3,5 есе")).toBe("3.5 есе");
    expect(normalize("6,50 и 3,0")).toBe("6.5 и 3");
    // A lone ",ddd" is a decimal in Russian and Kazakh writing.
    expect(normalize("18,200")).toBe("18.2");
  });

  it("joins thousands groups of exactly three digits", () => {
    expect(normalize("18 200")).toBe("18200");
    expect(normalize("18\u00a0200 тонн")).toBe("18200 тонн");
    expect(normalize("18\u202f200")).toBe("18200");
    expect(normalize("18\u2009200")).toBe("18200");
    expect(normalize("1 000 000")).toBe("1000000");
    expect(normalize("1,000,000")).toBe("1000000");
    expect(normalize("1.000.000")).toBe("1000000");
    expect(normalize("1.234,5")).toBe("1234.5");
    expect(normalize("1,234.5")).toBe("1234.5");
    expect(normalize("18 200,5")).toBe("18200.5");
    // Not thousands: a 4-digit head (a year), or groups of other sizes.
    expect(normalize("2019 200")).toBe("2019 200");
    expect(normalize("18 20")).toBe("18 20");
    expect(normalize("18.10.2021")).toBe("18.10.2021");
  });

  it("makes percent and currency signs tokens of their own", () => {
    expect(normalize("4,5%")).toBe("4.5 %");
    expect(normalize("4.5 %")).toBe("4.5 %");
    expect(normalize("$20 млрд")).toBe("20 $ млрд");
    expect(normalize("$ 9 млрд")).toBe("9 $ млрд");
    expect(normalize("20$")).toBe("20 $");
    expect(normalize("480,63₸")).toBe("480.63 ₸");
  });

  it("drops grammatical endings hyphenated to numbers and abbreviations", () => {
    expect(normalize("$20 млрд-қа жуықтады")).toBe("20 $ млрд жуықтады");
    expect(normalize("6%-ға артқан")).toBe("6 % артқан");
    expect(normalize("100-ден астам")).toBe("100 астам");
    expect(normalize("ТМД-ның")).toBe("тмд");
    expect(normalize("XVIII-го форума, 2-х стран")).toBe("xviii форума 2 стран");
    expect(normalize("2023-2025 жылдарға")).toBe("2023 2025 жылдарға");
    // Real compounds stay, as two words.
    expect(normalize("Ростов-на-Дону")).toBe("ростов на дону");
    expect(normalize("мұнай-газ")).toBe("мұнай газ");
  });

  it("repairs words that mix Latin and Cyrillic look-alikes", () => {
    expect(normalize("cауда")).toBe("сауда"); // Latin c
    expect(normalize("iскер")).toBe("іскер"); // Latin i for і
    expect(normalize("Оmsk")).toBe("omsk"); // Cyrillic О
    expect(normalize("əлеует")).toBe("әлеует"); // Latin schwa for ә
  });

  it("is idempotent", () => {
    for (const t of ["$20 млрд-қа", "18 200,5 тонн", "«Қазақстан–Ресей»", "4,5%"]) {
      expect(normalize(normalize(t))).toBe(normalize(t));
    }
  });
});

describe("foldKazakh", () => {
  it("folds the nine Kazakh letters", () => {
    expect(foldKazakh("әғқңөұүһі")).toBe("агкноуухи");
    expect(foldKazakh("ә ғ қ ң ө ұ ү һ і")).toBe("а г к н о у у х и");
    expect(foldKazakh("ӘҒҚҢӨҰҮҺІ")).toBe("АГКНОУУХИ");
  });

  it("makes Kazakh typed without its letters equal to Kazakh typed with them", () => {
    expect(normalizeFolded("Қазақстан мен Ресейдің өңіраралық ынтымақтастығы")).toBe(
      normalizeFolded("Казакстан мен Ресейдин онираралык ынтымактастыгы"),
    );
    expect(normalizeFolded("Көкшетау қаласында")).toBe("кокшетау каласында");
  });

  it("leaves Russian and Latin text alone", () => {
    expect(foldKazakh("товарооборот между странами")).toBe("товарооборот между странами");
    expect(foldKazakh("forum 2019")).toBe("forum 2019");
  });
});

describe("hasKazakhLetters", () => {
  it("tells Kazakh-only letters", () => {
    expect(hasKazakhLetters("Тоқаев")).toBe(true);
    expect(hasKazakhLetters("ӨҢІР")).toBe(true);
    expect(hasKazakhLetters("Токаев")).toBe(false);
    expect(hasKazakhLetters("Qazaqstan")).toBe(false);
    expect(hasKazakhLetters("")).toBe(false);
  });
});
