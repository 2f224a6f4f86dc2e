/**
 * A light Kazakh stemmer for search, working on *folded* words (ә→а, ғ→г, қ→к, ң→н, ө→о,
 * ұ/ү→у, һ→х, і→и; see `foldKazakh`), so that Kazakh typed without its letters stems like
 * Kazakh typed with them. Input is folded first, so unfolded words are fine too.
 *
 * Endings are stripped right to left, at most one per layer:
 *   attributive (-дағы/-дегі/-тағы/-тегі/-ндағы, -ғы/-гі, -қы/-кі)
 *   → case (genitive, dative, accusative, locative, ablative, instrumental; also the past
 *     -ды/-ты and present -ады/-еді, -атын/-етін verb endings, which look alike)
 *   → possessive (-ы/-і, -сы/-сі, -ымыз/-іміз, -ыңыз/-іңіз)
 *   → plural (-лар/-лер/-дар/-дер/-тар/-тер)
 *   → participle (-ған/-ген/-қан/-кен)
 *   → passive (-ыл/-іл, -л, -н), only after a past ending or a participle was taken.
 * Each ending is only stripped after the sounds it follows in Kazakh (its allomorph: -да after a
 * vowel or voiced consonant, -та after a voiceless one, -ның after a vowel or м/н…), which keeps
 * real word endings safe (Павлодар, доллар, карта, экспорт, президент). Further rules, from
 * measurements on text typed without Kazakh letters:
 * - the accusative -н is only taken after a 3rd person possessive that is unmistakable
 *   (-сын, -ғын, -бын, -уын, -ларын…), never from -ын/-ін in general (Путин, кейін, бұрын);
 * - -на/-нда/-нан only after ы, -не/-нде/-нен only after і (folded и) — vowel harmony rules
 *   out машина, медицина;
 * - a final б/г of the stem is written п/к (тақырыбы → такырып, диалогы = диалог → диалок);
 * - a stem keeps at least 3 letters and a vowel (a few 2-letter roots excepted: ел, іс, су…),
 *   and words of 3 letters or fewer are returned as they are (folded);
 * - a few words whose ending looks like a suffix are protected (Қазақстан, сауда, теңге…).
 *
 * Stems are search keys, not dictionary forms: what matters is that the inflections of a word
 * meet, typed with or without the Kazakh letters.
 */

import { foldKazakh } from "./normalize.ts";

const VOWELS = "аеиоуыэюяё";
/** Voiced consonants that take д-/г- initial allomorphs (у here is the semivowel). */
const VOICED = "лрйузж";
const NASAL = "мн";
const VOICELESS = "кпстшфхцчщ";
/** Final voiced consonants of loanwords (Тоқаев, Оренбург): both д- and т- forms are seen. */
const LOOSE = "вбг";

const isVowel = (c: string): boolean => c !== "" && VOWELS.includes(c);
const isIn = (set: string, c: string): boolean => c !== "" && set.includes(c);

/** The context an ending may follow, tested on the last letter of what remains. */
type Context = (prev: string, stem: string) => boolean;

const afterVowelOrNasal: Context = (p) => (isVowel(p) && p !== "у") || isIn(NASAL, p);
const afterVoiced: Context = (p) => isIn(VOICED, p) || isIn(LOOSE, p);
const afterVoicedOrNasal: Context = (p) => isIn(VOICED, p) || isIn(NASAL, p) || isIn(LOOSE, p);
const afterVowelOrVoiced: Context = (p) => isVowel(p) || isIn(VOICED, p) || isIn(LOOSE, p);
const afterVowelVoicedOrNasal: Context = (p) => isVowel(p) || afterVoicedOrNasal(p, "");
const afterVoiceless: Context = (p) => isIn(VOICELESS, p) || isIn(LOOSE, p);
const afterVowelNotU: Context = (p) => isVowel(p) && p !== "у";
const afterY: Context = (p) => p === "ы";
const afterI: Context = (p) => p === "и";
const anywhere: Context = () => true;
const afterConsonant: Context = (p) => p !== "" && !isVowel(p);
/** -тан/-тен, but not the -стан of country names after a consonant (Қазақстан, Өзбекстан). */
const ablativeT: Context = (p, stem) =>
  afterVoiceless(p, stem) && !(p === "с" && stem.length >= 2 && !isVowel(stem.at(-2) ?? ""));

