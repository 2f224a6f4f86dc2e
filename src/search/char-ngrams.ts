/**
 * Character trigram profiles of short texts, compared by tf-idf cosine. Trigrams see through
 * what stems miss: a word's rarer endings, a typo in its middle, a compound written apart.
 */
export type Profile = Map<string, number>;

const N = 3;

function grams(words: readonly string[]): Map<string, number> {
  const counts = new Map<string, number>();
  for (const word of words) {
    const padded = ` ${word} `;
    for (let i = 0; i + N <= padded.length; i++) {
      const gram = padded.slice(i, i + N);
      counts.set(gram, (counts.get(gram) ?? 0) + 1);
    }
  }
  return counts;
}

export class TrigramSpace {
  private readonly documentFrequency = new Map<string, number>();
  private texts = 0;

  /** Counts a text's trigrams towards their rarity. */
  add(words: readonly string[]): void {
    this.texts++;
    for (const gram of grams(words).keys())
      this.documentFrequency.set(gram, (this.documentFrequency.get(gram) ?? 0) + 1);
  }

  /** A unit-length tf-idf profile. */
  profile(words: readonly string[]): Profile {
    const profile: Profile = new Map();
    let norm = 0;
    for (const [gram, count] of grams(words)) {
      const idf = Math.log(1 + this.texts / (1 + (this.documentFrequency.get(gram) ?? 0)));
      const weight = (1 + Math.log(count)) * idf;
      profile.set(gram, weight);
      norm += weight * weight;
    }
    norm = Math.sqrt(norm);
    if (norm > 0) for (const [gram, weight] of profile) profile.set(gram, weight / norm);
    return profile;
  }
}

export function cosine(a: Profile, b: Profile): number {
  const [small, large] = a.size <= b.size ? [a, b] : [b, a];
  let sum = 0;
  for (const [gram, weight] of small) sum += weight * (large.get(gram) ?? 0);
  return sum;
}
