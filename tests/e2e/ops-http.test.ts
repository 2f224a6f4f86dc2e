/**
 * The bot's HTTP server: the webhook (secret checked, answered in time), /healthz and /metrics,
 * through real HTTP on loopback, with the fake Bot API server for the bot's replies.
 */
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { Update } from "grammy/types";
import { afterEach, describe, expect, it } from "vitest";
import { createLogger } from "../../src/bot/logger.ts";
import { ALLOWED_UPDATES, type BotHandle, startBot } from "../../src/bot/run.ts";
import type { Config } from "../../src/config.ts";
import { confidentQuestion, i18n, knowledge, messagesTo, TOKEN } from "./bot-harness.ts";
import { FakeTelegram } from "./fake-telegram/server.ts";

const SECRET = "webhook_Secret-42";
const WEBHOOK_URL = "https://bot.example.test/telegram/hook";
const USER = 7301;

const cleanups: (() => Promise<void> | void)[] = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

async function start(
  mode: "webhook" | "polling",
  extra: { webhookTimeoutMs?: number } = {},
): Promise<{ tg: FakeTelegram; handle: BotHandle; base: string; logs: string[] }> {
  const tg = await FakeTelegram.start({ token: TOKEN, defaultLanguageCode: "ru" });
  cleanups.push(() => tg.close());
  const dataDir = mkdtempSync(join(tmpdir(), "bot-ops-"));
  cleanups.push(() => rmSync(dataDir, { recursive: true, force: true }));
  const config: Config = {
    botToken: TOKEN,
    apiRoot: tg.apiRoot,
    dataDir,
    adminIds: [],
    logLevel: "debug",
    digest: { cron: "*/5 * * * *", timeZone: "Asia/Almaty", pacing: false },
    http: { port: 0, host: "127.0.0.1" },
    ...(mode === "webhook"
      ? { webhook: { url: WEBHOOK_URL, secret: SECRET, path: "/telegram/hook" } }
      : {}),
  };
  const logs: string[] = [];
  const { kb, engine } = knowledge();
  const handle = await startBot(config, {
    kb,
    engine,
    i18n,
    logger: createLogger({ level: "debug", secrets: [TOKEN], write: (line) => logs.push(line) }),
    retry: { maxRetryAttempts: 2, maxDelaySeconds: 2 },
    pollTimeout: 1,
    ...extra,
  });
  cleanups.push(() => handle.stop());
  const base = handle.server?.url ?? "";
  expect(base).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
  return { tg, handle, base, logs };
}

function post(base: string, update: Update, secret?: string): Promise<Response> {
  const headers: Record<string, string> = { "Content-Type": "application/json" };
  if (secret !== undefined) headers["X-Telegram-Bot-Api-Secret-Token"] = secret;
  return fetch(`${base}/telegram/hook`, {
    method: "POST",
    headers,
    body: JSON.stringify(update),
  });
}

/** The value of one series in a /metrics text (0 when absent). */
function sample(text: string, series: string): number {
  const line = text.split("\n").find((l) => l.startsWith(`${series} `));
  return line ? Number(line.slice(series.length + 1)) : 0;
}

describe("webhook mode", () => {
  it("registers the webhook with the secret, and handles only requests that carry it", async () => {
    const { tg, handle, base } = await start("webhook");
    const [setWebhook] = tg.calls("setWebhook");
    expect(setWebhook?.payload).toMatchObject({
      url: WEBHOOK_URL,
      secret_token: SECRET,
      drop_pending_updates: false,
    });
    expect(JSON.parse(JSON.stringify(setWebhook?.payload.allowed_updates))).toEqual([
      ...ALLOWED_UPDATES,
    ]);
    expect(tg.webhookUrl).toBe(WEBHOOK_URL);
    expect(tg.calls("deleteWebhook")).toHaveLength(0);
    expect(tg.calls("getUpdates")).toHaveLength(0);
    expect(handle.mode).toBe("webhook");
    expect(handle.runner).toBeUndefined();

    const { question } = confidentQuestion("ru");
    const since = tg.mark();
    // Without the secret, and with a wrong one: 401, and the update is not handled.
    const missing = await post(base, tg.message(USER, question));
    expect(missing.status).toBe(401);
    const wrong = await post(base, tg.message(USER, question), `${SECRET}x`);
    expect(wrong.status).toBe(401);
    const almost = await post(base, tg.message(USER, question), SECRET.replace("4", "5"));
    expect(almost.status).toBe(401);
    await new Promise((resolve) => setTimeout(resolve, 200));
    expect(tg.calls("sendMessage").filter((c) => c.seq >= since)).toEqual([]);
    expect(handle.metrics.updates.value({ type: "message" })).toBe(0);

    // With it: 200, and the bot answers through the Bot API.
    const ok = await post(base, tg.message(USER, question), SECRET);
    expect(ok.status).toBe(200);
    const [reply] = await messagesTo(tg, USER, since);
    expect(reply?.text.length).toBeGreaterThan(0);
    expect(handle.metrics.updates.value({ type: "message" })).toBe(1);

    // Other methods and paths.
    expect((await fetch(`${base}/telegram/hook`)).status).toBe(405);
    expect((await fetch(`${base}/nothing`)).status).toBe(404);
    const notJson = await fetch(`${base}/telegram/hook`, {
      method: "POST",
      headers: { "X-Telegram-Bot-Api-Secret-Token": SECRET },
      body: "{not json",
    });
    expect(notJson.status).toBe(400);
  });

  it("answers Telegram in time when an update is slow, and still handles it (onTimeout: return)", async () => {
    const { tg, base } = await start("webhook", { webhookTimeoutMs: 300 });
    tg.setLatency("sendMessage", 1500);
    const since = tg.mark();
    const started = Date.now();
    const response = await post(base, tg.command(USER, "help"), SECRET);
    const elapsed = Date.now() - started;
    expect(response.status).toBe(200);
    expect(elapsed).toBeLessThan(1200);
    const [reply] = await messagesTo(tg, USER, since, 1, 5000);
    expect(reply?.text).toBe(i18n.t("ru")("help.text", { bot: tg.botInfo.username }));
  });

  it("an update whose handling fails still gets 200 (no redelivery storm)", async () => {
    const { tg, base, logs } = await start("webhook");
    // Every sendMessage fails for good: the error boundary logs, the apology fails too.
    tg.failNext("sendMessage", { code: 400, description: "Bad Request: something odd" }, 5);
    const response = await post(base, tg.command(USER, "help"), SECRET);
    expect(response.status).toBe(200);
    expect(logs.some((line) => line.includes("something odd"))).toBe(true);
  });

  it("on stop, refuses further webhook requests with 503 (Telegram delivers them again)", async () => {
    const { tg, handle, base } = await start("webhook");
    tg.setLatency("sendMessage", 300);
    const since = tg.mark();
    const inFlight = post(base, tg.command(USER, "help"), SECRET);
    await tg.waitForRequest("sendMessage", { since });
    const stopping = handle.stop();
    // A new update meanwhile: 503, not handled.
    const late = await post(base, tg.command(USER + 1, "help"), SECRET);
    expect(late.status).toBe(503);
    expect((await fetch(`${base}/healthz`)).status).toBe(503);
    // The update in flight is finished before the bot stops.
    expect((await inFlight).status).toBe(200);
    await stopping;
    expect(tg.sent(USER)).toHaveLength(1);
    expect(tg.sent(USER + 1)).toHaveLength(0);
    await expect(fetch(`${base}/healthz`)).rejects.toThrow();
    // Telegram keeps the webhook: another instance, or this one restarted, takes the updates.
    expect(tg.calls("deleteWebhook")).toHaveLength(0);
  });
});

