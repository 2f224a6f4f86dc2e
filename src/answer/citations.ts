import type { KnowledgeBase } from "../knowledge/load.ts";
import type { Fact } from "../knowledge/schema.ts";
import type { Citation } from "./types.ts";

export function citationsOf(fact: Fact, kb: KnowledgeBase): Citation[] {
  return fact.citations.map(({ source: sourceId, quote }) => {
    const source = kb.sources.get(sourceId);
    return {
      sourceId,
      outlet: source?.outlet ?? null,
      title: source?.title ?? null,
      date: source?.date ?? null,
      url: source?.url ?? null,
      quote,
    };
  });
}
