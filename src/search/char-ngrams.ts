/**
 * Character trigram profiles of short texts, compared by tf-idf cosine. Trigrams see through
 * what stems miss: a word's rarer endings, a typo in its middle, a compound written apart.
 */
export interface Profile {
  /** Trigram ids, each once. */
  ids: Int32Array;
  /** Unit-length tf-idf weights, in the order of `ids`. */
  weights: Float64Array;
}

const N = 3;
/** Rarity is estimated from this many texts at most: enough for stable idf, cheap at scale. */
const RARITY_SAMPLE = 50_000;

export class TrigramSpace {
  private readonly ids = new Map<string, number>();
  private readonly documentFrequency: number[] = [];
  private texts = 0;
  /** Dense weights of the query being compared, indexed by trigram id; zero between queries. */
  private scratch = new Float64Array(0);

  /** Counts a text's trigrams towards their rarity. */
  add(words: readonly string[]): void {
    if (this.texts >= RARITY_SAMPLE) return;
    this.texts++;
    for (const id of this.counts(words).keys())
      this.documentFrequency[id] = (this.documentFrequency[id] ?? 0) + 1;
  }

  /**
   * A text's profile. A query's trigrams that no indexed text has count towards its length
   * only, so that queries never grow the trigram table.
   */
  profile(words: readonly string[], { query = false } = {}): Profile {
    const unseen = new Map<string, number>();
    const counts = this.counts(words, query ? unseen : null);
    const ids = new Int32Array(counts.size);
    const weights = new Float64Array(counts.size);
    let norm = 0;
    let i = 0;
    for (const [id, count] of counts) {
      const idf = Math.log(1 + this.texts / (1 + (this.documentFrequency[id] ?? 0)));
      const weight = (1 + Math.log(count)) * idf;
      ids[i] = id;
      weights[i] = weight;
      norm += weight * weight;
      i++;
    }
    const rarest = Math.log(1 + this.texts);
    for (const count of unseen.values()) norm += ((1 + Math.log(count)) * rarest) ** 2;
    norm = Math.sqrt(norm);
    if (norm > 0) for (let j = 0; j < weights.length; j++) (weights[j] as number) /= norm;
    return { ids, weights };
  }

  /** Cosine of `query` with each profile that `compare` is called on, while `use` runs. */
  withQuery<T>(query: Profile, use: (compare: (other: Profile) => number) => T): T {
    if (this.scratch.length < this.ids.size) this.scratch = new Float64Array(this.ids.size * 2);
    const dense = this.scratch;
    for (let i = 0; i < query.ids.length; i++)
      dense[query.ids[i] as number] = query.weights[i] as number;
    try {
      return use((other) => {
        let sum = 0;
        for (let i = 0; i < other.ids.length; i++)
          sum += (other.weights[i] as number) * (dense[other.ids[i] as number] as number);
        return sum;
      });
    } finally {
      for (let i = 0; i < query.ids.length; i++) dense[query.ids[i] as number] = 0;
    }
  }

  /** Trigram counts by id; with `unseen`, new trigrams are counted there instead of given ids. */
  private counts(
    words: readonly string[],
    unseen: Map<string, number> | null = null,
  ): Map<number, number> {
    const counts = new Map<number, number>();
    for (const word of words) {
      const padded = ` ${word} `;
      for (let i = 0; i + N <= padded.length; i++) {
        const gram = padded.slice(i, i + N);
        let id = this.ids.get(gram);
        if (id === undefined && unseen) {
          unseen.set(gram, (unseen.get(gram) ?? 0) + 1);
          continue;
        }
        if (id === undefined) {
          id = this.ids.size;
          this.ids.set(gram, id);
        }
        counts.set(id, (counts.get(id) ?? 0) + 1);
      }
    }
    return counts;
  }
}
