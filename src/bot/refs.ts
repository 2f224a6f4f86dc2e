import { citationsOf } from "../answer/citations.ts";
import type { Answer } from "../answer/types.ts";
import type { KnowledgeBase } from "../knowledge/load.ts";
import type { EventRecord, Fact, Lang } from "../knowledge/schema.ts";

/** FNV-1a, 32 bits, in base 36: a short stable name for an id in 64-byte callback data. */
function shortHash(text: string): string {
  let hash = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) {
    hash ^= text.charCodeAt(i);
    hash = Math.imul(hash, 0x01000193);
  }
  return (hash >>> 0).toString(36);
}

/**
 * Short references to facts and events for callback data (Telegram allows 64 bytes). They are
 * derived from the ids, so buttons under old messages keep working after a restart or an
 * update of the knowledge base (a reference to a removed fact resolves to nothing).
 */
export class KbRefs {
  private readonly factByRef = new Map<string, Fact>();
  private readonly refByFact = new Map<string, string>();
  private readonly eventByRef = new Map<string, EventRecord>();
  private readonly refByEvent = new Map<string, string>();

  constructor(readonly kb: KnowledgeBase) {
    for (const fact of kb.facts) {
      const ref = KbRefs.unique(shortHash(fact.id), this.factByRef);
      this.factByRef.set(ref, fact);
      this.refByFact.set(fact.id, ref);
    }
    for (const event of kb.events) {
      const ref = KbRefs.unique(shortHash(event.id), this.eventByRef);
      this.eventByRef.set(ref, event);
      this.refByEvent.set(event.id, ref);
    }
  }

  private static unique(ref: string, taken: Map<string, unknown>): string {
    let candidate = ref;
    for (let n = 1; taken.has(candidate); n++) candidate = `${ref}${n}`;
    return candidate;
  }

  factRef(factId: string): string | undefined {
    return this.refByFact.get(factId);
  }
  fact(ref: string): Fact | undefined {
    return this.factByRef.get(ref);
  }
  eventRef(eventId: string): string | undefined {
    return this.refByEvent.get(eventId);
  }
  event(ref: string): EventRecord | undefined {
    return this.eventByRef.get(ref);
  }
}

/** The answer to a fact chosen by the user (a button), with the facts of its group beside it. */
export function answerForFact(kb: KnowledgeBase, fact: Fact, lang: Lang): Answer {
  const group = fact.group
    ? kb.facts.filter((other) => other.group === fact.group && other.id !== fact.id)
    : [];
  return {
    lang,
    answered: true,
    facts: [fact, ...group].map((f) => ({
      id: f.id,
      topic: f.topic,
      forum: f.forum ?? null,
      text: f.answer[lang],
      citations: citationsOf(f, kb),
    })),
    confidence: 1,
    suggestions: [],
    lowConfidence: false,
  };
}

/** The shortest of a fact's questions: what fits on a button. */
export function shortQuestion(fact: Fact, lang: Lang): string {
  return [...fact.questions[lang]].sort((a, b) => a.length - b.length)[0] ?? fact.answer[lang];
}
