import type { Fact } from "../knowledge/schema.ts";

/**
 * What kind of answer a question asks for, told by its question words (folded, as the
 * analyzer produces them). A fact that cannot be that kind of answer — "how many" answered by
 * a fact without a number, "when" by a fact without a date — is a near miss: it shares the
 * question's topic but not what the question asks.
 */
export type AnswerType = "quantity" | "time" | null;

const QUANTITY = new Set([
  "сколько",
  "скока",
  "скольких",
  "насколько",
  "канша",
  "неше",
  "каншалык",
  "qansha",
  "skolko",
]);
const TIME = new Set(["когда", "кашан", "qashan", "kogda"]);
const WHICH = new Set(["какой", "каком", "какого", "кай", "кандай"]);
const YEAR = new Set(["году", "год", "года", "жылы", "жыл"]);

export function expectedAnswerType(words: readonly string[]): AnswerType {
  if (words.some((word) => QUANTITY.has(word))) return "quantity";
  if (words.some((word) => TIME.has(word))) return "time";
  if (words.some((word) => WHICH.has(word)) && words.some((word) => YEAR.has(word))) return "time";
  return null;
}

const DIGIT = /\d/;
const YEAR_OR_DATE =
  /\b(1[89]|20)\d\d\b|\d{1,2}\s*(?:январ|феврал|март|апрел|ма[йя]|июн|июл|август|сентябр|октябр|ноябр|декабр|қаңтар|ақпан|наурыз|сәуір|мамыр|маусым|шілде|тамыз|қыркүйек|қазан|қараша|желтоқсан)/i;

export function answersType(fact: Fact, type: AnswerType): boolean {
  if (type === null) return true;
  const text = `${fact.answer.kk} ${fact.answer.ru}`;
  return type === "quantity" ? DIGIT.test(text) : YEAR_OR_DATE.test(text);
}
