import { describe, expect, it } from "vitest";
import {
  isMostlyLatin,
  kazakhLatinToCyrillicFolded,
  latinCandidates,
  latinLayoutToCyrillic,
  latinReadings,
  russianTranslitToCyrillic,
} from "../../src/search/latin.ts";
import { normalizeFolded } from "../../src/search/normalize.ts";

const kk = kazakhLatinToCyrillicFolded;
const ru = russianTranslitToCyrillic;

describe("kazakhLatinToCyrillicFolded", () => {
  it("reads plain ASCII typing into folded Cyrillic", () => {
    expect(kk("keles forum qai qalada")).toBe("келес форум кай калада");
    expect(kk("qazaqstan")).toBe("казакстан");
    expect(kk("tauar ainalymy")).toBe("тауар айналымы");
    expect(kk("Kokshetau qalasynda")).toBe("кокшетау каласында");
    expect(kk("forum qashan otedi")).toBe("форум кашан отеди");
    expect(kk("kanday kelisimder")).toBe("кандай келисимдер");
    expect(kk("Omby, Orynbor")).toBe("омбы орынбор");
  });

  it("reads the 2021 alphabet", () => {
    expect(kk("Qazaqstan men Reseidiñ yntymaqtastyğy")).toBe(
      normalizeFolded("Қазақстан мен Ресейдің ынтымақтастығы"),
    );
    expect(kk("Öñiraralyq forum")).toBe(normalizeFolded("Өңіраралық форум"));
    expect(kk("Memleket basşysy")).toBe(normalizeFolded("Мемлекет басшысы"));
    expect(kk("Şekara, çaqyru")).toBe("шекара чакыру");
    expect(kk("Ūlttyq, Ülken")).toBe("улттык улкен");
    expect(kk("İstanbul")).toBe("истанбул");
  });

  it("reads the 2018 acute alphabet", () => {
    expect(kk("Eýrazııalyq ekonomıkalyq odaq")).toBe(
      normalizeFolded("Еуразиялық экономикалық одақ"),
    );
    expect(kk("óńir, ǵylym, sáýda")).toBe("онир гылым сауда");
  });

  it("reads the 2017 apostrophe alphabet", () => {
    expect(kk("o'n'irlerdin'")).toBe("онирлердин");
    expect(kk("Qazaqstan men Resei arasyndag'y sauda")).toBe(
      "казакстан мен ресей арасындагы сауда",
    );
    expect(kk("s'ekara")).toBe("шекара");
    expect(kk("c'ek")).toBe("чек");
  });

  it("handles й, я, ю and the digraphs", () => {
    expect(kk("Resei")).toBe("ресей");
    expect(kk("Resey")).toBe("ресей");
    expect(kk("saiyn")).toBe("сайын");
    expect(kk("saiasat")).toBe("саясат");
    expect(kk("Aziia")).toBe("азия");
    expect(kk("Rossia")).toBe("россия");
    expect(kk("investitsiya")).toBe("инвестиция");
    expect(kk("auyl sharuashylygy")).toBe("ауыл шаруашылыгы");
    expect(kk("Shymkent, Zhezqazgan")).toBe("шымкент жезказган");
    expect(kk("Tokayev")).toBe("токаев");
    expect(kk("Toqaev")).toBe("токаев");
    expect(kk("ekonomika")).toBe("экономика");
  });

  it("leaves Cyrillic words and numbers as they are (folded)", () => {
    expect(kk("Форум 2019 qai qalada?")).toBe("форум 2019 кай калада");
    expect(kk("Қазақстан qansha")).toBe("казакстан канша");
  });
});

