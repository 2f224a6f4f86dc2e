import { describe, expect, it } from "vitest";
import { TrigramSpace } from "../../src/search/char-ngrams.ts";

function space(texts: string[]): TrigramSpace {
  const trigrams = new TrigramSpace();
  for (const text of texts) trigrams.add(text.split(" "));
  return trigrams;
}

describe("trigram similarity", () => {
  const texts = ["форум молодых лидеров", "товарооборот вырос", "видеосвязь саммит снг"];
  const trigrams = space(texts);
  const profiles = texts.map((text) => trigrams.profile(text.split(" ")));
  const similarities = (query: string) =>
    trigrams.withQuery(trigrams.profile(query.split(" "), { query: true }), (similarity) =>
      profiles.map(similarity),
    );

  it("is 1 for the same text and 0 for texts with no trigram in common", () => {
    const [same] = similarities("форум молодых лидеров");
    expect(same).toBeCloseTo(1, 6);
    expect(similarities("qwerty")).toEqual([0, 0, 0]);
  });

  it("sees a compound word and another ending as close", () => {
    const [, , summit] = similarities("видеосаммите снг");
    const [forum, trade] = similarities("видеосаммите снг");
    expect(summit).toBeGreaterThan(0.3);
    expect(summit).toBeGreaterThan(forum as number);
    expect(summit).toBeGreaterThan(trade as number);
  });

  it("leaves no trace of a query behind", () => {
    similarities("совсем новые слова");
    // A second query's scores do not carry the first one's weights.
    expect(similarities("товарооборот вырос")[0]).toBe(0);
  });
});
