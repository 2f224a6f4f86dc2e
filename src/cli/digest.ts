import dotenv from "dotenv";
import { Api } from "grammy";
import { createI18n } from "../bot/i18n.ts";
import { createLogger } from "../bot/logger.ts";
import { ConfigError, loadBaseConfig, loadConfig } from "../config.ts";
import { parseDigestEnv } from "../digest/config.ts";
import { openDigestStore } from "../digest/open.ts";
import { DigestService } from "../digest/service.ts";
import { loadKnowledgeBase } from "../knowledge/load.ts";
import { openStorage } from "../storage/index.ts";

const USAGE = `npm run digest                 show what is due now (a dry run: nothing is sent or written)
npm run digest -- --send       deliver every digest due now, then exit
options: --json (machine-readable output), --now <ISO time> (judge the schedule at that time),
         --no-pacing (ignore Telegram's limits: only against a local or fake Bot API server)`;

function parseArgs(argv: string[]) {
  const args = { send: false, json: false, now: undefined as number | undefined, pacing: true };
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i];
    if (arg === "--send") args.send = true;
    else if (arg === "--json") args.json = true;
    else if (arg === "--no-pacing") args.pacing = false;
    else if (arg === "--now") {
      const value = Date.parse(argv[++i] ?? "");
      if (Number.isNaN(value))
        throw new ConfigError("--now needs a date and time, e.g. 2026-01-05T09:00:00+05:00");
      args.now = value;
    } else if (arg === "--help" || arg === "-h") {
      console.log(USAGE);
      process.exit(0);
    } else {
      throw new ConfigError(`unknown option ${arg}\n${USAGE}`);
    }
  }
  return args;
}

async function main(): Promise<void> {
  dotenv.config({ quiet: true });
  const args = parseArgs(process.argv.slice(2));
  const base = args.send ? loadConfig() : { ...loadBaseConfig(), botToken: "0:dry-run" };
  let digest: ReturnType<typeof parseDigestEnv>;
  try {
    digest = parseDigestEnv();
  } catch (error) {
    throw new ConfigError((error as Error).message);
  }
  const logger = createLogger({ level: base.logLevel, secrets: [base.botToken] });
  const kb = loadKnowledgeBase();
  const storage = await openStorage(base);
  try {
    const service = new DigestService({
      store: await openDigestStore(storage),
      api: new Api(base.botToken, { apiRoot: base.apiRoot, timeoutSeconds: 30 }),
      kb,
      i18n: createI18n(),
      timeZone: digest.timeZone,
      pacing: args.pacing ? digest.pacing : false,
      logger,
    });
    if (!args.send) {
      const plans = await service.plan(args.now);
      if (args.json) {
        console.log(JSON.stringify(plans));
        return;
      }
      if (plans.length === 0) console.log("Nothing is due.");
      for (const plan of plans) {
        const editions = plan.editions
          .map((e) => `subscription ${e.subscriptionId}: ${e.kind} edition of ${e.items} item(s)`)
          .join("; ");
        const waiting = plan.waiting > 0 ? `${plan.waiting} message(s) waiting` : "";
        console.log(`chat ${plan.chatId}: ${[waiting, editions].filter(Boolean).join("; ")}`);
      }
      console.log("(dry run: use --send to deliver)");
      return;
    }
    // Ctrl-C or a stop signal: finish the message in flight, leave the rest for the next run.
    const stop = () => void service.stop();
    process.once("SIGINT", stop);
    process.once("SIGTERM", stop);
    const report = await service.deliverDue(args.now);
    if (args.json) {
      console.log(JSON.stringify(report));
    } else {
      console.log(
        `Sent ${report.messagesSent} message(s) in ${report.editions} new edition(s) to ${report.chats} chat(s) in ${(report.durationMs / 1000).toFixed(1)} s.` +
          (report.newItems > 0 ? ` ${report.newItems} new item(s) in the knowledge base.` : "") +
          (report.deactivatedChats > 0
            ? ` ${report.deactivatedChats} chat(s) deactivated (blocked).`
            : "") +
          (report.retryLater > 0
            ? ` ${report.retryLater} chat(s) left for the next run (Telegram errors).`
            : "") +
          (report.lockedChats > 0
            ? ` ${report.lockedChats} chat(s) busy in another process.`
            : "") +
          (report.failed > 0 ? ` ${report.failed} message(s) refused by Telegram.` : ""),
      );
    }
  } finally {
    await storage.close();
  }
}

main().catch((error: unknown) => {
  const message = error instanceof Error ? error.message : String(error);
  console.error(`digest: ${message}`);
  process.exit(error instanceof ConfigError ? 2 : 1);
});
