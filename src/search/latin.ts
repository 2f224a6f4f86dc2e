/**
 * Readings of Latin-script input in Cyrillic.
 *
 * Three ways a message in Latin letters comes about, each with its reader:
 * - Kazakh in the Latin alphabet — the 2021 alphabet (ä ğ ı i ñ ö q ş ç ū ü u y j h), the 2017
 *   apostrophe variant (a' g' n' o' u' y' i' s' c'), the 2018 acute variant (á ǵ ń ó ú ý ı) and
 *   plain ASCII typing with digraphs (sh ch zh kh ts ya yu ye) — read straight into *folded*
 *   Cyrillic (ә→а, қ→к, …, see `foldKazakh`), the form the index is compared in;
 * - Russian transliterated informally ("tovarooborot", "investitsii", "skol'ko");
 * - Russian typed with the keyboard left on the Latin layout ("njdfhjjjhjn" = "товарооборот").
 *
 * `latinCandidates` returns all distinct readings; the caller keeps the one whose words its
 * vocabulary knows. Words already in Cyrillic, numbers and punctuation pass through unchanged
 * (apart from `normalize`).
 */

import { romanValue } from "./analyzer.ts";
import { foldKazakh, normalize } from "./normalize.ts";

// ---------------------------------------------------------------------------------------------
// Shared helpers.

