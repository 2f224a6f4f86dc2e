import type { KnowledgeBase, Source } from "../../src/knowledge/load.ts";
import type { EventRecord, Fact, Topic } from "../../src/knowledge/schema.ts";

export function event(id: string, over: Partial<EventRecord> = {}): EventRecord {
  return {
    id,
    kind: "forum",
    status: "held",
    number: null,
    year: null,
    date: null,
    city: { kk: `Қала ${id}`, ru: `Город ${id}` },
    name: { kk: `Форум ${id} (kk)`, ru: `Форум ${id} (ru)` },
    theme: null,
    participants: { kk: [], ru: [] },
    sources: ["src-a"],
    ...over,
  };
}

export function fact(
  id: string,
  forum: string | undefined,
  topic: Topic = "trade",
  over: Partial<Fact> = {},
): Fact {
  return {
    id,
    topic,
    ...(forum ? { forum } : {}),
    answer: { kk: `Дерек ${id}`, ru: `Факт ${id}` },
    questions: { kk: ["a", "b", "c"], ru: ["a", "b", "c"] },
    keywords: ["x"],
    citations: [{ source: "src-a", quote: `quote of ${id} long enough to be a quote` }],
    ...over,
  } as Fact;
}

export function makeKb(
  events: EventRecord[],
  facts: Fact[],
  sources: Source[] = [],
): KnowledgeBase {
  const all: Source[] = sources.length
    ? sources
    : [
        {
          id: "src-a",
          language: "ru",
          outlet: "Outlet A",
          via: null,
          title: "Headline A",
          author: null,
          date: "2019-11-07",
          url: "https://example.org/a?x=1&y=2",
          text: "a.txt",
          body: "",
        },
      ];
  return {
    sources: new Map(all.map((s) => [s.id, s])),
    facts,
    factsById: new Map(facts.map((f) => [f.id, f])),
    events,
    eventsById: new Map(events.map((e) => [e.id, e])),
    aliases: [],
  };
}
