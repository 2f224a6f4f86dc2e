import { benchSearch } from "../bench/search-bench.ts";
import { ms } from "../bench/stats.ts";
import { loadKnowledgeBase } from "../knowledge/load.ts";

const only = process.argv[2];

async function main() {
  const kb = loadKnowledgeBase();
  if (!only || only === "search") {
    console.log("search: per-query latency over the gold questions (after a warm-up)");
    console.log("  knowledge base          facts    build      median     p99        baseline median/p99 (fuse.js over sentences)   ratio (median)  index heap");
    for (const row of benchSearch(kb, [10_000, 100_000])) {
      const ratio = row.baseline ? row.baseline.median / row.engine.median : Number.NaN;
      console.log(
        `  ${row.label.padEnd(22)} ${String(row.facts).padStart(7)}  ${ms(row.buildMs).padStart(9)}  ${ms(row.engine.median).padStart(9)}  ${ms(row.engine.p99).padStart(9)}   ${row.baseline ? `${ms(row.baseline.median)} / ${ms(row.baseline.p99)}` : "-"}`.padEnd(120) +
          `  ${ratio.toFixed(0)}x faster   ${row.heapMb.toFixed(0)} MB`,
      );
    }
  }
  console.log(`peak memory (max RSS): ${(process.resourceUsage().maxRSS / 1024).toFixed(0)} MB`);
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
