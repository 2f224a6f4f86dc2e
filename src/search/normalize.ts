/**
 * Text normalisation shared by the index and the query side.
 *
 * `normalize` makes two spellings of the same thing the same string: Unicode form, case, ё,
 * quotes, dashes, punctuation and the many ways people write numbers. `foldKazakh` then
 * replaces the nine Kazakh-specific letters by their plain Cyrillic look-alikes, which is how
 * people type Kazakh on a Russian keyboard; index and query are both folded so the two meet.
 *
 * Everything here is a pure function over module-level constant tables and regular
 * expressions (compiled once at import).
 */

/** Kazakh-specific letter → the plain Cyrillic letter people type instead. */
const FOLD_MAP: Readonly<Record<string, string>> = {
  ә: "а",
  ғ: "г",
  қ: "к",
  ң: "н",
  ө: "о",
  ұ: "у",
  ү: "у",
  һ: "х",
  і: "и",
  Ә: "А",
  Ғ: "Г",
  Қ: "К",
  Ң: "Н",
  Ө: "О",
  Ұ: "У",
  Ү: "У",
  Һ: "Х",
  І: "И",
};
const KAZAKH_LETTERS_RE = /[әғқңөұүһіӘҒҚҢӨҰҮҺІ]/;
const KAZAKH_LETTERS_G = /[әғқңөұүһіӘҒҚҢӨҰҮҺІ]/g;
const foldChar = (c: string): string => FOLD_MAP[c] ?? c;

/** True when the text contains at least one letter found only in the Kazakh alphabet. */
export function hasKazakhLetters(text: string): boolean {
  return KAZAKH_LETTERS_RE.test(text);
}

/**
 * ә→а, ғ→г, қ→к, ң→н, ө→о, ұ→у, ү→у, һ→х, і→и (upper case too). Apply after `normalize`;
 * index and query both get folded so that Kazakh typed without its letters still matches.
 */
export function foldKazakh(text: string): string {
  return KAZAKH_LETTERS_RE.test(text) ? text.replace(KAZAKH_LETTERS_G, foldChar) : text;
}

// ---------------------------------------------------------------------------------------------
// Tables and expressions used by normalize (compiled once).

