/**
 * Language of a short message: Kazakh, Russian, or null when nothing tells (a bare name, a
 * number). Built for chat questions, including Kazakh typed without its letters, Kazakh in the
 * Latin alphabet, Russian transliterated or typed on the Latin layout, and mixtures.
 *
 * Evidence, each with a weight:
 * - Kazakh-only letters (ә ғ қ ң ө ұ ү һ і);
 * - function and question words of either language (folded Kazakh: канша, кай, кандай,
 *   туралы, жане, ма/ме…; Russian: что, сколько, где, в, на, и…);
 * - a small lexicon of this domain's content words that exist in one language only
 *   (тауар, айналым, облыс, өңір… / товарооборот, торговля, область, соглашение…), matched on
 *   stems;
 * - grammatical endings (Kazakh -ның/-дағы/-лары/-ымыз…, Russian -ость/-ание/-ого/-ться…) and
 *   letters (ь ъ щ for Russian, a word-initial ы for Kazakh).
 * Latin-script text is read three ways (Kazakh Latin, Russian transliteration, Russian layout:
 * see latin.ts) and scored on the reading that fits; letters only Kazakh Latin uses (q ä ğ ñ ö
 * ş ū ü ı á ǵ ń ó ú ý, 2017 apostrophes) count for Kazakh.
 */

import type { Lang } from "../knowledge/schema.ts";
import { stemKazakh } from "./kk-stem.ts";
import { latinReadings } from "./latin.ts";
import { foldKazakh, hasKazakhLetters, normalize } from "./normalize.ts";
import { stemRussian } from "./ru-stem.ts";

interface Scores {
  kk: number;
  ru: number;
}

const table = (entries: string, weight: number, into: Map<string, number>): void => {
  for (const w of entries.trim().split(/\s+/)) into.set(w, weight);
};

/** Kazakh words (folded) → weight. */
const KK_WORDS = new Map<string, number>();
table(
  `канша кай кайда кайдан кайсы кайсысы кандай кашан калай неше нешинши неге кимдер кимге
   туралы жайлы жане бойынша арасындагы арасында ма ме ба бе па пе деди деп ушин жонинде жониндеги`,
  3,
  KK_WORDS,
);
table(
  `мен пен бен бар жок ким кимнин нени ненин бул осы сол олар кезде кейин дейин сиякты керек
   айтшы айтыныз деген мумкин тагы бирак немесе сондай сонымен жана еки бир коп ари ал айтып бериниз
   болды болады болган болып отти отеди откен отетин откизилди айтты айтылды жылы жылгы
   рахмет салем сау кол койды койылды`,
  2,
  KK_WORDS,
);

/** Russian words → weight. */
const RU_WORDS = new Map<string, number>();
table(
  `что чего чем чему как сколько скольких где куда откуда когда почему зачем кто кого кому
   какой какая какое какие каких каким каком какую который которая которые ли между
   и в во на по о об обо с со к ко у из за от до для при про через`,
  3,
  RU_WORDS,
);
table(
  `это этот эта эти был была было были будет будут есть или но а же уже еще также тоже
   год году года лет тысяч нет да привет спасибо пожалуйста расскажи расскажите дай
   информация информацию подробнее покажи скажи подскажи найди нужно нужна хочу можно`,
  2,
  RU_WORDS,
);

/** Stems of content words of this domain found in one language only (Kazakh: folded). */
const KK_STEMS = new Set(
  `сауда тауар айналым ынтымактастык кездесу кездес келисим облыс онир онираралык шекара
   мемлекет басш ресей казакстан казакстандык ресейлик тмд жыл кала кужат жоба пайыз колем
   усын талкыла катыс мунай кубыр ауыл шаруашылык бекет мектеп кенес одак жумыс орын
   былтыр биыл багыт экономикалык инвестициялык озара акпарат сурак сурагым кооперациялык
   такырып тикелей жеткизил гасыр ондирис онеркасип кенейт даму дамыт омп орынбор`
    .trim()
    .split(/\s+/),
);
const RU_STEMS = new Set(
  `товарооборот торговл сотрудничеств соглашен област город регион встреч подписа договор
   документ нефт границ школ граничн приграничн межрегиональн промышлен рост вырос объем
   российск казахста росс страна стран тем следующ прошл проход пройдет состоя рабоч мест
   компан экономическ правительств совет снг`
    .trim()
    .split(/\s+/),
);
/** Surnames with an ending that looks Kazakh (-стин looks like the genitive -тің). */
const NEUTRAL_NAMES = new Set(["путин", "мишустин", "ленин", "кокшетау", "форум", "омск"]);

