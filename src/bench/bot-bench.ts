/**
 * The bot's throughput against a bare grammY echo bot, both polling the fake Bot API server on
 * loopback with @grammyjs/runner, measured in the same run. Each round feeds `users` × `perUser`
 * text messages (real questions of the knowledge base) and the clock stops when the last reply
 * has arrived; rounds alternate between the two bots and the medians are compared.
 *
 * Run alone with `npx tsx src/bench/bot-bench.ts`; `npm run bench` calls benchBot().
 */
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { pathToFileURL } from "node:url";
import { isMainThread, parentPort, Worker, workerData } from "node:worker_threads";
import { run } from "@grammyjs/runner";
import { Bot } from "grammy";
import { FakeTelegram } from "../../tests/e2e/fake-telegram/server.ts";
import { createAnswerEngine } from "../answer/engine.ts";
import { createI18n } from "../bot/i18n.ts";
import { silentLogger } from "../bot/logger.ts";
import { startBot } from "../bot/run.ts";
import { loadKnowledgeBase } from "../knowledge/load.ts";

const TOKEN = "987654321:AAEbenchmarkTokenForTheFakeServer_01";
const CONCURRENCY = 200;

export interface BotBenchOptions {
  users?: number;
  perUser?: number;
  /** Measured rounds of each bot, alternating (the median counts). */
  rounds?: number;
}

export interface BotBenchResult {
  updates: number;
  botUpdatesPerSec: number;
  echoUpdatesPerSec: number;
  /** bot / echo */
  ratio: number;
}

interface DriveRequest {
  users: number[];
  texts: string[];
  expected: number;
}

/**
 * The fake Bot API server runs in a worker thread, as Telegram runs elsewhere than the bot: its
 * work (HTTP, HTML parsing) does not count against either bot. Each request pushes the updates
 * and answers with the seconds until `expected` replies have arrived.
 */
async function fakeTelegramWorker(): Promise<void> {
  const port = parentPort;
  if (!port) return;
  const tg = await FakeTelegram.start({ token: TOKEN });
  port.postMessage({ apiRoot: tg.apiRoot });
  port.on("message", async (message: DriveRequest | "close") => {
    if (message === "close") {
      await tg.close();
      port.close();
      return;
    }
    const since = tg.mark();
    let replies = 0;
    const start = performance.now();
    const onCall = (call: { method: string; seq: number; response?: { ok: boolean } }) => {
      if (call.method === "sendMessage" && call.seq >= since && call.response?.ok) {
        replies += 1;
        if (replies === message.expected) {
          tg.events.off("call", onCall);
          port.postMessage({ seconds: (performance.now() - start) / 1000 });
        }
      }
    };
    tg.events.on("call", onCall);
    for (const text of message.texts) for (const user of message.users) tg.message(user, text);
  });
}

interface FakeServer {
  apiRoot: string;
  drive(users: number[], texts: string[]): Promise<number>;
  close(): Promise<void>;
}

async function startFakeServer(): Promise<FakeServer> {
  // Workers do not inherit tsx's loader: a tiny bootstrap registers it, then loads this file.
  const bootstrap = `import(${JSON.stringify(import.meta.resolve("tsx/esm/api"))})
    .then((tsx) => { tsx.register(); return import(${JSON.stringify(import.meta.url)}); })`;
  const worker = new Worker(bootstrap, { eval: true, workerData: { role: "fake-telegram" } });
  const next = () =>
    new Promise<{ apiRoot?: string; seconds?: number }>((resolve, reject) => {
      worker.once("message", resolve);
      worker.once("error", reject);
    });
  const { apiRoot } = await next();
  if (!apiRoot) throw new Error("the fake Bot API server did not start");
  return {
    apiRoot,
    async drive(users, texts) {
      const reply = next();
      worker.postMessage({ users, texts, expected: users.length * texts.length });
      return (await reply).seconds ?? Number.NaN;
    },
    async close() {
      worker.postMessage("close");
      await new Promise((resolve) => worker.once("exit", resolve));
    },
  };
}

export async function benchBot(options: BotBenchOptions = {}): Promise<BotBenchResult> {
  const users = Array.from({ length: options.users ?? 100 }, (_, i) => 30_000 + i);
  const kb = loadKnowledgeBase();
  const engine = createAnswerEngine(kb);
  const i18n = createI18n();
  // Real questions, one per fact, so the bot does its whole job for each update.
  const texts = kb.facts.slice(0, options.perUser ?? 10).map((fact) => fact.questions.ru[0] ?? "");
  const warmupTexts = kb.facts.slice(-2).map((fact) => fact.questions.kk[0] ?? "");
  const updates = users.length * texts.length;

  // The bare echo bot.
  const echoServer = await startFakeServer();
  const echo = new Bot(TOKEN, { client: { apiRoot: echoServer.apiRoot } });
  echo.on("message:text", (ctx) => ctx.reply(ctx.msg.text));
  await echo.init();
  const echoRunner = run(echo, {
    runner: { fetch: { timeout: 30 }, silent: true },
    sink: { concurrency: CONCURRENCY },
  });

  // The bot, as npm start runs it (rate limit off: a benchmark is a flood by design).
  const botServer = await startFakeServer();
  const dataDir = mkdtempSync(join(tmpdir(), "bench-bot-"));
  const handle = await startBot(
    { botToken: TOKEN, apiRoot: botServer.apiRoot, dataDir, adminIds: [], logLevel: "silent" },
    { kb, engine, i18n, logger: silentLogger, rateLimit: false, concurrency: CONCURRENCY },
  );

  // Warm both up, then alternate rounds so that both see the same machine; take the medians.
  const echoTimes: number[] = [];
  const botTimes: number[] = [];
  try {
    await echoServer.drive(users, warmupTexts);
    await botServer.drive(users, warmupTexts);
    for (let round = 0; round < (options.rounds ?? 3); round++) {
      echoTimes.push(await echoServer.drive(users, texts));
      botTimes.push(await botServer.drive(users, texts));
    }
  } finally {
    await echoRunner.stop();
    await handle.stop();
    await echoServer.close();
    await botServer.close();
    rmSync(dataDir, { recursive: true, force: true });
  }
  const median = (values: number[]) =>
    [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)] ?? Number.NaN;
  const echoSeconds = median(echoTimes);
  const botSeconds = median(botTimes);

  const botUpdatesPerSec = updates / botSeconds;
  const echoUpdatesPerSec = updates / echoSeconds;
  return {
    updates,
    botUpdatesPerSec,
    echoUpdatesPerSec,
    ratio: botUpdatesPerSec / echoUpdatesPerSec,
  };
}

if (!isMainThread && (workerData as { role?: string } | null)?.role === "fake-telegram") {
  await fakeTelegramWorker();
} else if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  const result = await benchBot();
  console.log(
    `bot: ${result.botUpdatesPerSec.toFixed(0)} updates/s, bare grammY echo bot: ${result.echoUpdatesPerSec.toFixed(0)} updates/s ` +
      `(median of 3 rounds of ${result.updates} updates from 100 users; bot/echo = ${result.ratio.toFixed(2)})`,
  );
}
