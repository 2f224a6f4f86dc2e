import type { RetrievalResult } from "../search/retriever.ts";
import weights from "./confidence-weights.json" with { type: "json" };

/**
 * The signals that tell an answerable question from one the knowledge base cannot answer.
 * No single one separates them (a near miss shares a name or a number with a fact), so a
 * logistic model combines them; its weights are fitted on the gold questions by
 * `npm run eval -- --fit`.
 */
export const FEATURES = [
  "coverage",
  "nearest",
  "margin",
  "missesSpecific",
  "unknownShare",
  "correctedShare",
  "strength",
  "shortQuery",
  "typeMismatch",
  "attributeMismatch",
  "similar",
] as const;
export type FeatureVector = number[];

export interface ConfidenceWeights {
  bias: number;
  weights: Partial<Record<(typeof FEATURES)[number], number>>;
}

/** What the best fact lacks of what the question asks for. */
export interface Mismatch {
  /** It cannot be the kind of answer asked for: a number, a date. */
  typeMismatch: boolean;
  /** It does not state the attribute asked about: a price, a population, a length. */
  attributeMismatch: boolean;
}

/**
 * `shownWithTop`: documents shown together with the best one (its group's other figures), which
 * are not rivals: the margin is taken to the best candidate outside them.
 */
export function confidenceFeatures(
  result: RetrievalResult,
  mismatch: Mismatch = { typeMismatch: false, attributeMismatch: false },
  shownWithTop: ReadonlySet<number> = new Set(),
): FeatureVector | null {
  const [top, ...rest] = result.candidates;
  if (!top) return null;
  const second = rest.find((candidate) => !shownWithTop.has(candidate.doc));
  const content = result.terms.filter((term) => term.weight > 0).length;
  const values: Record<(typeof FEATURES)[number], number> = {
    coverage: top.coverage,
    nearest: top.nearest,
    margin: second ? (top.score - second.score) / top.score : 1,
    missesSpecific: top.missesSpecific ? 1 : 0,
    unknownShare: result.unknownShare,
    correctedShare: result.correctedShare,
    // BM25 grows with the number of rare words matched; squashed to 0..1.
    strength: 1 - Math.exp(-top.bm25 / 10),
    shortQuery: content <= 1 ? 1 : 0,
    typeMismatch: mismatch.typeMismatch ? 1 : 0,
    attributeMismatch: mismatch.attributeMismatch ? 1 : 0,
    similar: top.similar,
  };
  return FEATURES.map((name) => values[name]);
}

export function logistic(features: FeatureVector, model: ConfidenceWeights): number {
  let z = model.bias;
  FEATURES.forEach((name, i) => {
    z += (model.weights[name] ?? 0) * (features[i] ?? 0);
  });
  return 1 / (1 + Math.exp(-z));
}

export const CONFIDENCE_WEIGHTS: ConfidenceWeights = weights;

export function confidenceOf(
  features: FeatureVector | null,
  model: ConfidenceWeights = CONFIDENCE_WEIGHTS,
): number {
  return features ? logistic(features, model) : 0;
}

/** Fits the model by gradient descent on labelled feature vectors (L2-regularised). */
export function fitConfidence(
  samples: { features: FeatureVector; label: 0 | 1 }[],
  { epochs = 3000, rate = 0.5, l2 = 0.001 } = {},
): ConfidenceWeights {
  // The classes are balanced by weight: a wrong answer costs as much as a missed one, though
  // the gold set holds far more answerable questions.
  const positives = samples.filter((s) => s.label === 1).length;
  const negatives = samples.length - positives;
  const weightOf = (label: 0 | 1) =>
    label === 1
      ? samples.length / (2 * Math.max(1, positives))
      : samples.length / (2 * Math.max(1, negatives));
  const w = new Array<number>(FEATURES.length).fill(0);
  let bias = 0;
  const n = samples.length;
  for (let epoch = 0; epoch < epochs; epoch++) {
    const grad = new Array<number>(FEATURES.length).fill(0);
    let gradBias = 0;
    for (const { features, label } of samples) {
      let z = bias;
      for (let i = 0; i < w.length; i++) z += (w[i] as number) * (features[i] ?? 0);
      const error = (1 / (1 + Math.exp(-z)) - label) * weightOf(label);
      for (let i = 0; i < w.length; i++) grad[i] = (grad[i] as number) + error * (features[i] ?? 0);
      gradBias += error;
    }
    for (let i = 0; i < w.length; i++)
      w[i] = (w[i] as number) - rate * ((grad[i] as number) / n + l2 * (w[i] as number));
    bias -= (rate * gradBias) / n;
  }
  const round = (x: number) => Math.round(x * 1000) / 1000;
  return {
    bias: round(bias),
    weights: Object.fromEntries(
      FEATURES.map((name, i) => [name, round(w[i] as number)]),
    ) as ConfidenceWeights["weights"],
  };
}