const KK_ENDINGS: readonly (readonly [string, number])[] = [
  ["ндагы", 2],
  ["ндеги", 2],
  ["дагы", 2],
  ["деги", 2],
  ["тагы", 2],
  ["теги", 2],
  ["ымыз", 2],
  ["имиз", 2],
  ["ыныз", 2],
  ["иниз", 2],
  ["атын", 2],
  ["етин", 2],
  ["лары", 1.5],
  ["лери", 1.5],
  ["дары", 1.5],
  ["дери", 1.5],
  ["тары", 1.5],
  ["тери", 1.5],
  ["ында", 1.5],
  ["инде", 1.5],
  ["ауда", 1.5],
  ["еуде", 1.5],
  ["лык", 1.5],
  ["дык", 1.5],
  ["тык", 1.5],
  ["нын", 1],
  ["нин", 1],
  ["дын", 1],
  ["дин", 1],
  ["тын", 1],
  ["тин", 1],
  ["мен", 1.5],
  ["пен", 1.5],
  ["бен", 1.5],
  ["нан", 1],
  ["нен", 1],
  ["дан", 1],
  ["ден", 1],
  ["тан", 1],
  ["тен", 1],
  ["лар", 1],
  ["лер", 1],
  ["дар", 1],
  ["дер", 1],
  ["тар", 1],
  ["тер", 1],
  ["ган", 1],
  ["ген", 1],
  ["кан", 1],
  ["кен", 1],
  ["ады", 1],
  ["еди", 1],
  ["уы", 1.5],
  ["уи", 1.5],
  ["ыда", 1],
  ["рда", 1],
  ["рде", 1],
  ["лда", 1],
  ["лде", 1],
  ["йда", 1],
  ["йде", 1],
  ["мда", 1],
  ["мде", 1],
  ["нде", 1],
  ["ланды", 1.5],
  ["ленди", 1.5],
  ["ылды", 1.5],
  ["илди", 1.5],
  ["иде", 1],
  ["шы", 1],
  ["ге", 1],
  ["га", 0.5],
  ["лик", 0.5],
  ["дик", 0.5],
  ["тик", 0.5],
];
/** Russian words whose ending looks Kazakh. */
const KK_ENDING_EXCEPTIONS = new Set([
  "доллар",
  "гектар",
  "обмен",
  "орган",
  "органы",
  "органов",
  "судан",
  "иордан",
  "команда",
  "теперь",
  "политик",
  "аналитик",
  "критик",
]);

const RU_ENDINGS: readonly (readonly [string, number])[] = [
  ["ться", 2],
  ["тся", 2],
  ["ость", 2],
  ["ости", 2],
  ["ание", 2],
  ["ания", 2],
  ["анию", 2],
  ["ании", 2],
  ["ение", 2],
  ["ения", 2],
  ["ению", 2],
  ["ении", 2],
  ["ений", 2],
  ["ство", 2],
  ["ства", 2],
  ["ству", 2],
  ["ством", 2],
  ["ники", 1.5],
  ["ики", 1],
  ["ций", 1.5],
  ["ции", 1.5],
  ["цию", 1.5],
  ["цией", 1.5],
  ["ого", 1.5],
  ["его", 1.5],
  ["ому", 1.5],
  ["ему", 1.5],
  ["ых", 1.5],
  ["их", 1.5],
  ["ами", 1.5],
  ["ями", 1.5],
  ["ся", 2],
  ["ии", 1],
  ["ый", 1],
  ["ий", 1],
  ["ой", 1],
  ["ая", 1],
  ["яя", 1],
  ["ые", 1],
  ["ие", 1],
  ["ом", 1],
  ["али", 1],
  ["или", 1],
  ["ют", 1],
  ["ят", 1],
  ["ске", 1],
  ["рге", 1],
  ["ах", 1],
  ["ях", 1],
  ["ов", 0.5],
];
/** Kazakh words (folded) whose ending looks Russian. */
const RU_ENDING_EXCEPTIONS = new Set(["белгили", "колем", "келисим", "кой", "бой", "деди"]);

const RU_LETTERS_RE = /[ьъщ]/;
const CYRILLIC_RE = /[а-яё]/;

function endingScore(word: string, endings: readonly (readonly [string, number])[]): number {
  for (const [ending, weight] of endings) {
    if (word.length - ending.length >= 3 && word.endsWith(ending)) return weight;
  }
  return 0;
}

