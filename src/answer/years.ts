import type { Fact } from "../knowledge/schema.ts";

/**
 * The year a question asks a figure for ("товарооборот в 2019 году") against the years a fact
 * states. A fact on the 2018 turnover, told at the 2019 forum, does not answer for 2019 even
 * though it names the forum's year: a question about 2019 is then a near miss.
 */
const YEAR = /^(?:19|20)\d\d$/;
const YEAR_IN_TEXT = /(?<!\d)(?:19|20)\d\d(?!\d)/g;
/** Words for a meeting: next to one, a year names the meeting ("форум 2019 года"), not a period. */
const EVENT_WORD = /^(форум|встреч|саммит|заседан|кездесу|жиын|отырыс|съезд)/;
const YEAR_WORD = /^(год|года|году|жыл|жылы|жылгы|жылдын|г)$/;

/** Years of the question that say which period a figure is for (folded words, in order). */
export function periodYears(words: readonly string[]): string[] {
  const years: string[] = [];
  words.forEach((word, i) => {
    if (!YEAR.test(word)) return;
    const before = words[i - 1] ?? "";
    const after = YEAR_WORD.test(words[i + 1] ?? "") ? (words[i + 2] ?? "") : (words[i + 1] ?? "");
    if (!EVENT_WORD.test(before) && !EVENT_WORD.test(after)) years.push(word);
  });
  return years;
}

const statedYears = new WeakMap<Fact, Set<string>>();

/**
 * Years the fact's answer states, apart from the year of the meeting it was said at: that
 * one mostly dates the speaker's words ("(XVI форум в Омске, 2019)").
 */
function yearsOf(fact: Fact, eventYear: number | null): Set<string> {
  let years = statedYears.get(fact);
  if (!years) {
    years = new Set(`${fact.answer.ru} ${fact.answer.kk}`.match(YEAR_IN_TEXT) ?? []);
    if (eventYear !== null) years.delete(String(eventYear));
    statedYears.set(fact, years);
  }
  return years;
}

/** The fact gives its figures for other years than the question asks about. */
export function statesOtherYears(
  fact: Fact,
  eventYear: number | null,
  asked: readonly string[],
): boolean {
  if (asked.length === 0) return false;
  const years = yearsOf(fact, eventYear);
  return years.size > 0 && !asked.some((year) => years.has(year));
}