const APOSTROPHES_G = /[’ʼ‘`´ʹ′]/g;
/** A run of Latin letters (with the diacritics used by Kazakh alphabets) and apostrophes. */
const LATIN_WORD_RE = /[a-z\u00df-\u00ff\u0100-\u024f\u0259']+/g;
const LATIN_LETTER_TEST = /[a-z\u00df-\u00ff\u0100-\u024f\u0259]/;
const LATIN_LETTER_G = /[a-z\u00df-\u00ff\u0100-\u024f\u0259]/gi;
const CYRILLIC_LETTER_G = /[а-яёәғқңөұүһі]/gi;
const COMBINING_DOT_G = /\u0307/g;

/** NFC + lower case, keeping İ/i apart from I/ı only as far as the readers need (they don't). */
function prepare(text: string): string {
  return text
    .normalize("NFC")
    .toLowerCase()
    .replace(COMBINING_DOT_G, "")
    .replace(APOSTROPHES_G, "'");
}

// ---------------------------------------------------------------------------------------------
// Kazakh Latin → folded Cyrillic.

/** Vowels after which i / y is read as й (not after u/w: "auyl" is ауыл). */
const KK_VOWELS_BEFORE_J = new Set(["a", "e", "o", "ä", "ö", "á", "ó", "é", "ə"]);
/** Single Latin letters → folded Cyrillic (i, y, c are context dependent and handled apart). */
const KK_SINGLE: Readonly<Record<string, string>> = {
  a: "а",
  ä: "а",
  á: "а",
  à: "а",
  â: "а",
  ə: "а",
  b: "б",
  d: "д",
  e: "е",
  é: "е",
  è: "е",
  ê: "е",
  f: "ф",
  g: "г",
  ğ: "г",
  ǵ: "г",
  h: "х",
  ı: "и",
  í: "и",
  ì: "и",
  î: "и",
  j: "ж",
  k: "к",
  l: "л",
  m: "м",
  n: "н",
  ñ: "н",
  ń: "н",
  o: "о",
  ö: "о",
  ó: "о",
  ò: "о",
  ô: "о",
  p: "п",
  q: "к",
  r: "р",
  s: "с",
  ş: "ш",
  ś: "ш",
  t: "т",
  u: "у",
  ū: "у",
  ü: "у",
  ú: "у",
  ý: "у",
  ù: "у",
  û: "у",
  v: "в",
  w: "у",
  x: "х",
  z: "з",
  ç: "ч",
  č: "ч",
  š: "ш",
  ž: "ж",
};
/** 2017 apostrophe letters: a' ә, g' ғ, n' ң, o' ө, u' ү, y' у, i' і, s' ш, c' ч (folded). */
const KK_APOSTROPHE: Readonly<Record<string, string>> = {
  a: "а",
  g: "г",
  n: "н",
  o: "о",
  u: "у",
  y: "у",
  i: "и",
  s: "ш",
  c: "ч",
};
const KK_DIGRAPHS: Readonly<Record<string, string>> = {
  sh: "ш",
  ch: "ч",
  zh: "ж",
  kh: "х",
  ts: "ц",
  ya: "я",
  yu: "ю",
  yo: "е",
  ye: "е",
};

/** Loanwords spelt with initial э in Kazakh Cyrillic ("ekonomika" → экономика). */
const KK_INITIAL_E = ["ekonom", "eksp", "ekolog", "energ", "elektr", "effek", "etnik", "eksk"];

function kazakhLatinWord(w: string): string {
  const n = w.length;
  let out = "";
  let i = 0;
  if (KK_INITIAL_E.some((p) => w.startsWith(p))) {
    out = "э";
    i = 1;
  }
  while (i < n) {
    const c = w[i] as string;
    const next = i + 1 < n ? (w[i + 1] as string) : "";
    const prev = i > 0 ? (w[i - 1] as string) : "";
    if (c === "'") {
      i++;
      continue;
    }
    if (next === "'" && KK_APOSTROPHE[c] !== undefined) {
      out += KK_APOSTROPHE[c];
      i += 2;
      continue;
    }
    if (c === "i" || c === "ı") {
      const afterVowel = prev !== "" && KK_VOWELS_BEFORE_J.has(prev);
      // "ia"/"iu": я/ю at the start, after a vowel or after another i ("Aziia"), ия/ию after a
      // consonant ("Rossia" → россия, "investisia" → инвестисия).
      if (next === "a" || next === "u") {
        const jv = next === "a" ? "я" : "ю";
        out += i === 0 || afterVowel || prev === "i" || prev === "ı" ? jv : `и${jv}`;
        i += 2;
        continue;
      }
      // 2021: i is и or й; й after a vowel ("qai", "ainalym", "saiyn"). ı is always і.
      out += c === "i" && afterVowel ? "й" : "и";
      i++;
      continue;
    }
    if (c === "y") {
      const pair = `y${next}`;
      if (next !== "" && KK_DIGRAPHS[pair] !== undefined) {
        out += KK_DIGRAPHS[pair];
        i += 2;
        continue;
      }
      out += prev !== "" && KK_VOWELS_BEFORE_J.has(prev) ? "й" : "ы";
      i++;
      continue;
    }
    const digraph = next !== "" ? KK_DIGRAPHS[c + next] : undefined;
    if (digraph !== undefined) {
      out += digraph;
      i += 2;
      continue;
    }
    if (c === "c") {
      out += next === "e" || next === "i" || next === "y" ? "ц" : "к";
      i++;
      continue;
    }
    out += KK_SINGLE[c] ?? c;
    i++;
  }
  return out;
}

/**
 * Kazakh written in any Latin alphabet (2021, 2018 acute, 2017 apostrophe, plain ASCII with
 * digraphs) → folded Cyrillic, normalized: "keles forum qai qalada" → "келес форум кай калада",
 * "Qazaqstan" → "казакстан", "tauar ainalymy" → "тауар айналымы".
 */
export function kazakhLatinToCyrillicFolded(text: string): string {
  const s = prepare(text).replace(LATIN_WORD_RE, kazakhLatinWord);
  return foldKazakh(normalize(s));
}

// ---------------------------------------------------------------------------------------------
// Russian transliteration → Cyrillic.

const RU_VOWELS = new Set(["a", "e", "i", "o", "u", "y"]);
const RU_SINGLE: Readonly<Record<string, string>> = {
  a: "а",
  b: "б",
  d: "д",
  e: "е",
  f: "ф",
  g: "г",
  h: "х",
  i: "и",
  j: "й",
  k: "к",
  l: "л",
  m: "м",
  n: "н",
  o: "о",
  p: "п",
  q: "к",
  r: "р",
  s: "с",
  t: "т",
  u: "у",
  v: "в",
  w: "в",
  x: "х",
  z: "з",
  é: "е",
  ë: "е",
  á: "а",
  ó: "о",
  ú: "у",
  í: "и",
  ý: "ы",
  č: "ч",
  š: "ш",
  ž: "ж",
};
/** Longest first: the scanner tries 4, 3 then 2 letters. */
const RU_MULTI: Readonly<Record<string, string>> = {
  tsya: "тся",
  shch: "щ",
  sch: "щ",
  zh: "ж",
  kh: "х",
  ts: "ц",
  tz: "ц",
  ch: "ч",
  sh: "ш",
  ya: "я",
  ja: "я",
  yu: "ю",
  ju: "ю",
  yo: "е",
  jo: "е",
  ye: "е",
  je: "е",
  ck: "к",
};
/** Word-initial "e" is э ("ekonomika", "eto") except in these beginnings ("evraziyskiy", "esli"). */
const RU_INITIAL_YE = ["evr", "esl", "ego", "emu", "esch", "eshch", "edin", "ezhe", "est", "eyo"];

function russianTranslitWord(w: string): string {
  let out = "";
  const n = w.length;
  let i = 0;
  while (i < n) {
    const c = w[i] as string;
    const prev = i > 0 ? (w[i - 1] as string) : "";
    if (c === "'") {
      // A soft sign inside a word ("skol'ko"), nothing at its edges.
      if (i > 0 && i < n - 1) out += "ь";
      i++;
      continue;
    }
    // Word-final -iy / -yy / -yj / -ij (adjectives): ий, ый.
    if (i === n - 2 && (c === "i" || c === "y") && (w[i + 1] === "y" || w[i + 1] === "j")) {
      out += c === "i" ? "ий" : "ый";
      i += 2;
      continue;
    }
    let matched = false;
    for (const len of [4, 3, 2]) {
      if (i + len > n) continue;
      const chunk = w.slice(i, i + len);
      const cyr = RU_MULTI[chunk];
      if (cyr !== undefined) {
        // "ye" after a consonant is ые ("novye"), elsewhere е ("Tokayev", "Yekaterinburg").
        if ((chunk === "ye" || chunk === "je") && prev !== "" && !RU_VOWELS.has(prev)) break;
        out += cyr;
        i += len;
        matched = true;
        break;
      }
    }
    if (matched) continue;
    if (c === "e" && i === 0) {
      out += RU_INITIAL_YE.some((p) => w.startsWith(p)) ? "е" : "э";
      i++;
      continue;
    }
    if (c === "y") {
      const next = i + 1 < n ? (w[i + 1] as string) : "";
      out += prev !== "" && RU_VOWELS.has(prev) && !RU_VOWELS.has(next) ? "й" : "ы";
      i++;
      continue;
    }
    if (c === "c") {
      const next = i + 1 < n ? (w[i + 1] as string) : "";
      out += next === "e" || next === "i" || next === "y" ? "ц" : "к";
      i++;
      continue;
    }
    if (c === "x") {
      // "ex..." at the start is экс- ("eksport" is also typed "export"); elsewhere х.
      out += i === 1 && w[0] === "e" ? "кс" : "х";
      i++;
      continue;
    }
    out += RU_SINGLE[c] ?? c;
    i++;
  }
  return out;
}

/**
 * Informal Russian transliteration → Cyrillic, normalized (not folded): "tovarooborot" →
 * "товарооборот", "investitsii"/"investicii" → "инвестиции", "skol'ko" → "сколько".
 */
export function russianTranslitToCyrillic(text: string): string {
  return normalize(prepare(text).replace(LATIN_WORD_RE, russianTranslitWord));
}

// ---------------------------------------------------------------------------------------------
// Russian ЙЦУКЕН layout typed on QWERTY.

/** Key on a US QWERTY keyboard → the letter or sign the same key gives on the Russian layout. */
const LAYOUT: Readonly<Record<string, string>> = {
  q: "й",
  w: "ц",
  e: "у",
  r: "к",
  t: "е",
  y: "н",
  u: "г",
  i: "ш",
  o: "щ",
  p: "з",
  "[": "х",
  "]": "ъ",
  a: "ф",
  s: "ы",
  d: "в",
  f: "а",
  g: "п",
  h: "р",
  j: "о",
  k: "л",
  l: "д",
  ";": "ж",
  "'": "э",
  z: "я",
  x: "ч",
  c: "с",
  v: "м",
  b: "и",
  n: "т",
  m: "ь",
  ",": "б",
  ".": "ю",
  "/": ".",
  "`": "ё",
  "{": "х",
  "}": "ъ",
  ":": "ж",
  '"': "э",
  "<": "б",
  ">": "ю",
  "?": ",",
  "~": "ё",
  "@": '"',
  "#": "№",
  $: ";",
  "^": ":",
  "&": "?",
};
/** A whitespace-separated chunk made only of layout keys and digits, with at least one letter. */
const LAYOUT_CHUNK_RE = /[a-z0-9[\]{};:'",.<>/?`~@#$^&]+/g;
const ASCII_LETTER_TEST = /[a-z]/;

function layoutChunk(chunk: string): string {
  if (!ASCII_LETTER_TEST.test(chunk)) return chunk;
  let out = "";
  for (let i = 0; i < chunk.length; i++) {
    const c = chunk[i] as string;
    out += LAYOUT[c] ?? c;
  }
  return out;
}

/**
 * Russian typed with the keyboard on the Latin (QWERTY) layout → Cyrillic, normalized:
 * "njdfhjjjhjn" → "товарооборот", "crjkmrj" → "сколько", "d jvcrt" → "в омске".
 * Only chunks with a Latin letter are converted; Cyrillic words and bare numbers stay.
 */
export function latinLayoutToCyrillic(text: string): string {
  const s = text.normalize("NFC").toLowerCase();
  return normalize(s.replace(LAYOUT_CHUNK_RE, layoutChunk));
}

// ---------------------------------------------------------------------------------------------
// Candidates.

/** The three readings of a Latin-script text (all normalized; `kk` is also folded). */
export interface LatinReadings {
  /** Kazakh Latin read as folded Cyrillic. */
  kk: string;
  /** Russian transliteration read as Cyrillic. */
  ru: string;
  /** Russian keyboard layout typed on QWERTY, repaired. */
  layout: string;
}

/** True when the text has at least one Latin letter. */
export function hasLatinLetters(text: string): boolean {
  return LATIN_LETTER_TEST.test(text.toLowerCase());
}

const ROMAN_TOKEN = /(?<![\p{L}\d])[ivxl]{2,}(?![\p{L}\d])/giu;

/** "XVIII forum" keeps its number: a Roman numeral is not a Latin-script word to transliterate. */
function romanAsDigits(text: string): string {
  return text.replace(ROMAN_TOKEN, (token) => {
    const value = romanValue(token.toLowerCase());
    return value === null ? token : String(value);
  });
}

/** All three readings (see `LatinReadings`), or null when the text has no Latin letter. */
export function latinReadings(original: string): LatinReadings | null {
  if (!hasLatinLetters(original)) return null;
  const text = romanAsDigits(original);
  return {
    kk: kazakhLatinToCyrillicFolded(text),
    ru: russianTranslitToCyrillic(text),
    layout: latinLayoutToCyrillic(text),
  };
}

/**
 * The distinct Cyrillic readings of a text with Latin letters, in the order Kazakh Latin
 * (folded), Russian transliteration, Russian layout repair; [] when there is no Latin letter.
 * The caller keeps the reading whose words its vocabulary knows best.
 */
export function latinCandidates(text: string): string[] {
  const r = latinReadings(text);
  if (r === null) return [];
  const out = [r.kk];
  if (!out.includes(r.ru)) out.push(r.ru);
  if (!out.includes(r.layout)) out.push(r.layout);
  return out;
}

/** True when Latin letters outnumber Cyrillic ones (and there is at least one). */
export function isMostlyLatin(text: string): boolean {
  const latin = text.match(LATIN_LETTER_G)?.length ?? 0;
  if (latin === 0) return false;
  const cyrillic = text.match(CYRILLIC_LETTER_G)?.length ?? 0;
  return latin > cyrillic;
}
