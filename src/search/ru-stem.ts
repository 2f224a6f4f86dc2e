/**
 * Russian stemming: the Snowball Russian stemmer from `@orama/stemmers` (ESM, typed, no
 * dependencies), memoised in a bounded map.
 *
 * Snowball quirks to know about: some words lose a letter that other forms keep
 * (казахстан → казахста but казахстаном → казахстан; россия → росс; кокшетау → кокшета).
 * The index should therefore also keep the unstemmed word (or allow prefix matches).
 * After ж, ч, ш and щ the plural ending "-ят" of the second conjugation is spelled "-ат", which
 * Snowball does not know: "учатся" would keep "учат" while "учится" gives "уч".
 * Input is expected normalized (lower case, ё→е: see `normalize`); words that are not
 * Cyrillic (numbers, Latin) or are 2 letters or fewer come back unchanged.
 */

import { stemmer } from "@orama/stemmers/russian";

const CYRILLIC_WORD_RE = /^[а-яё]+$/;
/** "-ат(ся)" after a sibilant at a word's end, with at least two letters before it. */
const SIBILANT_PLURAL_RE = /^(.[а-я]*[жчшщ])ат(?:ся)?$/;
const CACHE_LIMIT = 50_000;
const cache = new Map<string, string>();

/** Stem one Russian word (lower case expected; upper case is lowered). */
export function stemRussian(word: string): string {
  const hit = cache.get(word);
  if (hit !== undefined) return hit;
  const lower = word.toLowerCase();
  const stem =
    lower.length <= 2 || !CYRILLIC_WORD_RE.test(lower)
      ? lower
      : stemVerbAware(lower.replaceAll("ё", "е"));
  if (cache.size >= CACHE_LIMIT) cache.clear();
  cache.set(word, stem);
  return stem;
}

function stemVerbAware(word: string): string {
  const stem = stemmer(word);
  const plural = SIBILANT_PLURAL_RE.exec(word);
  return plural && stem === `${plural[1]}ат` ? (plural[1] as string) : stem;
}
