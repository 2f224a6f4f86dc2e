import { describe, expect, it } from "vitest";
import { stemRussian } from "../../src/search/ru-stem.ts";

describe("stemRussian", () => {
  it("merges the inflections of a word", () => {
    const same = (words: string[]) => new Set(words.map(stemRussian)).size;
    expect(same(["товарооборот", "товарооборота", "товарооборотом", "товарообороте"])).toBe(1);
    expect(same(["инвестиции", "инвестиций", "инвестициям", "инвестициями"])).toBe(1);
    expect(same(["сотрудничество", "сотрудничества", "сотрудничеству"])).toBe(1);
    expect(same(["форум", "форума", "форуме", "форумы", "форумов"])).toBe(1);
    expect(same(["межрегиональный", "межрегионального", "межрегиональном"])).toBe(1);
    expect(same(["соглашение", "соглашения", "соглашений", "соглашениям"])).toBe(1);
  });

  it("gives the Snowball stems", () => {
    expect(stemRussian("товарооборота")).toBe("товарооборот");
    expect(stemRussian("инвестиции")).toBe("инвестиц");
    expect(stemRussian("омске")).toBe("омск");
  });

  it("has the known Snowball quirks (the index also keeps unstemmed words)", () => {
    expect(stemRussian("казахстан")).toBe("казахста");
    expect(stemRussian("казахстаном")).toBe("казахстан");
    expect(stemRussian("россия")).toBe("росс");
    expect(stemRussian("кокшетау")).toBe("кокшета");
  });

  it("merges the second conjugation's plural spelt -ат after a sibilant with its other forms", () => {
    expect(stemRussian("учатся")).toBe(stemRussian("учится"));
    expect(stemRussian("учат")).toBe(stemRussian("учить"));
    expect(stemRussian("лежат")).toBe(stemRussian("лежит"));
    // Nouns in -ат keep it, and a bare "чат" is too short to be a verb form.
    expect(stemRussian("результат")).toBe("результат");
    expect(stemRussian("чат")).toBe("чат");
  });

  it("lower-cases, treats ё as е and leaves non-Russian tokens alone", () => {
    expect(stemRussian("Форума")).toBe("форум");
    expect(stemRussian("её")).toBe("её");
    expect(stemRussian("объёмы")).toBe(stemRussian("объемы"));
    expect(stemRussian("2019")).toBe("2019");
    expect(stemRussian("18.2")).toBe("18.2");
    expect(stemRussian("forum")).toBe("forum");
    expect(stemRussian("қазақстан")).toBe("қазақстан");
    expect(stemRussian("в")).toBe("в");
  });
});
