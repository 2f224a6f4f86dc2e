import { benchBot } from "../bench/bot-bench.ts";
import { benchDigest } from "../bench/digest-bench.ts";
import { benchSearch } from "../bench/search-bench.ts";
import { ms } from "../bench/stats.ts";
import { loadKnowledgeBase } from "../knowledge/load.ts";

/** `npm run bench -- search|bot|digest` runs one section. */
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

async function benchBotSection() {
  console.log("\nbot: updates a second through the fake Bot API on loopback (real long polling),");
  console.log(
    "against a bare grammY echo bot measured in the same run; median of alternating rounds\n",
  );
  const result = await benchBot();
  console.log(
    table(
      ["updates a round", "bot", "echo bot", "bot / echo"],
      [
        [
          String(result.updates),
          `${result.botUpdatesPerSec.toFixed(0)}/s`,
          `${result.echoUpdatesPerSec.toFixed(0)}/s`,
          result.ratio.toFixed(2),
        ],
      ],
    ),
  );
}

async function benchDigestSection() {
  console.log("\ndigests: delivery through the fake Bot API (compose, outbox, send, mark sent)\n");
  const result = await benchDigest();
  console.log(
    table(
      ["pacing", "messages", "rate", "most in one second"],
      [
        ["off", String(result.messages), `${result.unpacedPerSec.toFixed(0)}/s`, "-"],
        [
          "on (Telegram limits)",
          String(result.pacedMessages),
          `${result.pacedPerSec.toFixed(1)}/s (${((100 * result.pacedPerSec) / 30).toFixed(0)}% of 30/s)`,
          String(result.pacedMaxPerSecond),
        ],
      ],
    ),
  );
}

async function main() {
  if (!only || only === "search") await benchSearchSection();
  if (!only || only === "bot") await benchBotSection();
  if (!only || only === "digest") await benchDigestSection();
  console.log(`\npeak memory (max RSS): ${(process.resourceUsage().maxRSS / 1024).toFixed(0)} MB`);
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
