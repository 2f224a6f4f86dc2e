import type { AliasRecord } from "../knowledge/schema.ts";
import { stemKazakh } from "./kk-stem.ts";
import { foldKazakh, normalize } from "./normalize.ts";
import { stemRussian } from "./ru-stem.ts";

/** A word of a text and every index key it can match under. */
export interface Term {
  /** Folded surface form. */
  word: string;
  /** The word, its Kazakh and Russian stems, and the alias groups it starts, deduplicated. */
  keys: string[];
  isNumber: boolean;
}

const NUMBER = /^\d+(?:\.\d+)?$/;
const ALIAS_PREFIX = "@";

interface AliasPhrase {
  /** Keys each following word must carry, in order. */
  rest: string[][];
  group: string;
}

/**
 * Turns text into terms for the index and for queries alike, so that a question typed
 * without Kazakh letters, inflected or in the other language's spelling of a name meets
 * the same keys as the knowledge base.
 */
export class Analyzer {
  private readonly stemCache = new Map<string, string[]>();
  /** First word's stem key → the alias phrases starting with it. */
  private readonly aliasPhrases = new Map<string, AliasPhrase[]>();

  constructor(aliases: readonly AliasRecord[] = []) {
    for (const alias of aliases) {
      for (const variant of [...alias.kk, ...alias.ru, ...alias.other]) {
        const words = this.words(variant);
        const first = words[0];
        if (!first) continue;
        const phrase: AliasPhrase = {
          rest: words.slice(1).map((word) => this.stemKeys(word)),
          group: aliasKey(alias.id),
        };
        for (const key of this.stemKeys(first)) {
          const list = this.aliasPhrases.get(key) ?? [];
          if (!list.some((p) => p.group === phrase.group && sameKeys(p.rest, phrase.rest))) {
            list.push(phrase);
          }
          this.aliasPhrases.set(key, list);
        }
      }
    }
  }

  /** Folded words of a text. */
  words(text: string): string[] {
    const folded = foldKazakh(normalize(text));
    return folded.split(" ").filter((word) => word.length > 0);
  }

  /** The word itself and its stems: a word can match as Kazakh or as Russian. */
  stemKeys(word: string): string[] {
    let keys = this.stemCache.get(word);
    if (!keys) {
      const number = romanValue(word) ?? ordinalValue(word);
      keys = NUMBER.test(word)
        ? [word]
        : number !== null
          ? [word, ordinalKey(number)]
          : unique([word, stemKazakh(word), stemRussian(word)]);
      if (this.stemCache.size > 50_000) this.stemCache.clear();
      this.stemCache.set(word, keys);
    }
    return keys;
  }

  analyze(text: string): Term[] {
    return this.analyzeWords(this.words(text));
  }

  analyzeWords(words: readonly string[]): Term[] {
    const keySets = words.map((word) => this.stemKeys(word));
    // Kazakh writes 16th as two words, "он алтыншы": the tens word adds to the ordinal after it.
    for (let i = 1; i < words.length; i++) {
      const tens = KAZAKH_TENS[words[i - 1] as string];
      const unit = tens === undefined ? null : ordinalValue(words[i] as string);
      if (tens !== undefined && unit !== null && unit < 10)
        keySets[i] = [words[i] as string, ordinalKey(tens + unit)];
    }
    const terms: Term[] = words.map((word, i) => ({
      word,
      keys: [...(keySets[i] ?? [])],
      isNumber:
        NUMBER.test(word) ||
        ordinalValue(word) !== null ||
        (word.length > 1 && romanValue(word) !== null),
    }));
    for (let i = 0; i < words.length; i++) {
      const seen = new Set<string>();
      for (const key of keySets[i] ?? []) {
        for (const phrase of this.aliasPhrases.get(key) ?? []) {
          if (seen.has(phrase.group) || !phraseMatchesAt(phrase.rest, keySets, i + 1)) continue;
          seen.add(phrase.group);
          terms[i]?.keys.push(phrase.group);
        }
      }
    }
    return terms;
  }
}

/**
 * The key of a rank ("XVII", "семнадцатый", "он жетінші" → 17), apart from the count 17: the
 * XVII forum is not "17 документов". A question's "17-й форум" is given both keys by the
 * retriever, since a rank typed in digits looks like a count.
 */
