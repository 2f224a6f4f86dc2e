import { isStopWord } from "./tokenize.ts";

/**
 * People write to a bot as to a person: "Здравствуйте! Я студентка, пишу курсовую. Для чего
 * проводится форум?" The greeting and the introduction are not the question; their words
 * ("студентка") would pull the search towards other facts.
 */

/** Words of a greeting that are not stop words on their own ("день" is also a date, "бе" asks). */
const GREETING = new Set([
  "добрый",
  "доброе",
  "доброго",
  "день",
  "вечер",
  "утро",
  "бе",
  "hello",
  "hi",
]);
/** "Я студентка", "Мен журналистпін": the asker speaks of themself. */
const SELF = new Set(["я", "мен", "men", "ya"]);

export function questionPart(text: string, words: (sentence: string) => string[]): string {
  // A sentence ends at a stop followed by a space: "18.2" stays one number.
  const sentences = text.split(/(?<=[.!?…])\s+/);
  if (sentences.length < 2) return text;
  const kept = sentences.filter((sentence) => {
    const folded = words(sentence);
    if (folded.length === 0) return false;
    if (folded.every((word) => GREETING.has(word) || isStopWord(word))) return false;
    return !(SELF.has(folded[0] as string) && !sentence.includes("?"));
  });
  return kept.length > 0 ? kept.join(" ") : text;
}
