import type { Lang, Topic } from "../knowledge/schema.ts";
import type { SmallTalk } from "../search/question-part.ts";

export interface Citation {
  sourceId: string;
  outlet: string | null;
  title: string | null;
  /** YYYY-MM-DD, or null when the article gives none. */
  date: string | null;
  url: string | null;
  /** Verbatim excerpt of the article, in the article's language. */
  quote: string;
}

export interface AnsweredFact {
  id: string;
  topic: Topic;
  forum: string | null;
  /** The fact in the answer's language. */
  text: string;
  citations: Citation[];
}

/** A fact the engine thinks may be meant, offered as "did you mean". */
export interface Suggestion {
  factId: string;
  /** One of the fact's own questions, in the answer's language. */
  question: string;
}

export interface Answer {
  /** Language of the answer text. */
  lang: Lang;
  answered: boolean;
  /** The answering facts, best first; several when they disagree (two speakers' figures). */
  facts: AnsweredFact[];
  /** 0..1 */
  confidence: number;
  /**
   * When answered with low confidence: other facts that may be meant.
   * When declined: example questions the knowledge base can answer.
   */
  suggestions: Suggestion[];
  /** True when the engine answered but is unsure (a "did you mean" is worth showing). */
  lowConfidence: boolean;
  /** The message only greeted or thanked: it is answered in kind, not declined. */
  smallTalk?: SmallTalk;
}

export interface AskOptions {
  /** Answer in this language whatever the question's language. */
  lang?: Lang;
  /** Language to use when the question itself does not tell (a bare name, a number). */
  fallbackLang?: Lang;
}

export interface AnswerEngine {
  ask(question: string, options?: AskOptions): Answer;
  /** "kk", "ru", or null when the text does not tell. */
  detectLanguage(text: string): Lang | null;
}
