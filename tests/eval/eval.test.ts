import { readFileSync } from "node:fs";
import { beforeAll, describe, expect, it } from "vitest";
import { createAnswerEngine, type FactAnswerEngine } from "../../src/answer/engine.ts";
import { type EvalReport, evaluate } from "../../src/evaluation/evaluate.ts";
import { type GoldQuestion, readGold } from "../../src/evaluation/gold.ts";
import {
  type KnowledgeBase,
  loadKnowledgeBase,
  quoteIsVerbatim,
} from "../../src/knowledge/load.ts";

/** The levels reached so far: a change that answers fewer gold questions fails the build. */
const floor = JSON.parse(readFileSync(new URL("./floor.json", import.meta.url), "utf8")) as {
  accuracy: { kk: number; ru: number };
  declined: number;
};

let kb: KnowledgeBase;
let engine: FactAnswerEngine;
let gold: GoldQuestion[];
let report: EvalReport;

beforeAll(() => {
  kb = loadKnowledgeBase();
  engine = createAnswerEngine(kb);
  gold = readGold();
  report = evaluate(engine, kb, gold, { baselineSample: 5 });
});

describe("gold set", () => {
  it("is large and varied enough to mean something", () => {
    expect(report.engine.inScope.kk).toBeGreaterThanOrEqual(150);
    expect(report.engine.inScope.ru).toBeGreaterThanOrEqual(150);
    expect(report.engine.outOfScope).toBeGreaterThanOrEqual(40);
  });

  it("expects only facts that exist", () => {
    const unknown = gold.flatMap((q) =>
      q.expect.filter((id) => !kb.factsById.has(id)).map((id) => `${q.file}:${q.line} ${id}`),
    );
    expect(unknown).toEqual([]);
  });
});

describe("answer engine on the gold set", () => {
  it("keeps in-scope accuracy per language at or above the floor", () => {
    expect(report.engine.accuracy.kk).toBeGreaterThanOrEqual(floor.accuracy.kk);
    expect(report.engine.accuracy.ru).toBeGreaterThanOrEqual(floor.accuracy.ru);
  });

  it("keeps declining out-of-scope questions at or above the floor", () => {
    expect(report.engine.declined).toBeGreaterThanOrEqual(floor.declined);
  });

  it("beats the fuse.js-over-sentences baseline", () => {
    expect(report.engine.accuracy.kk).toBeGreaterThan(report.baseline.accuracy.kk);
    expect(report.engine.accuracy.ru).toBeGreaterThan(report.baseline.accuracy.ru);
  });

  it("cites only verbatim quotes of the named source, in every answer to every gold question", () => {
    let citations = 0;
    const broken: string[] = [];
    for (const question of gold) {
      const answer = engine.ask(question.q);
      for (const fact of answer.facts) {
        for (const citation of fact.citations) {
          citations++;
          const source = kb.sources.get(citation.sourceId);
          if (
            !source ||
            !quoteIsVerbatim(citation.quote, source.body) ||
            citation.quote.length < 20
          ) {
            broken.push(`${fact.id}: ${citation.quote}`);
          }
          if (source && (citation.url !== source.url || citation.date !== source.date)) {
            broken.push(`${fact.id}: metadata differs from ${source.id}`);
          }
        }
      }
    }
    expect(citations).toBeGreaterThan(gold.length / 2);
    expect(broken).toEqual([]);
  });
});
