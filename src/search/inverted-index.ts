import type { Term } from "./analyzer.ts";

/** One field of a document, already analysed, with the weight its words carry. */
export interface IndexedField {
  terms: Term[];
  weight: number;
}

export interface Hit {
  doc: number;
  score: number;
  /** For each query term, whether this document matched it. */
  matched: boolean[];
}

const K1 = 1.2;
const B = 0.5;

/**
 * BM25F-style inverted index: a term's frequency is the weighted sum of its occurrences
 * over the fields, and a query term scores by the best of its keys (surface word, stems,
 * alias group), so a word that matches as itself and as its stem is not counted twice.
 */
export class InvertedIndex {
  private readonly postings = new Map<string, { docs: number[]; tfs: number[] }>();
  private readonly lengths: number[] = [];
  private totalLength = 0;

  get size(): number {
    return this.lengths.length;
  }

  has(key: string): boolean {
    return this.postings.has(key);
  }

  documentFrequency(key: string): number {
    return this.postings.get(key)?.docs.length ?? 0;
  }

  add(fields: readonly IndexedField[]): number {
    const doc = this.lengths.length;
    const tf = new Map<string, number>();
    let length = 0;
    for (const field of fields) {
      for (const term of field.terms) {
        length += field.weight;
        for (const key of term.keys) tf.set(key, (tf.get(key) ?? 0) + field.weight);
      }
    }
    for (const [key, freq] of tf) {
      let list = this.postings.get(key);
      if (!list) {
        list = { docs: [], tfs: [] };
        this.postings.set(key, list);
      }
      list.docs.push(doc);
      list.tfs.push(freq);
    }
    this.lengths.push(length);
    this.totalLength += length;
    return doc;
  }

  idf(key: string): number {
    const df = this.documentFrequency(key);
    const n = this.size;
    return Math.log(1 + (n - df + 0.5) / (df + 0.5));
  }

  /**
   * Scores every document sharing a key with the query. `termWeights` lowers the weight of
   * question words and of keys reached only through typo correction.
   */
  search(query: readonly { keys: readonly string[]; weight: number }[], limit: number): Hit[] {
    const avgLength = this.totalLength / Math.max(1, this.size);
    const scores = new Map<number, { score: number; matched: boolean[] }>();
    query.forEach((term, t) => {
      const best = new Map<number, number>();
      for (const key of term.keys) {
        const list = this.postings.get(key);
        if (!list) continue;
        const idf = this.idf(key) * term.weight;
        for (let i = 0; i < list.docs.length; i++) {
          const doc = list.docs[i] as number;
          const freq = list.tfs[i] as number;
          const norm = K1 * (1 - B + (B * (this.lengths[doc] as number)) / avgLength);
          const value = (idf * freq * (K1 + 1)) / (freq + norm);
          if (value > (best.get(doc) ?? 0)) best.set(doc, value);
        }
      }
      for (const [doc, value] of best) {
        let entry = scores.get(doc);
        if (!entry) {
          entry = { score: 0, matched: new Array<boolean>(query.length).fill(false) };
          scores.set(doc, entry);
        }
        entry.score += value;
        entry.matched[t] = true;
      }
    });
    const hits: Hit[] = [];
    for (const [doc, { score, matched }] of scores) hits.push({ doc, score, matched });
    hits.sort((a, b) => b.score - a.score || a.doc - b.doc);
    return hits.slice(0, limit);
  }
}
