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
  // A sentence ends at a stop followed by a space: "18.2" stays one number. A dash or a colon
  // after a short introduction ends it too: "я предприниматель из Петропавловска — могу ли…".
  const sentences = text.split(
    /(?<=[.!?…])\s+|(?<=^\s*(?:я|мен)(?:\s+[^\s.!?…:—–-]+){1,3})(?:\s*:|\s+[—–-])\s*/iu,
  );
  if (sentences.length < 2) return text;
  const kept = sentences.filter((sentence) => {
    const folded = words(sentence);
    if (folded.length === 0) return false;
    if (folded.every((word) => GREETING.has(word) || isStopWord(word))) return false;
    return !(SELF.has(folded[0] as string) && !sentence.includes("?"));
  });
  return kept.length > 0 ? kept.join(" ") : text;
}

/** Thanks, folded; with GREETING and the stop words, all a small-talk message may hold. */
const THANKS = new Set(
  "спасибо спс благодарю благодарствую рахмет ракмет сенкс thanks thank".split(" "),
);
/** Greetings on their own, most of them stop words too; GREETING adds the words they go with. */
const GREETS = new Set(
  "здравствуйте здравствуй привет приветствую салам салем салеметсиз армысыз ассалаумагалейкум хай".split(
    " ",
  ),
);
/** Words that go with thanks or a greeting: "большое спасибо за помощь", "көп рахмет". */
const COURTESY = new Set(
  "большое огромное за помощь ответ ответы вам тебе всем коп комек комегиниз сизге саган".split(
    " ",
  ),
);
const MAX_SMALL_TALK_WORDS = 6;

export type SmallTalk = "greeting" | "thanks";

/** A message that only greets or thanks ("Привет!", "Көп рахмет"), which asks nothing. */
export function smallTalk(text: string, words: (text: string) => string[]): SmallTalk | null {
  const folded = words(text);
  if (folded.length === 0 || folded.length > MAX_SMALL_TALK_WORDS) return null;
  const polite = (word: string) =>
    GREETS.has(word) ||
    GREETING.has(word) ||
    THANKS.has(word) ||
    COURTESY.has(word) ||
    isStopWord(word);
  if (!folded.every(polite)) return null;
  if (folded.some((word) => THANKS.has(word))) return "thanks";
  return folded.some((word) => GREETS.has(word) || GREETING.has(word)) ? "greeting" : null;
}
