import Fuse from "fuse.js";
import type { KnowledgeBase } from "../knowledge/load.ts";
import { squashSpaces } from "../knowledge/load.ts";

export interface Sentence {
  sourceId: string;
  text: string;
}

export function splitSentences(kb: KnowledgeBase): Sentence[] {
  const sentences: Sentence[] = [];
  for (const source of kb.sources.values()) {
    for (const line of source.body.split("\n")) {
      for (const piece of line.split(/(?<=[.!?])\s+/)) {
        const text = squashSpaces(piece);
        if (text.length >= 20) sentences.push({ sourceId: source.id, text });
      }
    }
  }
  return sentences;
}

/** The naive approach the engine must beat: fuse.js with default options over the articles' sentences. */
export class SentenceBaseline {
  private readonly fuse: Fuse<Sentence>;

  constructor(readonly sentences: Sentence[]) {
    this.fuse = new Fuse(sentences, { keys: ["text"] });
  }

  ask(question: string): Sentence | null {
    return this.fuse.search(question, { limit: 1 })[0]?.item ?? null;
  }
}

/** A baseline sentence answers a fact when one holds the other's quote (or most of it). */
export function sentenceAnswers(
  sentence: Sentence,
  quotes: { source: string; quote: string }[],
): boolean {
  return quotes.some(({ source, quote }) => {
    if (source !== sentence.sourceId) return false;
    const q = squashSpaces(quote);
    return (
      sentence.text.includes(q) ||
      q.includes(sentence.text) ||
      sentence.text.includes(q.slice(0, 40))
    );
  });
}
