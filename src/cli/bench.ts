import { benchSearch } from "../bench/search-bench.ts";
import { ms } from "../bench/stats.ts";
import { loadKnowledgeBase } from "../knowledge/load.ts";

const only = process.argv[2];

function table(header: string[], rows: string[][]): string {
  const widths = header.map((title, i) =>
    Math.max(title.length, ...rows.map((row) => (row[i] ?? "").length)),
  );
  const line = (cells: string[]) =>
    `  ${cells.map((cell, i) => cell.padEnd(widths[i] ?? 0)).join("  ")}`;
  return [line(header), ...rows.map(line)].join("\n");
}

async function benchSearchSection() {
  const kb = loadKnowledgeBase();
  console.log("search: per-query latency over the gold questions, after a warm-up;");
  console.log(
    "baseline: fuse.js with default options over the articles' sentences (synthetic sentences at scale)\n",
  );
  const rows = benchSearch(kb, [10_000, 100_000]).map((row) => [
    row.label,
    String(row.facts),
    ms(row.buildMs),
    ms(row.engine.median),
    ms(row.engine.p99),
    row.baseline ? ms(row.baseline.median) : "-",
    row.baseline ? ms(row.baseline.p99) : "-",
    row.baseline ? `${(row.baseline.median / row.engine.median).toFixed(0)}x` : "-",
    `${row.heapMb.toFixed(0)} MB`,
  ]);
  console.log(
    table(
      [
        "knowledge base",
        "facts",
        "build",
        "median",
        "p99",
        "baseline median",
        "baseline p99",
        "speed-up",
        "index heap",
      ],
      rows,
    ),
  );
}

async function main() {
  if (!only || only === "search") await benchSearchSection();
  console.log(`\npeak memory (max RSS): ${(process.resourceUsage().maxRSS / 1024).toFixed(0)} MB`);
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