export function ordinalKey(value: number): string {
  return `#${value}`;
}

export function aliasKey(aliasId: string): string {
  return ALIAS_PREFIX + aliasId;
}

/** The index keys of the alias groups that pass `test` (all of them without one). */
export function aliasKeys(
  aliases: readonly AliasRecord[],
  test: (alias: AliasRecord) => boolean = () => true,
): Set<string> {
  return new Set(aliases.filter(test).map((alias) => aliasKey(alias.id)));
}

function phraseMatchesAt(rest: string[][], keySets: string[][], start: number): boolean {
  for (let j = 0; j < rest.length; j++) {
    const have = keySets[start + j];
    const want = rest[j];
    if (!have || !want?.some((key) => have.includes(key))) return false;
  }
  return true;
}

function sameKeys(a: string[][], b: string[][]): boolean {
  return a.length === b.length && a.every((keys, i) => keys.join(" ") === b[i]?.join(" "));
}

const ROMAN_DIGITS: Record<string, number> = { i: 1, v: 5, x: 10, l: 50 };
const ROMAN = /^(?:x{0,3})(?:ix|iv|v?i{0,3})$|^(?:xl|l?x{0,3})(?:ix|iv|v?i{0,3})$/;

/** "xviii" → 18: forums are numbered in Roman numerals, people type 18 as often. */
export function romanValue(word: string): number | null {
  if (word.length === 0 || word.length > 7 || !ROMAN.test(word)) return null;
  let total = 0;
  for (let i = 0; i < word.length; i++) {
    const value = ROMAN_DIGITS[word[i] as string] as number;
    const next = ROMAN_DIGITS[word[i + 1] as string] ?? 0;
    total += value < next ? -value : value;
  }
  return total > 0 ? total : null;
}

const RUSSIAN_ORDINAL_STEMS: [string, number][] = [
  ["перв", 1],
  ["втор", 2],
  ["трет", 3],
  ["четверт", 4],
  ["пят", 5],
  ["шест", 6],
  ["седьм", 7],
  ["восьм", 8],
  ["девят", 9],
  ["десят", 10],
  ["одиннадцат", 11],
  ["двенадцат", 12],
  ["тринадцат", 13],
  ["четырнадцат", 14],
  ["пятнадцат", 15],
  ["шестнадцат", 16],
  ["семнадцат", 17],
  ["восемнадцат", 18],
  ["девятнадцат", 19],
  ["двадцат", 20],
  ["тридцат", 30],
];
const RUSSIAN_ORDINAL = new RegExp(
  `^(${RUSSIAN_ORDINAL_STEMS.map(([stem]) => stem).join("|")})(ый|ой|ий|ая|ое|ого|ому|ом|ых|ые|ым|ыми|ую|ей|ье|ья|ьего|ьей|ьему|ьем|ьим|ьих|ьи|ью)$`,
);
/** Folded Kazakh ordinals; case endings may follow ("алтыншыда"). */
const KAZAKH_ORDINALS: [string, number][] = [
  ["биринши", 1],
  ["алгашкы", 1],
  ["тунгыш", 1],
  ["екинши", 2],
  ["ушинши", 3],
  ["тортинши", 4],
  ["бесинши", 5],
  ["алтыншы", 6],
  ["жетинши", 7],
  ["сегизинши", 8],
  ["тогызыншы", 9],
  ["оныншы", 10],
  ["жиырмасыншы", 20],
  ["отызыншы", 30],
];
const KAZAKH_TENS: Record<string, number> = { он: 10, жиырма: 20, отыз: 30 };
const ordinalValues = new Map<string, number>([...RUSSIAN_ORDINAL_STEMS, ...KAZAKH_ORDINALS]);

/** "шестнадцатого", "алтыншы" → their numbers: people write a forum's number in words too. */
export function ordinalValue(word: string): number | null {
  const russian = RUSSIAN_ORDINAL.exec(word);
  if (russian) return ordinalValues.get(russian[1] as string) ?? null;
  for (const [stem, value] of KAZAKH_ORDINALS) if (word.startsWith(stem)) return value;
  return null;
}

function unique(values: string[]): string[] {
  return [...new Set(values.filter((value) => value.length > 0))];
}
