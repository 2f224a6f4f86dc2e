import type { Term } from "./analyzer.ts";

/** One field of a document, already analysed, with the weight its words carry. */
export interface IndexedField {
  terms: Term[];
  weight: number;
}

export interface Hit {
  doc: number;
  score: number;
  /** Bit t is set when this document matched query term t (the first 32 terms). */
  matched: number;
}

export interface QueryKeys {
  keys: readonly string[];
  weight: number;
}

const K1 = 1.2;
const B = 0.5;
/** Terms in more than this share of documents only re-score documents that rarer terms found. */
const COMMON_SHARE = 0.02;
/** Keys in more than this share of documents never bring documents of their own. */
const KEY_COMMON_SHARE = 0.05;
export const MAX_QUERY_TERMS = 32;

interface Posting {
  docs: number[];
  tfs: number[];
}

/**
 * BM25F-style inverted index: a term's frequency is the weighted sum of its occurrences
 * over the fields, and a query term scores by the best of its keys (surface word, stems,
 * alias group), so a word that matches as itself and as its stem is not counted twice.
 *
 * Scores accumulate in typed arrays reused across queries, and a very common term cannot
 * bring in documents of its own once a rarer term has found some: that keeps a query over
 * 100,000 facts to the few thousand documents that matter.
 */
export class InvertedIndex {
  private readonly postings = new Map<string, Posting>();
  private readonly lengths: number[] = [];
  private totalLength = 0;
  private scores = new Float64Array(0);
  private termScores = new Float64Array(0);
  private matched = new Uint32Array(0);

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
    return Math.log(1 + (this.size - df + 0.5) / (df + 0.5));
  }

  private ensureCapacity(): void {
    if (this.scores.length >= this.size) return;
    const capacity = Math.max(this.size, this.scores.length * 2, 64);
    this.scores = new Float64Array(capacity);
    this.termScores = new Float64Array(capacity);
    this.matched = new Uint32Array(capacity);
  }

  /** The best `limit` documents for the query terms, highest score first. */
  search(query: readonly QueryKeys[], limit: number): Hit[] {
    this.ensureCapacity();
    const { scores, termScores, matched, lengths } = this;
    const avgLength = this.totalLength / Math.max(1, this.size);
    const commonLimit = Math.max(50, COMMON_SHARE * this.size);
    const keyLimit = Math.max(2000, KEY_COMMON_SHARE * this.size);
    const terms = query.slice(0, MAX_QUERY_TERMS).map((term, index) => {
      const postings = term.keys.flatMap((key) => {
        const list = this.postings.get(key);
        return list ? [{ list, idf: this.idf(key) * term.weight }] : [];
      });
      const rarest = Math.min(...postings.map((p) => p.list.docs.length));
      return { index, postings, rarest };
    });
    terms.sort((a, b) => a.rarest - b.rarest);

    const touched: number[] = [];
    const termTouched: number[] = [];
    for (const { index, postings, rarest } of terms) {
      const termBringsNew = touched.length === 0 || rarest <= commonLimit;
      for (const { list, idf } of postings) {
        const { docs, tfs } = list;
        // A rare word can bring in documents; an alias of it that half the collection shares
        // (a synonym group's key) only re-scores them.
        const bringsNew = termBringsNew && (touched.length === 0 || docs.length <= keyLimit);
        for (let i = 0; i < docs.length; i++) {
          const doc = docs[i] as number;
          if (!bringsNew && matched[doc] === 0) continue;
          const freq = tfs[i] as number;
          const norm = K1 * (1 - B + (B * (lengths[doc] as number)) / avgLength);
          const value = (idf * freq * (K1 + 1)) / (freq + norm);
          if (termScores[doc] === 0) termTouched.push(doc);
          if (value > (termScores[doc] as number)) termScores[doc] = value;
        }
      }
      for (const doc of termTouched) {
        if (matched[doc] === 0) touched.push(doc);
        scores[doc] = (scores[doc] as number) + (termScores[doc] as number);
        matched[doc] = (matched[doc] as number) | (1 << index);
        termScores[doc] = 0;
      }
      termTouched.length = 0;
    }

    const hits = topK(touched, scores, limit).map((doc) => ({
      doc,
      score: scores[doc] as number,
      matched: matched[doc] as number,
    }));
    for (const doc of touched) {
      scores[doc] = 0;
      matched[doc] = 0;
    }
    return hits;
  }
}

/** The k documents of highest score (ties to the lower id), without sorting them all. */
function topK(docs: readonly number[], scores: Float64Array, k: number): number[] {
  const better = (a: number, b: number) =>
    (scores[a] as number) > (scores[b] as number) || (scores[a] === scores[b] && a < b);
  const best: number[] = [];
  for (const doc of docs) {
    if (best.length === k && !better(doc, best[k - 1] as number)) continue;
    let i = Math.min(best.length, k - 1);
    if (best.length < k) best.push(doc);
    while (i > 0 && better(doc, best[i - 1] as number)) {
      best[i] = best[i - 1] as number;
      i--;
    }
    best[i] = doc;
  }
  return best;
}
