import type { AliasRecord, Lang } from "../knowledge/schema.ts";
import { Analyzer, aliasKeys, ordinalKey, type Term } from "./analyzer.ts";
import { type Profile, TrigramSpace } from "./char-ngrams.ts";
import { type Hit, type IndexedField, InvertedIndex, MAX_QUERY_TERMS } from "./inverted-index.ts";
import { isMostlyLatin, latinCandidates } from "./latin.ts";
import { questionPart } from "./question-part.ts";
import { isQuestionWord, isStopWord } from "./tokenize.ts";
import { TypoCorrector } from "./typo.ts";

export interface DocumentInput {
  /** Fields of free text with their weights. */
  fields: { text: string; weight: number }[];
  /**
   * Separate phrasings of the same request (a fact's alternate questions): indexed as one
   * field of weight `phrasingWeight`, and the closest one to the query gives the "nearest
   * question" signal.
   */
  phrasings: { text: string; lang: Lang | null }[];
  phrasingWeight: number;
}

export interface QueryTerm extends Term {
  weight: number;
  /** The word was not in the vocabulary and was replaced by near spellings. */
  corrected: boolean;
  /** Unknown even after correction: a word the knowledge base never uses. */
  unknown: boolean;
}

export interface Candidate {
  doc: number;
  bm25: number;
  /** idf-weighted share of the query's content words this document matches, 0..1. */
  coverage: number;
  /** Best idf-weighted overlap between the query and one of the document's phrasings, 0..1. */
  nearest: number;
  /** Best character-trigram cosine between the query and one of the document's phrasings, 0..1. */
  similar: number;
  /** The query has a number or a name the document lacks. */
  missesSpecific: boolean;
  /** Language of the phrasing closest to the query, when one language's phrasings fit clearly better. */
  phrasingLang: Lang | null;
  score: number;
}

const MARKUP = /<\/?[a-z][^<>]*>/gi;

/** People paste formatted text: tags are not words of the question. */
function stripMarkup(text: string): string {
  return text.includes("<") ? text.replace(MARKUP, " ") : text;
}

interface ScoredQuery {
  content: QueryTerm[];
  profile: Profile;
  idfs: number[];
  specific: boolean[];
}

export interface RetrievalResult {
  terms: QueryTerm[];
  candidates: Candidate[];
  /** Share of the query's content words the knowledge base never uses, even after typo correction. */
  unknownShare: number;
  /** Share of the query's content words read through typo correction. */
  correctedShare: number;
}

const CANDIDATES = 15;
/** How many of the best candidates are compared by character trigrams. */
const SIMILARITY_CANDIDATES = 5;
const SIMILARITY_BASE = 0.6;
const QUESTION_WORD_WEIGHT = 0.35;
const CORRECTED_WEIGHT = 0.75;
const PHRASING_LANG_MARGIN = 0.15;
/** The shortest first part and the shortest known tail of a compound word. */
const MIN_COMPOUND_PART = 3;
const MIN_COMPOUND_TAIL = 5;
const ROMAN_NUMERAL = /^[ivxl]+$/;
/** A name in more than this share of facts (Kazakhstan, Russia) says nothing about which fact is meant. */
const SPECIFIC_NAME_MAX_SHARE = 0.7;
/**
 * A notion few facts speak of ("тақырып", "приглашение") is as telling as a name: a fact
 * that lacks it answers another question, even when it shares the question's forum and city.
 */
const SPECIFIC_TERM_MAX_SHARE = 0.03;
/** How much a candidate lacking a number or name of the question loses in the ranking. */
const MISSES_SPECIFIC_PENALTY = 0.6;

export class Retriever {
  readonly analyzer: Analyzer;
  private readonly index = new InvertedIndex();
  private readonly phrasingKeys: { keys: Set<string>; lang: Lang | null }[][] = [];
  private readonly phrasingWords: string[][][] = [];
  private readonly trigrams = new TrigramSpace();
  private readonly profiles = new Map<number, Profile[]>();
  private readonly typos: TypoCorrector;
  /** For the words a compound's first part begins ("видео" → "видеосвязь"). */
  private readonly sortedVocabulary: string[];
  /** Alias keys of places, people and organisations. */
  private readonly nameKeys: Set<string>;
  private readonly personKeys: Set<string>;
  private readonly aliasKeys: Set<string>;
  /** Alias keys of common notions, named in several words ("товарооборот", "сауда айналымы"). */
  private readonly termKeys: Set<string>;