/** Add the evidence of one normalized (unfolded) Cyrillic-or-other token. */
function scoreToken(token: string, s: Scores): void {
  if (hasKazakhLetters(token)) {
    s.kk += 3;
    return;
  }
  if (!CYRILLIC_RE.test(token)) return;
  const f = foldKazakh(token);
  const kkWord = KK_WORDS.get(f);
  const ruWord = RU_WORDS.get(f);
  if (kkWord !== undefined || ruWord !== undefined) {
    s.kk += kkWord ?? 0;
    s.ru += ruWord ?? 0;
    return;
  }
  if (NEUTRAL_NAMES.has(f)) return;
  if (f.length >= 3) {
    if (KK_STEMS.has(stemKazakh(f))) s.kk += 2;
    else if (RU_STEMS.has(stemRussian(f)) || RU_STEMS.has(f)) s.ru += 2;
  }
  if (RU_LETTERS_RE.test(f)) s.ru += 1.5;
  if (f.startsWith("ы")) s.kk += 2;
  if (!KK_ENDING_EXCEPTIONS.has(f) && !f.endsWith("стан")) s.kk += endingScore(f, KK_ENDINGS);
  if (!RU_ENDING_EXCEPTIONS.has(f)) s.ru += endingScore(f, RU_ENDINGS);
}

function scoreText(normalized: string): Scores {
  const s: Scores = { kk: 0, ru: 0 };
  if (normalized === "") return s;
  for (const token of normalized.split(" ")) scoreToken(token, s);
  return s;
}

// Latin script.
/** A word with a letter only Kazakh Latin uses, or a 2017 apostrophe letter. */
const KK_LATIN_WORD_G = /\S*(?:[qäğñöşūüıáǵńóúýə]|[agnouysc]'(?=[a-z]))\S*/g;
const ASCII_LETTERS_G = /[a-z]/g;
const ASCII_VOWELS_G = /[aeiouy]/g;
const CYR_LETTERS_G = /[а-яё]/g;
const CYR_VOWELS_G = /[аеиоуыэюяё]/g;
/** Layout keys that are letters on the Russian layout, inside a Latin word (j,jhjn, j;tn). */
const LAYOUT_PUNCT_RE = /[a-z][,.;[\]][a-z]/;

const countOf = (s: string, re: RegExp): number => s.match(re)?.length ?? 0;

/** Does a Latin text look like Russian typed on the Latin layout? */
function looksLikeLayout(lower: string, layoutReading: string): boolean {
  const letters = countOf(lower, ASCII_LETTERS_G);
  if (letters < 3) return false;
  const latinVowels = countOf(lower, ASCII_VOWELS_G) / letters;
  const cyrLetters = countOf(layoutReading, CYR_LETTERS_G);
  const cyrVowels = cyrLetters === 0 ? 0 : countOf(layoutReading, CYR_VOWELS_G) / cyrLetters;
  if (LAYOUT_PUNCT_RE.test(lower) && cyrVowels >= 0.3) return true;
  return latinVowels < 0.25 || cyrVowels - latinVowels >= 0.2;
}

function decide(s: Scores): Lang | null {
  const top = Math.max(s.kk, s.ru);
  if (top < 1 || Math.abs(s.kk - s.ru) < 0.75) return null;
  return s.kk > s.ru ? "kk" : "ru";
}

/** Evidence for each language (exposed for tests and for callers that want a margin). */
export function languageScores(text: string): Scores {
  const normalized = normalize(text);
  const readings = latinReadings(text);
  if (readings === null) return scoreText(normalized);
  const lower = text.normalize("NFC").toLowerCase();
  if (looksLikeLayout(lower, readings.layout)) return scoreText(readings.layout);
  const kkReading = scoreText(readings.kk);
  const ruReading = scoreText(readings.ru);
  const kkLatinWords = Math.min(countOf(lower, KK_LATIN_WORD_G), 2);
  return {
    kk: Math.max(kkReading.kk, ruReading.kk) + kkLatinWords,
    ru: Math.max(kkReading.ru, ruReading.ru),
  };
}

/**
 * "kk", "ru", or null when the message does not tell (a bare name, a number, an emoji).
 * For null, fall back to the user's last language, then Telegram's language_code.
 */
export function detectLanguage(text: string): Lang | null {
  return decide(languageScores(text));
}

/** One labelled message (tests/eval/lang-detect.jsonl). */
export interface LanguageSample {
  text: string;
  lang: Lang | null;
}

/** Accuracy of `detectLanguage` over labelled samples, with the misses for inspection. */
export function measureLanguageDetection(samples: readonly LanguageSample[]): {
  total: number;
  correct: number;
  accuracy: number;
  misses: { text: string; expected: Lang | null; got: Lang | null }[];
} {
  const misses: { text: string; expected: Lang | null; got: Lang | null }[] = [];
  for (const { text, lang } of samples) {
    const got = detectLanguage(text);
    if (got !== lang) misses.push({ text, expected: lang, got });
  }
  const total = samples.length;
  const correct = total - misses.length;
  return { total, correct, accuracy: total === 0 ? 0 : correct / total, misses };
}
