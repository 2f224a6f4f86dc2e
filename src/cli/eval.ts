import { writeFileSync } from "node:fs";
import { fitConfidence, logistic } from "../answer/confidence.ts";
import { createAnswerEngine, DEFAULT_THRESHOLDS } from "../answer/engine.ts";
import { evaluate, judge } from "../evaluation/evaluate.ts";
import { readGold } from "../evaluation/gold.ts";
import { loadKnowledgeBase } from "../knowledge/load.ts";

const args = new Set(process.argv.slice(2));
const WEIGHTS_FILE = new URL("../answer/confidence-weights.json", import.meta.url).pathname;
/**
 * Files kept out of the confidence fit and reported alone. holdout.jsonl: written from the
 * articles alone, never looked at while tuning. review.jsonl and review2.jsonl: written later
 * by two reviewers who read only the articles and the facts' answers, the second with more
 * near misses and mixed-language chat; their misses showed kinds of near miss that rules now
 * catch, but they were never fitted on.
 */
const HELD_OUT_FILES = ["holdout.jsonl", "review.jsonl", "review2.jsonl"];
const kb = loadKnowledgeBase();
const gold = readGold();
const engine = createAnswerEngine(kb);
const report = evaluate(engine, kb, gold);
const pct = (x: number) => `${(100 * x).toFixed(1)}%`;

console.log(
  `gold set: ${gold.length} questions (kk ${report.engine.inScope.kk}, ru ${report.engine.inScope.ru} in scope; ${report.engine.outOfScope} out of scope)`,
);
console.log("");
console.log("                        engine    baseline (fuse.js defaults over sentences)");
console.log(
  `accuracy kk             ${pct(report.engine.accuracy.kk).padStart(6)}    ${pct(report.baseline.accuracy.kk).padStart(6)}`,
);
console.log(
  `accuracy ru             ${pct(report.engine.accuracy.ru).padStart(6)}    ${pct(report.baseline.accuracy.ru).padStart(6)}`,
);
console.log(
  `out of scope declined   ${pct(report.engine.declined).padStart(6)}    ${pct(report.baseline.declined).padStart(6)}`,
);
for (const file of HELD_OUT_FILES) {
  const held = evaluate(
    engine,
    kb,
    gold.filter((q) => q.file === file),
    { baselineSample: 1 },
  );
  if (held.outcomes.length === 0) continue;
  console.log(
    `held-out ${file} alone (${held.outcomes.length}): accuracy kk ${pct(held.engine.accuracy.kk)}, ru ${pct(held.engine.accuracy.ru)}, declined ${pct(held.engine.declined)}` +
      ` (baseline ${pct(held.baseline.accuracy.kk)}, ${pct(held.baseline.accuracy.ru)}, ${pct(held.baseline.declined)})`,
  );
}
console.log("");
console.log("engine accuracy by language and kind:");
for (const [kind, { total, correct }] of [...report.byKind].sort()) {
  console.log(
    `  ${kind.padEnd(22)} ${String(correct).padStart(4)}/${String(total).padEnd(4)} ${pct(correct / total)}`,
  );
}

if (args.has("--failures")) {
  console.log("\nfailures:");
  for (const o of report.outcomes.filter((x) => !x.correct)) {
    console.log(
      `  [${o.question.lang}/${o.question.kind}] ${o.question.q}\n      expected ${o.question.expect.join(",") || "(decline)"}; got ${o.answered ? o.factIds.join(",") : "(declined)"} lang=${o.lang} conf=${o.confidence.toFixed(3)}`,
    );
  }
}

if (args.has("--calibrate")) {
  console.log("\ndecline threshold sweep (min of kk accuracy, ru accuracy, decline rate):");
  let best = { threshold: DEFAULT_THRESHOLDS.decline, worst: 0 };
  for (let threshold = 0.2; threshold <= 0.8001; threshold += 0.02) {
    const stats = { kk: [0, 0], ru: [0, 0], oos: [0, 0] };
    for (const o of report.outcomes) {
      const answered = o.bestFactIds.length > 0 && o.confidence >= threshold;
      const ok = judge(o.question, answered, o.bestFactIds, o.lang);
      const bucket = o.question.expect.length === 0 ? stats.oos : stats[o.question.lang];
      bucket[0] = (bucket[0] ?? 0) + 1;
      if (ok) bucket[1] = (bucket[1] ?? 0) + 1;
    }
    const rate = ([n, k]: number[]) => (k as number) / Math.max(1, n as number);
    const worst = Math.min(rate(stats.kk), rate(stats.ru), rate(stats.oos));
    if (worst > best.worst) best = { threshold, worst };
    console.log(
      `  ${threshold.toFixed(2)}  kk ${pct(rate(stats.kk))}  ru ${pct(rate(stats.ru))}  declined ${pct(rate(stats.oos))}`,
    );
  }
  console.log(`best: ${best.threshold.toFixed(2)} (worst of the three ${pct(best.worst)})`);
}

if (args.has("--fit")) {
  // The held-out files stay out of the fit, so that their figures keep telling how the engine
  // does on questions written without looking at the knowledge base's own wording.
  const samples = report.outcomes
    .filter((o) => !HELD_OUT_FILES.includes(o.question.file))
    .flatMap((o) =>
      o.features
        ? [
            {
              outcome: o,
              features: o.features,
              label: (o.question.expect.length > 0 &&
              o.bestFactIds.some((id) => o.question.expect.includes(id))
                ? 1
                : 0) as 0 | 1,
            },
          ]
        : [],
    );
  // Two-fold cross-validation: fitted on half the questions, judged on the other half.
  const rateOn = (held: typeof samples, model: ReturnType<typeof fitConfidence>) => {
    const stats = { kk: [0, 0], ru: [0, 0], oos: [0, 0] };
    for (const { outcome: o, features } of held) {
      const answered = logistic(features, model) >= DEFAULT_THRESHOLDS.decline;
      const bucket = o.question.expect.length === 0 ? stats.oos : stats[o.question.lang];
      bucket[0] = (bucket[0] ?? 0) + 1;
      if (judge(o.question, answered, o.bestFactIds, o.lang)) bucket[1] = (bucket[1] ?? 0) + 1;
    }
    return stats;
  };
  const total = { kk: [0, 0], ru: [0, 0], oos: [0, 0] };
  for (const fold of [0, 1]) {
    const train = samples.filter((_, i) => i % 2 !== fold);
    const held = samples.filter((_, i) => i % 2 === fold);
    const stats = rateOn(held, fitConfidence(train));
    for (const key of ["kk", "ru", "oos"] as const) {
      total[key][0] = (total[key][0] ?? 0) + (stats[key][0] ?? 0);
      total[key][1] = (total[key][1] ?? 0) + (stats[key][1] ?? 0);
    }
  }
  const rate = ([n, k]: number[]) => pct((k as number) / Math.max(1, n as number));
  console.log(
    `\nconfidence model, 2-fold cross-validated: kk ${rate(total.kk)}  ru ${rate(total.ru)}  declined ${rate(total.oos)}`,
  );
  const model = fitConfidence(samples);
  writeFileSync(WEIGHTS_FILE, `${JSON.stringify(model, null, 2)}\n`);
  console.log(`fitted on all ${samples.length} questions, written to ${WEIGHTS_FILE}:`);
  console.log(JSON.stringify(model));
}
