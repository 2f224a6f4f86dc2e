/**
 * `npm run kb:feedback [-- --limit N] [-- --json]`: what curators should look at — the questions
 * the bot declined and the answers users voted down, most frequent first.
 */
import dotenv from "dotenv";
import { ConfigError, loadBaseConfig } from "../config.ts";
import { openStorage } from "../storage/index.ts";

function parseArgs(argv: string[]): { limit: number; json: boolean } {
  let limit = 50;
  let json = false;
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i];
    if (arg === "--json") json = true;
    else if (arg === "--limit") limit = Number(argv[++i]);
    else if (arg?.startsWith("--limit=")) limit = Number(arg.slice("--limit=".length));
    else {
      console.error(`unknown argument ${arg}; usage: npm run kb:feedback -- [--limit N] [--json]`);
      process.exit(2);
    }
  }
  if (!Number.isInteger(limit) || limit <= 0) {
    console.error("--limit takes a positive whole number");
    process.exit(2);
  }
  return { limit, json };
}

async function main(): Promise<void> {
  dotenv.config({ quiet: true });
  const { limit, json } = parseArgs(process.argv.slice(2));
  let base: ReturnType<typeof loadBaseConfig>;
  try {
    base = loadBaseConfig();
  } catch (error) {
    if (error instanceof ConfigError) {
      console.error(error.message);
      process.exit(2);
    }
    throw error;
  }
  const storage = await openStorage(base);
  try {
    const unanswered = await storage.unansweredQuestions(limit);
    const downvoted = await storage.downvotedQuestions(limit);
    if (json) {
      console.log(JSON.stringify({ unanswered, downvoted }, null, 2));
      return;
    }
    const day = (date: Date) => date.toISOString().slice(0, 10);
    console.log(`Unanswered questions (${unanswered.length}), most frequent first:`);
    if (unanswered.length === 0) console.log("  (none)");
    for (const row of unanswered) {
      console.log(
        `  ${String(row.count).padStart(4)}×  [${row.lang}] ${row.question}  (last ${day(row.lastAt)})`,
      );
    }
    console.log();
    console.log(`Down-voted answers (${downvoted.length}), most 👎 first:`);
    if (downvoted.length === 0) console.log("  (none)");
    for (const row of downvoted) {
      console.log(
        `  ${String(row.down).padStart(4)}👎 ${String(row.up).padStart(3)}👍  ${row.question}  → ${row.factIds.join(", ") || "(no fact)"}  (last ${day(row.lastAt)})`,
      );
    }
    console.log(`\nfrom ${base.dataDir}`);
  } finally {
    await storage.close();
  }
}

main().catch((error: unknown) => {
  console.error(error instanceof Error ? error.message : String(error));
  process.exit(1);
});