type Rule = readonly [suffix: string, context: Context];

/**
 * The bare attributive -ғы/-гі/-қы/-кі (жылғы, бүгінгі, сыртқы) is only taken from the time and
 * place words it forms adjectives from; elsewhere -ғы is a possessive (ынтымақтастығы) or part
 * of the word (кедергі).
 */
const ATTRIBUTIVE_STEMS = new Set(
  "жыл биыл былтыр бугин казир кейин алдын сон ерте бурын сырт иш тыс жогар ишки осындагы".split(
    " ",
  ),
);
const afterAttributiveStem: Context = (_p, stem) => ATTRIBUTIVE_STEMS.has(stem);

/** Layer 1: attributive -ғы/-гі, with the locative before it (-дағы, -ндағы). */
const ATTRIBUTIVE: readonly Rule[] = [
  ["ндагы", afterY],
  ["ндеги", afterI],
  ["дагы", afterVowelVoicedOrNasal],
  ["деги", afterVowelVoicedOrNasal],
  ["тагы", afterVoiceless],
  ["теги", afterVoiceless],
  ["гы", afterAttributiveStem],
  ["ги", afterAttributiveStem],
  ["кы", afterAttributiveStem],
  ["ки", afterAttributiveStem],
];

/** Layer 2: case endings (and verb endings that share their shape). Longest first. */
const CASE: readonly Rule[] = [
  ["атын", afterConsonant],
  ["етин", afterConsonant],
  ["йтын", anywhere],
  ["йтин", anywhere],
  ["менен", anywhere],
  // Participle + possessive + accusative, common in reported speech: айналғанын, түскенін.
  ["ганын", afterVowelVoicedOrNasal],
  ["генин", afterVowelVoicedOrNasal],
  ["канын", afterVoiceless],
  ["кенин", afterVoiceless],
  ["нын", afterVowelOrNasal],
  ["нин", afterVowelOrNasal],
  ["дын", afterVoiced],
  ["дин", afterVoiced],
  ["тын", afterVoiceless],
  ["тин", afterVoiceless],
  ["нан", (p) => isIn(NASAL, p) || p === "ы"],
  ["нен", (p) => isIn(NASAL, p) || p === "и"],
  ["дан", afterVowelOrVoiced],
  ["ден", afterVowelOrVoiced],
  ["тан", ablativeT],
  ["тен", ablativeT],
  ["мен", anywhere],
  ["бен", anywhere],
  ["пен", anywhere],
  ["ады", afterConsonant],
  ["еди", afterConsonant],
  ["нда", afterY],
  ["нде", afterI],
  ["да", afterVowelVoicedOrNasal],
  ["де", afterVowelVoicedOrNasal],
  ["та", afterVoiceless],
  ["те", afterVoiceless],
  ["на", afterY],
  ["не", afterI],
  ["га", afterVowelVoicedOrNasal],
  ["ге", afterVowelVoicedOrNasal],
  ["ка", afterVoiceless],
  ["ке", afterVoiceless],
  ["ны", afterVowelNotU],
  ["ни", afterVowelNotU],
  ["ды", afterVoicedOrNasal],
  ["ди", afterVoicedOrNasal],
  ["ты", afterVoiceless],
  ["ти", afterVoiceless],
];

/** The accusative -н is only taken after these unmistakable 3rd person possessives. */
const ACCUSATIVE_N_AFTER = [
  "лары",
  "лери",
  "дары",
  "дери",
  "тары",
  "тери",
  "сы",
  "си",
  "гы",
  "ги",
  "бы",
  "би",
  "уы",
  "уи",
];

/** Layer 4: plural. */
const PLURAL: readonly Rule[] = [
  ["лар", (p) => isVowel(p) || "руй".includes(p)],
  ["лер", (p) => isVowel(p) || "руй".includes(p)],
  ["дар", (p) => "лмнзж".includes(p) && p !== ""],
  ["дер", (p) => "лмнзж".includes(p) && p !== ""],
  ["тар", afterVoiceless],
  ["тер", afterVoiceless],
];

/** Layer 5: past participle. */
const PARTICIPLE: readonly Rule[] = [
  ["ган", afterVowelVoicedOrNasal],
  ["ген", afterVowelVoicedOrNasal],
  ["кан", afterVoiceless],
  ["кен", afterVoiceless],
];