describe("russianTranslitToCyrillic", () => {
  it("reads common transliteration", () => {
    expect(ru("tovarooborot")).toBe("товарооборот");
    expect(ru("investicii")).toBe("инвестиции");
    expect(ru("investitsii")).toBe("инвестиции");
    expect(ru("skol'ko")).toBe("сколько");
    expect(ru("kogda sostoitsya forum v Omske")).toBe("когда состоится форум в омске");
    expect(ru("sotrudnichestvo mezhdu stranami")).toBe("сотрудничество между странами");
    expect(ru("chto, gde, kto")).toBe("что где кто");
    expect(ru("Shchuchinsk, obshchiy")).toBe("щучинск общий");
  });

  it("handles y, ya, yu, yo, ye and initial e", () => {
    expect(ru("kakoy")).toBe("какой");
    expect(ru("novye soglasheniya")).toBe("новые соглашения");
    expect(ru("Rossiya")).toBe("россия");
    expect(ru("Tokayev i Putin")).toBe("токаев и путин");
    expect(ru("Yekaterinburg")).toBe("екатеринбург");
    expect(ru("evraziyskiy")).toBe("евразийский");
    expect(ru("ekonomika, eto")).toBe("экономика это");
    expect(ru("Kazakhstan")).toBe("казахстан");
    expect(ru("export")).toBe("экспорт");
  });
});

describe("latinLayoutToCyrillic", () => {
  it("repairs Russian typed on the Latin layout", () => {
    expect(latinLayoutToCyrillic("njdfhjj,jhjn")).toBe("товарооборот");
    // Without the "," (б) key the word lacks its б: a typo the vocabulary match must absorb.
    expect(latinLayoutToCyrillic("njdfhjjjhjn")).toBe("товарооорот");
    expect(latinLayoutToCyrillic("crjkmrj bydtcnbwbq&")).toBe("сколько инвестиций");
    expect(latinLayoutToCyrillic("d jvcrt")).toBe("в омске");
    expect(latinLayoutToCyrillic("j,]tv")).toBe("объем");
  });

  it("maps the punctuation keys that are letters on the Russian layout", () => {
    expect(latinLayoutToCyrillic(",")).toBe("");
    expect(latinLayoutToCyrillic("f,")).toBe("аб");
    expect(latinLayoutToCyrillic("f.")).toBe("аю");
    expect(latinLayoutToCyrillic("f;")).toBe("аж");
    expect(latinLayoutToCyrillic("'rjyjvbrf")).toBe("экономика");
    expect(latinLayoutToCyrillic("[jhjij")).toBe("хорошо");
    expect(latinLayoutToCyrillic("gjl]tv")).toBe("подъем");
    expect(latinLayoutToCyrillic("`krf")).toBe("елка");
    expect(latinLayoutToCyrillic("<JKMIT >UHF")).toBe("больше югра");
  });

  it("leaves Cyrillic words and bare numbers alone", () => {
    expect(latinLayoutToCyrillic("форум 2019 ujl")).toBe("форум 2019 год");
  });
});

describe("latinCandidates", () => {
  it("returns the distinct readings, Kazakh first", () => {
    const c = latinCandidates("keles forum qai qalada");
    expect(c[0]).toBe("келес форум кай калада");
    expect(c).toContain("лудуы ащкгь йфш йфдфвф");
    expect(new Set(c).size).toBe(c.length);
    expect(latinCandidates("njdfhjj,jhjn")).toContain("товарооборот");
    expect(latinCandidates("tovarooborot")).toContain("товарооборот");
  });

  it("collapses identical readings", () => {
    expect(latinCandidates("forum")).toEqual(["форум", "ащкгь"]);
  });

  it("is empty for text without Latin letters", () => {
    expect(latinCandidates("Омск 2019")).toEqual([]);
    expect(latinReadings("2019")).toBeNull();
  });
});

describe("isMostlyLatin", () => {
  it("compares Latin and Cyrillic letters", () => {
    expect(isMostlyLatin("njdfhjjjhjn")).toBe(true);
    expect(isMostlyLatin("keles forum qai qalada")).toBe(true);
    expect(isMostlyLatin("когда forum")).toBe(false);
    expect(isMostlyLatin("Omsk форумы")).toBe(false);
    expect(isMostlyLatin("2019")).toBe(false);
    expect(isMostlyLatin("Öñiraralyq")).toBe(true);
  });
});

describe("Roman numerals in Latin-script input", () => {
  it("keep their number in every reading instead of being transliterated", () => {
    const readings = latinReadings("XVIII forum qai qalada otti");
    expect(readings?.kk).toMatch(/^18 /);
    expect(readings?.ru).toMatch(/^18 /);
    expect(latinReadings("xvi forum")?.layout).toMatch(/^16 /);
    // A word that only contains the same letters is not a numeral.
    expect(latinReadings("ilim")?.kk).not.toMatch(/\d/);
  });
});