  constructor(docs: readonly DocumentInput[], aliases: readonly AliasRecord[] = []) {
    this.analyzer = new Analyzer(aliases);
    this.termKeys = aliasKeys(aliases, (alias) => alias.kind === "term");
    this.aliasKeys = aliasKeys(aliases);
    this.personKeys = aliasKeys(aliases, (alias) => alias.kind === "person");
    this.nameKeys = aliasKeys(aliases, (alias) => alias.kind !== "term");
    const vocabulary = new Set<string>();
    for (const doc of docs) {
      const phrasings = doc.phrasings.map(({ text, lang }) => ({
        terms: this.analyzer.analyze(text),
        lang,
      }));
      const fields: IndexedField[] = [
        { terms: phrasings.flatMap((phrasing) => phrasing.terms), weight: doc.phrasingWeight },
        ...doc.fields.map((field) => ({
          terms: this.analyzer.analyze(field.text),
          weight: field.weight,
        })),
      ];
      for (const field of fields) for (const term of field.terms) vocabulary.add(term.word);
      this.index.add(fields);
      this.phrasingKeys.push(
        phrasings.map(({ terms, lang }) => ({ keys: this.contentKeys(terms), lang })),
      );
      const words = phrasings.map(({ terms }) => contentWords(terms));
      for (const phrasing of words) this.trigrams.add(phrasing);
      this.phrasingWords.push(words);
    }
    for (const alias of aliases) {
      for (const name of [...alias.kk, ...alias.ru, ...alias.other]) {
        for (const word of this.analyzer.words(name)) vocabulary.add(word);
      }
    }
    this.typos = new TypoCorrector(vocabulary);
    this.sortedVocabulary = [...vocabulary].sort();
  }

  get size(): number {
    return this.index.size;
  }

  search(text: string, limit = CANDIDATES): RetrievalResult {
    const question = questionPart(stripMarkup(text), (sentence) => this.analyzer.words(sentence));
    const terms = this.queryTerms(this.readScript(question));
    const content = terms.filter((term) => term.weight > 0).slice(0, MAX_QUERY_TERMS);
    const share = (test: (term: QueryTerm) => boolean) =>
      content.length === 0 ? 0 : content.filter(test).length / content.length;
    const unknownShare = share((term) => term.unknown);
    const correctedShare = share((term) => term.corrected);
    if (content.length === 0) return { terms, candidates: [], unknownShare, correctedShare };
    const hits = this.index.search(content, limit);
    const query: ScoredQuery = {
      content,
      profile: this.trigrams.profile(contentWords(terms), { query: true }),
      idfs: content.map((term) => this.termIdf(term)),
      specific: content.map((term) => this.isSpecific(term)),
    };
    const candidates = hits.map((hit) => this.candidate(hit, query));
    candidates.sort((a, b) => b.score - a.score || a.doc - b.doc);
    // Trigram profiles cost the most of all signals, so only the leaders are compared by them;
    // the rest keep the neutral share and cannot overtake a leader by it.
    this.trigrams.withQuery(query.profile, (similarity) => {
      for (const candidate of candidates.slice(0, SIMILARITY_CANDIDATES)) {
        for (const phrasing of this.phrasingProfiles(candidate.doc))
          candidate.similar = Math.max(candidate.similar, similarity(phrasing));
        candidate.score *= (SIMILARITY_BASE + candidate.similar) / SIMILARITY_BASE;
      }
    });
    candidates.sort((a, b) => b.score - a.score || a.doc - b.doc);
    return { terms, candidates, unknownShare, correctedShare };
  }

  /** Latin-script input is read as Kazakh Latin, Russian translit or a wrong keyboard layout: whichever the vocabulary knows best. */
  private readScript(text: string): string {
    if (!isMostlyLatin(text)) return text;
    // A word found as it is counts 2, one found through typo correction 1. Correction is the
    // slow part, so it is only tried for readings that could still reach the best score.
    const readings = [text, ...latinCandidates(text)].map((reading) => {
      const words = this.analyzer.analyze(reading).filter((term) => !term.isNumber);
      const unknown = words.filter((term) => !term.keys.some((key) => this.index.has(key)));
      return { reading, exact: 2 * (words.length - unknown.length), unknown, score: -1 };
    });
    let best = -1;
    for (const candidate of [...readings].sort((a, b) => b.exact - a.exact)) {
      if (candidate.exact + candidate.unknown.length < best) continue;
      candidate.score =
        candidate.exact +
        candidate.unknown.filter((term) => this.typos.correct(term.word).length > 0).length;
      best = Math.max(best, candidate.score);
    }
    return (readings.find((candidate) => candidate.score === best) ?? { reading: text }).reading;
  }