describe("/healthz and /metrics", () => {
  it("healthz is 200 while the knowledge base is loaded and the database answers, 503 when it does not", async () => {
    const { handle, base } = await start("polling");
    const ok = await fetch(`${base}/healthz`);
    expect(ok.status).toBe(200);
    expect(await ok.json()).toEqual({
      status: "ok",
      checks: { bot: "ok", knowledgeBase: "ok", database: "ok" },
    });
    expect((await fetch(`${base}/healthz`, { method: "HEAD" })).status).toBe(200);

    await handle.storage.close();
    const down = await fetch(`${base}/healthz`);
    expect(down.status).toBe(503);
    expect(await down.json()).toMatchObject({
      status: "unavailable",
      checks: { database: "unavailable" },
    });
  });

  it("metrics count updates, answers, their latency and Telegram's errors after a question", async () => {
    const { tg, base } = await start("polling");
    const before = await (await fetch(`${base}/metrics`)).text();
    expect(before).toContain("# TYPE bot_updates_total counter");
    expect(before).toContain("# TYPE bot_answer_duration_seconds histogram");
    expect(sample(before, 'bot_answers_total{outcome="answered"}')).toBe(0);

    const { question } = confidentQuestion("ru");
    let since = tg.mark();
    tg.message(USER, question);
    await messagesTo(tg, USER, since);
    since = tg.mark();
    tg.message(USER, "Рецепт плова");
    await messagesTo(tg, USER, since);
    // A 429 on a reply: auto-retry sends it again; the failed attempt is counted.
    tg.failNext("sendMessage", { code: 429, retryAfter: 0 }, 1);
    since = tg.mark();
    tg.command(USER, "help");
    await messagesTo(tg, USER, since);

    const response = await fetch(`${base}/metrics`);
    expect(response.headers.get("content-type")).toBe("text/plain; version=0.0.4; charset=utf-8");
    const after = await response.text();
    expect(sample(after, 'bot_updates_total{type="message"}')).toBe(3);
    expect(sample(after, 'bot_answers_total{outcome="answered"}')).toBe(1);
    expect(sample(after, 'bot_answers_total{outcome="declined"}')).toBe(1);
    expect(sample(after, "bot_answer_duration_seconds_count")).toBe(2);
    expect(sample(after, 'bot_answer_duration_seconds_bucket{le="+Inf"}')).toBe(2);
    expect(sample(after, "bot_answer_duration_seconds_sum")).toBeGreaterThan(0);
    expect(sample(after, 'telegram_api_errors_total{method="sendMessage",error_code="429"}')).toBe(
      1,
    );
    expect(sample(after, "bot_updates_in_flight")).toBe(0);
    expect(after).toContain("bot_digest_messages_sent_total 0");
    // No question text in the metrics.
    expect(after).not.toContain("плова");
  });

  it("a port in use is a clear error", async () => {
    const { handle } = await start("polling");
    const tg = await FakeTelegram.start({ token: TOKEN });
    cleanups.push(() => tg.close());
    const { kb, engine } = knowledge();
    await expect(
      startBot(
        {
          botToken: TOKEN,
          apiRoot: tg.apiRoot,
          dataDir: ":memory:",
          adminIds: [],
          logLevel: "silent",
          http: { port: handle.server?.port ?? 0, host: "127.0.0.1" },
        },
        { kb, engine, i18n, logger: createLogger({ level: "silent" }) },
      ),
    ).rejects.toThrow(/port \d+ is in use: set PORT/);
  });
});
