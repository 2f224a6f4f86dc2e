import type { FeatureVector } from "../answer/confidence.ts";
import type { FactAnswerEngine } from "../answer/engine.ts";
import type { KnowledgeBase } from "../knowledge/load.ts";
import { LANGS, type Lang } from "../knowledge/schema.ts";
import { SentenceBaseline, sentenceAnswers, splitSentences } from "./baseline.ts";
import type { GoldQuestion } from "./gold.ts";

export interface Outcome {
  question: GoldQuestion;
  answered: boolean;
  factIds: string[];
  /** What the engine would show whatever its confidence, for calibrating the decline threshold. */
  bestFactIds: string[];
  features: FeatureVector | null;
  lang: Lang;
  confidence: number;
  correct: boolean;
}

export interface Rates {
  /** Share of in-scope questions answered with an expected fact, in the question's language. */
  accuracy: Record<Lang, number>;
  inScope: Record<Lang, number>;
  /** Share of out-of-scope questions declined. */
  declined: number;
  outOfScope: number;
}

export interface EvalReport {
  engine: Rates;
  baseline: Rates;
  outcomes: Outcome[];
  byKind: Map<string, { total: number; correct: number }>;
}

/**
 * Right when an out-of-scope question is declined, or when an in-scope one is answered in the
 * question's language with an expected fact among those shown (a group shows each speaker's figure).
 */
export function judge(
  question: GoldQuestion,
  answered: boolean,
  factIds: string[],
  lang: Lang,
): boolean {
  if (question.expect.length === 0) return !answered;
  return answered && lang === question.lang && factIds.some((id) => question.expect.includes(id));
}

function rates(outcomes: { question: GoldQuestion; correct: boolean }[]): Rates {
  const accuracy = { kk: 0, ru: 0 };
  const inScope = { kk: 0, ru: 0 };
  let declined = 0;
  let outOfScope = 0;
  for (const { question, correct } of outcomes) {
    if (question.expect.length === 0) {
      outOfScope++;
      if (correct) declined++;
    } else {
      inScope[question.lang]++;
      if (correct) accuracy[question.lang]++;
    }
  }
  for (const lang of LANGS) accuracy[lang] = inScope[lang] ? accuracy[lang] / inScope[lang] : 0;
  return { accuracy, inScope, declined: outOfScope ? declined / outOfScope : 0, outOfScope };
}

export function evaluate(
  engine: FactAnswerEngine,
  kb: KnowledgeBase,
  gold: GoldQuestion[],
  { baselineSample = 1 } = {},
): EvalReport {
  const outcomes: Outcome[] = gold.map((question) => {
    const answer = engine.ask(question.q);
    const factIds = answer.facts.map((fact) => fact.id);
    return {
      question,
      answered: answer.answered,
      factIds,
      bestFactIds: answer.bestFactIds,
      features: answer.features,
      lang: answer.lang,
      confidence: answer.confidence,
      correct: judge(question, answer.answered, factIds, answer.lang),
    };
  });

  const baseline = new SentenceBaseline(splitSentences(kb));
  // The baseline scans every sentence for every question; a regular sample keeps the test suite quick.
  const baselineOutcomes = gold
    .filter((_, i) => i % baselineSample === 0)
    .map((question) => {
      const sentence = baseline.ask(question.q);
      if (question.expect.length === 0) return { question, correct: sentence === null };
      const quotes = question.expect.flatMap((id) => kb.factsById.get(id)?.citations ?? []);
      return { question, correct: sentence !== null && sentenceAnswers(sentence, quotes) };
    });

  const byKind = new Map<string, { total: number; correct: number }>();
  for (const outcome of outcomes) {
    const kind = `${outcome.question.lang}/${outcome.question.kind}`;
    const entry = byKind.get(kind) ?? { total: 0, correct: 0 };
    entry.total++;
    if (outcome.correct) entry.correct++;
    byKind.set(kind, entry);
  }
  return { engine: rates(outcomes), baseline: rates(baselineOutcomes), outcomes, byKind };
}