  private queryTerms(text: string): QueryTerm[] {
    const words = this.analyzer.words(text);
    const terms: QueryTerm[] = [];
    const analyzed = this.analyzer.analyzeWords(words).map((term) => this.asTitle(term));
    for (const term of analyzed) {
      const stop = isStopWord(term.word);
      const question = isQuestionWord(term.word);
      const weight = stop ? 0 : question ? QUESTION_WORD_WEIGHT : 1;
      // A name or notion the aliases list but no fact uses ("виза", "Москва") is known to be
      // absent: it is not a typo, and a fact that lacks it answers something else.
      const known = term.keys.some((key) => this.index.has(key) || this.aliasKeys.has(key));
      // A question word the knowledge base does not use ("скока") says nothing about its scope.
      if (known || stop || question || term.isNumber) {
        const keys = rankTyped(term) ? [...term.keys, ordinalKey(Number(term.word))] : term.keys;
        const found = known || keys.some((key) => this.index.has(key));
        terms.push({
          ...term,
          keys,
          weight,
          corrected: false,
          unknown: !found && !stop && !question,
        });
        continue;
      }
      const corrections = this.typos.correct(term.word);
      if (corrections.length === 0) {
        const compound = this.compoundKeys(term.word);
        terms.push(
          compound
            ? { ...term, keys: compound, weight, corrected: false, unknown: false }
            : { ...term, weight, corrected: false, unknown: true },
        );
        continue;
      }
      const keys = new Set<string>();
      for (const correction of corrections) {
        for (const key of this.analyzer.analyzeWords([correction.word])[0]?.keys ?? [])
          keys.add(key);
      }
      terms.push({
        word: term.word,
        keys: [...keys],
        isNumber: false,
        weight: weight * CORRECTED_WEIGHT,
        corrected: true,
        unknown: false,
      });
    }
    return terms;
  }

  /**
   * A word that starts a person's title ("российский президент", "Ресей Президенті") stands
   * for the person: it should not match "российской стороне" in a fact on someone else.
   */
  private asTitle(term: Term): Term {
    const person = term.keys.filter((key) => this.personKeys.has(key));
    if (person.length === 0) return term;
    // A word that is the person's name by itself ("Путин") keeps its keys.
    const alone = this.analyzer.analyzeWords([term.word])[0]?.keys ?? [];
    return person.some((key) => alone.includes(key)) ? term : { ...term, keys: person };
  }

  /**
   * Russian writes some compounds as one word ("видеосаммит", "бизнесфорум"): an unknown word
   * whose tail is a known word stands for both its parts, when the first part is a known word
   * or begins one ("видео" → "видеосвязь"). A first part the knowledge base does not know
   * ("загранпаспорт") may change what the tail means, so the word then stays unknown. The
   * longest known tail wins, and the first part must be a few letters long, so that a prefix
   * is not taken for a word.
   */
  private compoundKeys(word: string): string[] | null {
    for (let start = MIN_COMPOUND_PART; word.length - start >= MIN_COMPOUND_TAIL; start++) {
      const tail = word.slice(start);
      if (isStopWord(tail)) continue;
      const tailKeys = this.knownKeys(tail);
      if (tailKeys.length === 0) continue;
      const first = word.slice(0, start);
      const firstKeys = this.knownKeys(first);
      if (firstKeys.length === 0) {
        for (const known of this.wordsStartingWith(first)) firstKeys.push(...this.knownKeys(known));
      }
      return firstKeys.length > 0 ? unique([...tailKeys, ...firstKeys]) : null;
    }
    return null;
  }

  private knownKeys(word: string): string[] {
    const keys: string[] = [];
    for (const term of this.analyzer.analyzeWords([word]))
      for (const key of term.keys) if (this.index.has(key)) keys.push(key);
    return keys;
  }

  private wordsStartingWith(prefix: string, limit = 3): string[] {
    const words = this.sortedVocabulary;
    let low = 0;
    let high = words.length;
    while (low < high) {
      const mid = (low + high) >> 1;
      if ((words[mid] as string) < prefix) low = mid + 1;
      else high = mid;
    }
    const found: string[] = [];
    for (let i = low; i < words.length && found.length < limit; i++) {
      const word = words[i] as string;
      if (!word.startsWith(prefix)) break;
      found.push(word);
    }
    return found;
  }

  private contentKeys(terms: Term[]): Set<string> {
    const keys = new Set<string>();
    for (const term of terms) {
      if (isStopWord(term.word)) continue;
      for (const key of term.keys) keys.add(key);
    }
    return keys;
  }

