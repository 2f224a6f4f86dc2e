import { factDocument } from "../answer/engine.ts";
import { SentenceBaseline, splitSentences } from "../evaluation/baseline.ts";
import { readGold } from "../evaluation/gold.ts";
import type { KnowledgeBase } from "../knowledge/load.ts";
import { type DocumentInput, Retriever } from "../search/retriever.ts";
import { type LatencySummary, summarize, time } from "./stats.ts";

export interface SearchBenchRow {
  label: string;
  facts: number;
  buildMs: number;
  engine: LatencySummary;
  baseline: LatencySummary | null;
  heapMb: number;
}

/** Deterministic pseudo-random numbers, so every run benchmarks the same synthetic data. */
function random(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state * 1664525 + 1013904223) >>> 0;
    return state / 2 ** 32;
  };
}

/**
 * Synthetic facts made of the real knowledge base's words, recombined, so that word
 * frequencies and lengths stay realistic as the collection grows.
 */
export function syntheticDocuments(kb: KnowledgeBase, count: number, seed = 7): DocumentInput[] {
  const real = kb.facts.map((fact) => factDocument(fact, kb));
  const words = real
    .flatMap((doc) => doc.fields.flatMap((field) => field.text.split(/\s+/)))
    .filter(Boolean);
  const next = random(seed);
  const pick = (n: number) =>
    Array.from({ length: n }, () => words[Math.floor(next() * words.length)]).join(" ");
  const docs: DocumentInput[] = [...real];
  while (docs.length < count) {
    const phrasings = Array.from({ length: 8 }, () => pick(4 + Math.floor(next() * 6)));
    docs.push({
      fields: [{ text: `${pick(18)} \n ${pick(18)}`, weight: 0.5 }],
      phrasings: [...phrasings, pick(5)].map((text) => ({ text, lang: null })),
      phrasingWeight: 1,
    });
  }
  return docs;
}

function syntheticSentences(docs: DocumentInput[]) {
  return docs.map((doc, i) => ({ sourceId: `s${i}`, text: doc.fields[0]?.text ?? "" }));
}

export function benchSearch(kb: KnowledgeBase, sizes: number[]): SearchBenchRow[] {
  const queries = readGold().map((question) => question.q);
  const rows: SearchBenchRow[] = [];
  for (const size of [kb.facts.length, ...sizes]) {
    const docs =
      size === kb.facts.length
        ? kb.facts.map((fact) => factDocument(fact, kb))
        : syntheticDocuments(kb, size);
    global.gc?.();
    const heapBefore = process.memoryUsage().heapUsed;
    const start = performance.now();
    const retriever = new Retriever(docs, kb.aliases);
    const buildMs = performance.now() - start;
    const heapMb = (process.memoryUsage().heapUsed - heapBefore) / 2 ** 20;
    time(queries.slice(0, 50), (q) => retriever.search(q)); // warm-up: JIT and caches
    const engine = summarize(time(queries, (q) => retriever.search(q)));
    // The baseline scans every sentence for every query: at scale, a sample of queries is enough.
    const sentences = size === kb.facts.length ? splitSentences(kb) : syntheticSentences(docs);
    const baselineQueries =
      size === kb.facts.length ? queries : queries.slice(0, size > 20_000 ? 5 : 20);
    const baselineSearch = new SentenceBaseline(sentences);
    const baseline = summarize(time(baselineQueries, (q) => baselineSearch.ask(q)));
    rows.push({
      label:
        size === kb.facts.length ? "real knowledge base" : `synthetic ${size.toLocaleString("en")}`,
      facts: docs.length,
      buildMs,
      engine,
      baseline,
      heapMb,
    });
  }
  return rows;
}