/** Two-letter roots a suffix may be stripped down to (елдер → ел, істер → іс). */
const SHORT_ROOTS = new Set(["ел", "ис", "су", "ай", "уй"]);

/**
 * Words whose own ending looks like a suffix: stripping never goes below them
 * (Қазақстан is not Қазақс+тан, сауда not сау+да, теңге not теңге…). Folded.
 */
const PROTECTED = [
  "казакстан",
  "озбекстан",
  "кыргызстан",
  "тажикстан",
  "туркменстан",
  "ауганстан",
  "пакистан",
  "татарстан",
  "башкортостан",
  "дагестан",
  "туркистан",
  "сауда",
  "акорда",
  "торага",
  "тенге",
  "кенес",
  "бизнес",
  "канада",
  "волга",
  "корган",
  "мишустин",
  "пункт",
  "проект",
  "объект",
  "контракт",
  "продукт",
];
const PROTECTED_BY_FIRST = new Map<string, string[]>();
for (const p of PROTECTED) {
  const key = p.slice(0, 2);
  const list = PROTECTED_BY_FIRST.get(key) ?? [];
  list.push(p);
  PROTECTED_BY_FIRST.set(key, list);
}

function hasVowel(s: string): boolean {
  for (let i = 0; i < s.length; i++) if (VOWELS.includes(s[i] as string)) return true;
  return false;
}

/** May the word be cut down to `stem`? */
function canKeep(stem: string, minLength: number): boolean {
  if (stem.length < minLength) return false;
  if (stem.length >= 3) return hasVowel(stem);
  return SHORT_ROOTS.has(stem);
}

/** Strip the first (longest) rule that applies; returns the shorter word or null. */
function stripOne(word: string, rules: readonly Rule[], minLength: number): string | null {
  for (const [suffix, context] of rules) {
    if (word.length <= suffix.length || !word.endsWith(suffix)) continue;
    const stem = word.slice(0, word.length - suffix.length);
    if (!canKeep(stem, minLength)) continue;
    if (context(stem.at(-1) ?? "", stem)) return stem;
  }
  return null;
}

function stripCase(word: string, minLength: number): string | null {
  const stem = stripOne(word, CASE, minLength);
  if (stem !== null) return stem;
  // Accusative -н after a 3rd person possessive: бағдарламасын, ынтымақтастығын, облыстарын.
  if (word.endsWith("н")) {
    const rest = word.slice(0, -1);
    // A short rest is more likely a word of its own (бүгін, тегін).
    if (rest.length >= 5 && ACCUSATIVE_N_AFTER.some((p) => rest.endsWith(p))) {
      if (canKeep(rest, minLength)) return rest;
    }
  }
  return null;
}

/** Past tense endings: after them the stem is a verb's, and may carry the passive. */
const PAST = /(ды|ди|ты|ти)$/;
/**
 * The passive between a verb's root and its ending: -ыл/-іл after a consonant (ұсын-ыл-ды),
 * -л after a vowel (аяқта-л-ды), -н after л (талқыла-н-ды). Stripped down to the key the
 * active form gets: ұсынды → усын, аяқтады → аякт, талқылады → талкыл. The adjectives in -ды
 * of short roots ending in л (ықпалды, беделді, қимылды) look the same, so what is left must
 * have four letters at least.
 */
const PASSIVE = /(?<=[^аеиоуыэюя])(ыл|ил|ал|ел)$|(?<=л)(ан|ен)$/;
const MIN_PASSIVE_STEM = 4;

function stripPassive(word: string, minLength: number): string | null {
  const match = PASSIVE.exec(word);
  if (!match) return null;
  const stem = word.slice(0, match.index);
  return stem.length >= MIN_PASSIVE_STEM && canKeep(stem, minLength) ? stem : null;
}

