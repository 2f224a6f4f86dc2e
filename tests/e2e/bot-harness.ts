/**
 * Starts the real bot (startBot, the code path of `npm start`) against the fake Bot API server,
 * with real SQLite in a temporary DATA_DIR.
 */
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { createAnswerEngine } from "../../src/answer/engine.ts";
import { renderHtml } from "../../src/answer/render.ts";
import type { AnswerEngine } from "../../src/answer/types.ts";
import { createClarifier } from "../../src/bot/conversations/clarify.ts";
import { splitHtml } from "../../src/bot/html.ts";
import { createI18n } from "../../src/bot/i18n.ts";
import { createLogger } from "../../src/bot/logger.ts";
import { type BotHandle, type StartOptions, startBot } from "../../src/bot/run.ts";
import type { Config } from "../../src/config.ts";
import { type KnowledgeBase, loadKnowledgeBase } from "../../src/knowledge/load.ts";
import type { Lang } from "../../src/knowledge/schema.ts";
import { type FakeCall, FakeTelegram } from "./fake-telegram/server.ts";

/** Shaped like a real token, so the bot's validation and the log redaction see a real one. */
export const TOKEN = "987654321:AAEfakeTokenForEndToEndTests_0123456";

let shared: { kb: KnowledgeBase; engine: AnswerEngine } | undefined;
export function knowledge(): { kb: KnowledgeBase; engine: AnswerEngine } {
  if (!shared) {
    const kb = loadKnowledgeBase();
    shared = { kb, engine: createAnswerEngine(kb) };
  }
  return shared;
}

export const i18n = createI18n();

/** The first message the bot sends for `answer`, as the bot renders it. */
export function expectedFirstMessage(question: string, lang: Lang): string {
  const { kb, engine } = knowledge();
  const answer = engine.ask(question, { lang });
  return splitHtml(renderHtml(answer, kb, i18n.t(lang)))[0] ?? "";
}

export interface Harness {
  tg: FakeTelegram;
  bot: BotHandle;
  dataDir: string;
  /** Every line the bot logged (at debug level). */
  logs: string[];
  config: Config;
  /** Stops the bot, then starts it again on the same server and data. */
  restart(): Promise<void>;
  close(): Promise<void>;
}

export async function startHarness(
  options: StartOptions & { dataDir?: string; tg?: FakeTelegram } = {},
): Promise<Harness> {
  const tg = options.tg ?? (await FakeTelegram.start({ token: TOKEN, defaultLanguageCode: "ru" }));
  const dataDir = options.dataDir ?? mkdtempSync(join(tmpdir(), "bot-e2e-"));
  const logs: string[] = [];
  const config: Config = {
    botToken: TOKEN,
    apiRoot: tg.apiRoot,
    dataDir,
    adminIds: [],
    logLevel: "debug",
  };
  const { kb, engine } = knowledge();
  const start = () =>
    startBot(config, {
      kb,
      engine,
      i18n,
      logger: createLogger({ level: "debug", secrets: [TOKEN], write: (line) => logs.push(line) }),
      retry: { maxRetryAttempts: 3, maxDelaySeconds: 5 },
      ...options,
    });
  const harness: Harness = {
    tg,
    bot: await start(),
    dataDir,
    logs,
    config,
    async restart() {
      await harness.bot.stop();
      harness.bot = await start();
    },
    async close() {
      await harness.bot.stop();
      await tg.close();
      if (!options.dataDir) rmSync(dataDir, { recursive: true, force: true });
    },
  };
  return harness;
}

/** Waits for the bot's next successful call of `method` (to `chatId`) after `since`. */
export function nextCall(
  tg: FakeTelegram,
  method: string,
  since: number,
  chatId?: number,
  timeoutMs = 5000,
): Promise<FakeCall> {
  return tg.waitFor(
    (call) =>
      call.method === method &&
      call.response?.ok === true &&
      (chatId === undefined || call.payload.chat_id === chatId),
    { since, timeoutMs },
  );
}

/**
 * Waits until `check` holds: the bot stores state after its reply is sent, so a test that reads
 * storage right after the reply would race it.
 */
export async function eventually(check: () => Promise<boolean>, timeoutMs = 5000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error(`condition not met within ${timeoutMs} ms`);
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
}

/** Waits until the chat has received `count` messages since `since`; returns their payloads. */
export async function messagesTo(
  tg: FakeTelegram,
  chatId: number,
  since: number,
  count = 1,
  timeoutMs = 5000,
): Promise<{ text: string; reply_markup?: unknown; message_id: number }[]> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const calls = tg
      .calls("sendMessage")
      .filter((c) => c.seq >= since && c.response?.ok && c.payload.chat_id === chatId);
    if (calls.length >= count) {
      return calls.map((c) => ({
        text: String(c.payload.text),
        reply_markup: c.payload.reply_markup,
        message_id: (c.response as { result: { message_id: number } }).result.message_id,
      }));
    }
    if (Date.now() > deadline) {
      throw new Error(
        `chat ${chatId}: expected ${count} message(s), got ${calls.length}\n${tg.describeCalls(since)}`,
      );
    }
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
}

export function buttons(markup: unknown): { text: string; callback_data?: string }[] {
  const rows = (markup as { inline_keyboard?: { text: string; callback_data?: string }[][] })
    ?.inline_keyboard;
  return rows?.flat() ?? [];
}

/** A question of the knowledge base the engine answers surely with its own fact. */
export function confidentQuestion(lang: Lang, nth = 0): { question: string; factId: string } {
  const { kb, engine } = knowledge();
  let seen = 0;
  for (const fact of kb.facts) {
    for (const question of fact.questions[lang]) {
      const answer = engine.ask(question);
      if (
        answer.answered &&
        !answer.lowConfidence &&
        answer.lang === lang &&
        answer.facts[0]?.id === fact.id &&
        answer.facts.length === 1
      ) {
        if (seen === nth) return { question, factId: fact.id };
        seen += 1;
        break;
      }
    }
  }
  throw new Error(`no confident ${lang} question #${nth} in the knowledge base`);
}

/** A question the bot answers by asking back which forum or meeting is meant. */
export function clarifyingQuestion(): { question: string; lang: Lang } {
  const { kb, engine } = knowledge();
  const clarifier = createClarifier(kb);
  const generic = [
    "Кто участвовал во встрече?",
    "Кто выступал на встрече?",
    "Что обсуждали на встрече?",
    "Кездесуге кім қатысты?",
  ];
  const all = [...generic, ...kb.facts.flatMap((f) => [...f.questions.ru, ...f.questions.kk])];
  for (const question of all) {
    const answer = engine.ask(question);
    if (clarifier(question, answer)) return { question, lang: answer.lang };
  }
  throw new Error("no question makes the bot ask back which forum is meant");
}

/** Russian questions outside the knowledge base that the engine declines. */
export function declinedQuestions(count: number): string[] {
  const { engine } = knowledge();
  const candidates = [
    "Рецепт плова",
    "Как приготовить борщ?",
    "Кто выиграл чемпионат мира по футболу?",
    "Сколько стоит айфон?",
    "Как выучить английский язык?",
    "Когда откроется новый кинотеатр?",
    "Какая завтра погода в Париже?",
    "Курс биткоина сегодня",
  ];
  const declined = candidates.filter((q) => !engine.ask(q, { lang: "ru" }).answered);
  if (declined.length < count) throw new Error(`only ${declined.length} declined questions`);
  return declined.slice(0, count);
}