/** Combining marks left after NFC: the dot of "İ".toLowerCase(), stress accents, etc. */
const MARKS_RE = /\p{M}+/gu;
/** Quotes and apostrophes of every kind are dropped (they never separate words in a query). */
const QUOTES_RE = /[«»“”„‟"'’‘‚‛`´ʼʹ′″‹›]/g;
const YO_RE = /ё/g;

// Words that mix Cyrillic and Latin letters ("cауда" with a Latin c, "iскер" with a Latin i,
// "Оmsk" with a Cyrillic О): the minority script's look-alikes are replaced.
const CYR = "а-яёәғқңөұүһі";
const LAT = "a-z\\u00df-\\u00ff\\u0100-\\u024f\\u0259";
const MIXED_TEST = new RegExp(`[${LAT}][${CYR}]|[${CYR}][${LAT}]`);
const LETTER_RUN_RE = /\p{L}+/gu;
const LATIN_LETTER_RE = new RegExp(`[${LAT}]`);
const CYRILLIC_LETTER_RE = new RegExp(`[${CYR}]`);
const LATIN_TO_CYR: Readonly<Record<string, string>> = {
  a: "а",
  c: "с",
  e: "е",
  o: "о",
  p: "р",
  x: "х",
  y: "у",
  k: "к",
  i: "і",
  ı: "і",
  h: "һ",
  ə: "ә",
  ä: "ә",
  ö: "ө",
  ü: "ү",
};
const CYR_TO_LATIN: Readonly<Record<string, string>> = {
  а: "a",
  с: "c",
  е: "e",
  о: "o",
  р: "p",
  х: "x",
  у: "y",
  к: "k",
  і: "i",
  ә: "ä",
  ө: "ö",
  ү: "ü",
};

function fixMixedWord(word: string): string {
  let cyr = 0;
  let lat = 0;
  for (const ch of word) {
    if (CYRILLIC_LETTER_RE.test(ch)) cyr++;
    else if (LATIN_LETTER_RE.test(ch)) lat++;
  }
  if (cyr === 0 || lat === 0) return word;
  const table = cyr >= lat ? LATIN_TO_CYR : CYR_TO_LATIN;
  let out = "";
  for (const ch of word) out += table[ch] ?? ch;
  return out;
}

// Numbers.
const DIGIT_RE = /\d/;
/** "18 200", "18 200" (nbsp), "1 000 000" (thin / figure spaces): groups of exactly 3 digits. */
const SPACE_GROUPS_RE = /(?<![\d.,])(\d{1,3})((?:[ \u00a0\u202f\u2009\u2007]\d{3})+)(?!\d)/g;
/** "1,000,000" / "1.000.000": two or more groups with the same separator. */
const MULTI_GROUPS_RE = /(?<![\d.,])\d{1,3}([.,])\d{3}(?:\1\d{3})+(?![\d])/g;
/** "1,234.5" / "1.234,5": one thousands group followed by the other mark and decimals. */
const MIXED_GROUPS_RE = /(?<![\d.,])(\d{1,3})([.,])(\d{3})(?!\2)[.,](\d+)/g;
const NON_DIGIT_G = /\D/g;
/** Decimal comma → decimal point ("18,2" → "18.2"); a lone ",ddd" is a decimal too (ru/kk). */
const DECIMAL_COMMA_RE = /(\d),(?=\d)/g;
/** Trailing zeros of a plain decimal: "6.50" → "6.5", "3.0" → "3", "18.200" → "18.2". */
const TRAILING_ZEROS_RE = /(?<![\d.])(\d+)\.(\d*?)0+(?![\d.])/g;
/** "$20" → "20 $" (a currency sign written before the amount goes after it). */
const CURRENCY_BEFORE_RE = /([$€₽₸£¥])\s?(\d+(?:\.\d+)?)/g;

/**
 * A Kazakh (or Russian) grammatical ending joined by a hyphen to a number, an abbreviation or a
 * name ("2019-ның", "6%-ға", "ТМД-ға", "$20 млрд-қа", "XVIII-го", "2-х") is dropped; a real
 * compound ("сауда-саттық", "Ростов-на-Дону") is not, it becomes two words.
 */
const HYPHEN_SUFFIXES = [
  // Kazakh case, possessive, plural, attributive and ordinal endings, with and without letters.
  "ның|нің|дың|дің|тың|тің|нын|нин|дын|дин|тын|тин",
  "ға|ге|қа|ке|га|ка|на|не",
  "ны|ні|ды|ді|ты|ті|ни|ди|ти",
  "да|де|та|те|нда|нде",
  "дан|ден|тан|тен|нан|нен",
  "мен|бен|пен",
  "дағы|дегі|тағы|тегі|дагы|деги|тагы|теги|ғы|гі|гы|ги|ндағы|ндегі",
  "лар|лер|дар|дер|тар|тер|лары|лері|дары|дері|тары|тері|лери|дери|тери",
  "ы|і|и|сы|сі|си|ын|ін|ин|сын|сін|син",
  "шы|ші|ши|ыншы|інші|иншы|инши|нші|ншы|нши",
  "ақ|ак|ау",
  // Russian ordinal / case endings after numbers and abbreviations.
  "й|я|е|го|му|м|х|ми|ю|ая|ое|ые|ых|ый|ий|ой|ом|ему|ого|его|ти|ть|ом",
].join("|");
const HYPHEN_SUFFIX_RE = new RegExp(
  `(?<=[\\p{L}\\p{N}%])[-‐‑](?:${HYPHEN_SUFFIXES})(?![\\p{L}\\p{N}\\-‐‑])`,
  "gu",
);

/** Anything that is not a letter, a digit, "%", a currency sign or "." becomes a space. */
const SEPARATORS_RE = /[^\p{L}\p{N}%$€₽₸£¥.]+/gu;
/** A "." that is not between two digits is punctuation. */
const STRAY_DOT_RE = /(?<!\d)\.|\.(?!\d)/g;
/** Signs kept as tokens of their own: "4.5%" → "4.5 %". */
const SIGNS_RE = /\s*([%$€₽₸£¥])\s*/g;
const SPACES_RE = /\s+/g;

function normalizeNumbers(s: string): string {
  let out = s.replace(SPACE_GROUPS_RE, (_m, head: string, rest: string) => {
    return head + rest.replace(NON_DIGIT_G, "");
  });
  out = out.replace(MULTI_GROUPS_RE, (m) => m.replace(NON_DIGIT_G, ""));
  out = out.replace(
    MIXED_GROUPS_RE,
    (_m, a: string, _sep: string, b: string, c: string) => `${a}${b}.${c}`,
  );
  out = out.replace(DECIMAL_COMMA_RE, "$1.");
  out = out.replace(TRAILING_ZEROS_RE, (_m, int: string, frac: string) =>
    frac ? `${int}.${frac}` : int,
  );
  return out.replace(CURRENCY_BEFORE_RE, "$2 $1");
}

/**
 * NFC, lower case, ё→е, quotes removed, dashes and punctuation → spaces (a "." or "," between
 * digits is kept as the decimal point), numbers unified ("18,2"/"18.2" → "18.2",
 * "18 200"/"1,000,000" → "18200"/"1000000", "4,5%" → "4.5 %", "$20 млрд" → "20 $ млрд"), single
 * spaces, trimmed. Kazakh letters are kept: call `foldKazakh` on the result to fold them.
 */
export function normalize(text: string): string {
  if (!text) return "";
  let s = text.normalize("NFC").toLowerCase();
  s = s.replace(MARKS_RE, "");
  if (s.includes("ё")) s = s.replace(YO_RE, "е");
  s = s.replace(QUOTES_RE, "");
  if (MIXED_TEST.test(s)) s = s.replace(LETTER_RUN_RE, fixMixedWord);
  if (DIGIT_RE.test(s)) s = normalizeNumbers(s);
  s = s.replace(HYPHEN_SUFFIX_RE, "");
  s = s.replace(SEPARATORS_RE, " ");
  if (s.includes(".")) s = s.replace(STRAY_DOT_RE, " ");
  s = s.replace(SIGNS_RE, " $1 ");
  return s.replace(SPACES_RE, " ").trim();
}

/** `foldKazakh(normalize(text))`: the form both the index and the query are compared in. */
export function normalizeFolded(text: string): string {
  return foldKazakh(normalize(text));
}