function stripPossessive(word: string, minLength: number): string | null {
  const n = word.length;
  for (const [suffix, afterVowelForm] of [
    ["ымыз", "мыз"],
    ["имиз", "миз"],
    ["ыныз", "ныз"],
    ["иниз", "низ"],
  ] as const) {
    if (word.endsWith(suffix)) {
      const stem = word.slice(0, n - 4);
      const p = stem.at(-1) ?? "";
      if (canKeep(stem, minLength) && (!isVowel(p) || p === "у")) return stem;
    }
    if (word.endsWith(afterVowelForm)) {
      const stem = word.slice(0, n - 3);
      if (canKeep(stem, minLength) && isVowel(stem.at(-1) ?? "")) return stem;
    }
  }
  const last = word.at(-1);
  if (last !== "ы" && last !== "и") return null;
  const prev = word.at(-2) ?? "";
  if (prev === "с") {
    const beforeS = word.at(-3) ?? "";
    // кала-сы, бағдарлама-сы, нәтиже-сі, басшы-сы: a vowel-final stem takes -сы/-сі …
    let bySy = "аоуяюэе".includes(beforeS) && beforeS !== "";
    // серіктес-і: the -тес stems (серік+тес) take -і.
    if (beforeS === "е" && word.at(-4) === "т") bySy = false;
    // … but облыс-ы, жұмыс-ы, кеңес-і are -с stems with -ы/-і (agent nouns -шы excepted).
    if ((beforeS === "ы" || beforeS === "и") && word.at(-4) === "ш") bySy = true;
    const stem = word.slice(0, n - 2);
    if (bySy && canKeep(stem, minLength)) {
      // The bare word loses its final ы/і too (басшы → басш), so its -сы form must as well.
      const shorter = stem.slice(0, -1);
      if ((beforeS === "ы" || beforeS === "и") && canKeep(shorter, minLength)) return shorter;
      return stem;
    }
  }
  if (isVowel(prev) && prev !== "у") return null;
  const stem = word.slice(0, n - 1);
  return canKeep(stem, minLength) ? stem : null;
}

const FINAL_DEVOICE: Readonly<Record<string, string>> = { б: "п", г: "к" };

function minimumFor(word: string): number {
  const candidates = PROTECTED_BY_FIRST.get(word.slice(0, 2));
  if (candidates === undefined) return 0;
  for (const p of candidates) if (word.startsWith(p)) return p.length;
  return 0;
}

const NON_LETTER_RE = /[^а-яё]/;

const CACHE_LIMIT = 50_000;
const cache = new Map<string, string>();

function stemUncached(input: string): string {
  const word = foldKazakh(input.toLowerCase());
  if (word.length <= 3 || NON_LETTER_RE.test(word)) return word;
  const minLength = minimumFor(word);
  let w = word;

  const attributive = stripOne(w, ATTRIBUTIVE, minLength);
  let verb = false;
  if (attributive !== null) {
    w = attributive;
  } else {
    const cased = stripCase(w, minLength);
    // Only the bare past ending: "-ады" (талқыла-ды read as талқыл-ады) leaves no passive.
    verb = cased !== null && PAST.test(w) && cased.length === w.length - 2;
    w = cased ?? w;
  }
  w = stripPossessive(w, minLength) ?? w;
  w = stripOne(w, PLURAL, minLength) ?? w;
  const participle = stripOne(w, PARTICIPLE, minLength);
  if (participle !== null) {
    w = participle;
    verb = true;
  }
  if (verb) w = stripPassive(w, minLength) ?? w;
  // Stems don't end in consonant + ы/і: the bare word loses it in the possessive layer
  // (басшы → басш), so басшылары → басшы must go on to басш as well.
  const end = w.at(-1);
  if ((end === "ы" || end === "и") && w !== word) {
    const before = w.at(-2) ?? "";
    const shorter = w.slice(0, -1);
    if ((!isVowel(before) || before === "у") && canKeep(shorter, minLength)) w = shorter;
  }

  const last = w.at(-1) ?? "";
  const devoiced = FINAL_DEVOICE[last];
  if (devoiced !== undefined && w.length >= 3) {
    w = w.slice(0, -1) + devoiced;
  }
  return w;
}

/**
 * Stem one Kazakh word (any case, with or without the Kazakh letters) to its folded search key:
 * форумына/форумның/форумда → форум, облыстарының → облыс, қаласында → кала,
 * Қазақстанның → казакстан, өңірлердің → онир, тақырыбы → такырып.
 * Words with digits or non-Cyrillic letters come back folded and lower-cased, unstemmed.
 */
export function stemKazakh(word: string): string {
  const hit = cache.get(word);
  if (hit !== undefined) return hit;
  const stem = stemUncached(word);
  if (cache.size >= CACHE_LIMIT) cache.clear();
  cache.set(word, stem);
  return stem;
}
