import Fuse from "fuse.js";

export interface Correction {
  word: string;
  /** 0 (identical) .. 1 (unrelated), as fuse.js scores. */
  distance: number;
}

const MAX_DISTANCE = 0.34;
const MIN_LENGTH = 4;

/**
 * Finds the vocabulary words a mistyped word may stand for. fuse.js's Bitap matcher is
 * typo-tolerant but scans its whole list, so the vocabulary is split by first letter and
 * word length: a typo rarely hits the first letter, and a word of length n is only
 * compared with words of length n-2..n+2.
 */
export class TypoCorrector {
  private readonly buckets = new Map<string, Fuse<string>>();
  private readonly cache = new Map<string, Correction[]>();

  constructor(vocabulary: Iterable<string>) {
    const groups = new Map<string, string[]>();
    for (const word of vocabulary) {
      if (word.length < MIN_LENGTH - 1 || /\d/.test(word)) continue;
      const key = bucketKey(word[0] as string, word.length);
      const list = groups.get(key) ?? [];
      list.push(word);
      groups.set(key, list);
    }
    for (const [key, words] of groups) {
      this.buckets.set(
        key,
        new Fuse(words, { includeScore: true, threshold: MAX_DISTANCE, ignoreLocation: true }),
      );
    }
  }

  correct(word: string, limit = 3): Correction[] {
    if (word.length < MIN_LENGTH || /\d/.test(word)) return [];
    const cached = this.cache.get(word);
    if (cached) return cached;
    const found: Correction[] = [];
    const first = word[0] as string;
    for (let length = word.length - 2; length <= word.length + 2; length++) {
      const fuse = this.buckets.get(bucketKey(first, length));
      if (!fuse) continue;
      for (const result of fuse.search(word, { limit })) {
        found.push({ word: result.item, distance: result.score ?? 1 });
      }
    }
    found.sort((a, b) => a.distance - b.distance);
    const best = found.slice(0, limit);
    if (this.cache.size > 20_000) this.cache.clear();
    this.cache.set(word, best);
    return best;
  }
}

function bucketKey(first: string, length: number): string {
  return `${first}${length}`;
}