  private termIdf(term: QueryTerm): number {
    if (term.unknown) return Math.log(1 + this.index.size);
    let best = 0;
    for (const key of term.keys)
      if (this.index.has(key)) best = Math.max(best, this.index.idf(key));
    return best * (term.weight > 0 ? term.weight : 0);
  }

  /** Numbers, ordinals, rare names and rare notions: a fact that lacks one the question asks about answers something else. */
  private isSpecific(term: QueryTerm): boolean {
    if (term.isNumber || ROMAN_NUMERAL.test(term.word)) return true;
    // A name reached only through typo correction is a guess ("сомасы" → "Смайылов").
    if (term.corrected) return false;
    const limit = SPECIFIC_NAME_MAX_SHARE * this.index.size;
    const termLimit = SPECIFIC_TERM_MAX_SHARE * this.index.size;
    return term.keys.some(
      (key) =>
        (this.nameKeys.has(key) && this.index.documentFrequency(key) <= limit) ||
        (this.termKeys.has(key) && this.index.documentFrequency(key) <= termLimit),
    );
  }

  private phrasingProfiles(doc: number): Profile[] {
    let profiles = this.profiles.get(doc);
    if (!profiles) {
      profiles = (this.phrasingWords[doc] ?? []).map((words) => this.trigrams.profile(words));
      if (this.profiles.size > 20_000) this.profiles.clear();
      this.profiles.set(doc, profiles);
    }
    return profiles;
  }

  private candidate(hit: Hit, { content, idfs, specific }: ScoredQuery): Candidate {
    let total = 0;
    let matched = 0;
    let missesSpecific = false;
    for (let i = 0; i < content.length; i++) {
      const idf = idfs[i] as number;
      total += idf;
      if (hit.matched & (1 << i)) matched += idf;
      else if (specific[i]) missesSpecific = true;
    }
    const coverage = total > 0 ? matched / total : 0;
    const nearestBy: Record<Lang, number> = { kk: 0, ru: 0 };
    let nearest = 0;
    for (const phrasing of this.phrasingKeys[hit.doc] ?? []) {
      const value = overlap(content, idfs, phrasing.keys);
      nearest = Math.max(nearest, value);
      if (phrasing.lang) nearestBy[phrasing.lang] = Math.max(nearestBy[phrasing.lang], value);
    }
    const phrasingLang =
      Math.abs(nearestBy.kk - nearestBy.ru) < PHRASING_LANG_MARGIN
        ? null
        : nearestBy.kk > nearestBy.ru
          ? "kk"
          : "ru";
    const score =
      hit.score *
      (0.5 + coverage) *
      (0.6 + nearest) *
      (missesSpecific ? MISSES_SPECIFIC_PENALTY : 1);
    return {
      doc: hit.doc,
      bm25: hit.score,
      coverage,
      nearest,
      similar: 0,
      missesSpecific,
      phrasingLang,
      score,
    };
  }
}

/** Forums and ranks people type in digits ("18 форум", "16-м форуме") stay below this. */
const MAX_TYPED_RANK = 40;

function rankTyped(term: Term): boolean {
  return /^\d+$/.test(term.word) && Number(term.word) <= MAX_TYPED_RANK;
}

function contentWords(terms: readonly Term[]): string[] {
  return terms.filter((term) => !isStopWord(term.word)).map((term) => term.word);
}

/** idf-weighted overlap between the query's terms and one phrasing's keys, 0..1. */
function overlap(content: QueryTerm[], idfs: number[], phrasing: Set<string>): number {
  if (phrasing.size === 0) return 0;
  let shared = 0;
  let total = 0;
  let sharedWords = 0;
  for (let i = 0; i < content.length; i++) {
    const idf = idfs[i] as number;
    total += idf;
    const keys = (content[i] as QueryTerm).keys;
    for (let k = 0; k < keys.length; k++) {
      if (phrasing.has(keys[k] as string)) {
        shared += idf;
        sharedWords++;
        break;
      }
    }
  }
  if (total === 0) return 0;
  // A short query fully inside a long phrasing is still a good match; a long phrasing that
  // shares one word with the query is not, so the phrasing's size dampens a little. A
  // phrasing holds about three keys a word (the word and its two stems).
  const phrasingWords = phrasing.size / 3;
  const phrasingShare = Math.min(1, sharedWords / Math.max(1, phrasingWords));
  return 0.7 * (shared / total) + 0.3 * phrasingShare;
}

function unique(keys: string[]): string[] {
  return [...new Set(keys)];
}
