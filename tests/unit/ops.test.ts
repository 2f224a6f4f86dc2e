import { GrammyError } from "grammy";
import { describe, expect, it } from "vitest";
import { createLogger } from "../../src/bot/logger.ts";
import { ConfigError, loadConfig } from "../../src/config.ts";
import { BotMetrics } from "../../src/ops/bot-metrics.ts";
import { Registry } from "../../src/ops/metrics.ts";

const TOKEN = "123456789:AAHk2bQbZ0Ng-example_token_abcdefgh";

describe("metrics registry (Prometheus text format)", () => {
  it("renders counters, gauges and histograms with HELP, TYPE, escaped labels and cumulative buckets", () => {
    const registry = new Registry();
    const counter = registry.counter("jobs_total", "Jobs done.\nBy kind.", ["kind"]);
    counter.inc({ kind: "a" });
    counter.inc({ kind: "a" }, 2);
    counter.inc({ kind: 'say "hi"\\' });
    const gauge = registry.gauge("queue_size", "Waiting.");
    gauge.set(5);
    gauge.dec();
    registry.gauge("answer", "Read when scraped.", [], () => 42);
    const histogram = registry.histogram("latency_seconds", "Latency.", [0.1, 1, 0.5]);
    for (const value of [0.05, 0.1, 0.3, 2]) histogram.observe(value);

    expect(registry.render()).toBe(
      [
        "# HELP jobs_total Jobs done.\\nBy kind.",
        "# TYPE jobs_total counter",
        'jobs_total{kind="a"} 3',
        'jobs_total{kind="say \\"hi\\"\\\\"} 1',
        "# HELP queue_size Waiting.",
        "# TYPE queue_size gauge",
        "queue_size 4",
        "# HELP answer Read when scraped.",
        "# TYPE answer gauge",
        "answer 42",
        "# HELP latency_seconds Latency.",
        "# TYPE latency_seconds histogram",
        'latency_seconds_bucket{le="0.1"} 2',
        'latency_seconds_bucket{le="0.5"} 3',
        'latency_seconds_bucket{le="1"} 3',
        'latency_seconds_bucket{le="+Inf"} 4',
        "latency_seconds_sum 2.45",
        "latency_seconds_count 4",
        "",
      ].join("\n"),
    );
  });

  it("refuses wrong labels, a counter going down and duplicate names", () => {
    const registry = new Registry();
    const counter = registry.counter("c_total", "c", ["a"]);
    expect(() => counter.inc({ b: "x" })).toThrow(/labels \[a\]/);
    expect(() => counter.inc({ a: "x" }, -1)).toThrow(/only goes up/);
    expect(() => registry.counter("c_total", "again")).toThrow(/exists/);
    expect(() => registry.counter("bad name", "x")).toThrow(/invalid metric name/);
  });

  it("counts every failed Bot API attempt by method and error_code", async () => {
    const metrics = new BotMetrics();
    const transformer = metrics.apiTransformer();
    const failing = (async () => ({
      ok: false,
      error_code: 429,
      description: "Too Many Requests",
    })) as never;
    await transformer(failing, "sendMessage", { chat_id: 1, text: "x" } as never);
    await expect(
      transformer(
        (async () => {
          throw new Error("socket hang up");
        }) as never,
        "getMe",
        {} as never,
      ),
    ).rejects.toThrow();
    expect(metrics.apiErrors.value({ method: "sendMessage", error_code: 429 })).toBe(1);
    expect(metrics.apiErrors.value({ method: "getMe", error_code: "network" })).toBe(1);
    expect(metrics.render()).toContain(
      'telegram_api_errors_total{method="sendMessage",error_code="429"} 1',
    );
  });
});

describe("production settings", () => {
  const webhook = {
    BOT_TOKEN: TOKEN,
    WEBHOOK_URL: "https://bot.example.org/telegram",
    WEBHOOK_SECRET: "s3cret_-X",
  };

  it("polls by default, with the HTTP server on port 8080 and SQLite", () => {
    const config = loadConfig({ BOT_TOKEN: TOKEN });
    expect(config.http).toEqual({ port: 8080 });
    expect(config.webhook).toBeUndefined();
    expect(config.databaseUrl).toBeUndefined();
  });

  it("reads PORT (0: any free port; off: no server), DATABASE_URL and the webhook", () => {
    expect(loadConfig({ BOT_TOKEN: TOKEN, PORT: "0" }).http).toEqual({ port: 0 });
    expect(loadConfig({ BOT_TOKEN: TOKEN, PORT: "off" }).http).toBeUndefined();
    expect(
      loadConfig({ BOT_TOKEN: TOKEN, DATABASE_URL: "postgres://u:p@db:5432/bot" }).databaseUrl,
    ).toBe("postgres://u:p@db:5432/bot");
    expect(loadConfig({ ...webhook, PORT: "3000" })).toMatchObject({
      http: { port: 3000 },
      webhook: {
        url: "https://bot.example.org/telegram",
        secret: "s3cret_-X",
        path: "/telegram",
      },
    });
    // http only towards this machine (a local Bot API server).
    expect(
      loadConfig({ ...webhook, WEBHOOK_URL: "http://127.0.0.1:8443/hook" }).webhook?.path,
    ).toBe("/hook");
    expect(loadConfig({ ...webhook, WEBHOOK_URL: "http://localhost/hook" }).webhook).toBeDefined();
  });

  it.each([
    [
      { ...webhook, WEBHOOK_URL: "http://bot.example.org/telegram" },
      /WEBHOOK_URL must be an https/,
    ],
    [{ ...webhook, WEBHOOK_URL: "not a url" }, /WEBHOOK_URL must be an https URL/],
    [{ ...webhook, WEBHOOK_URL: "https://bot.example.org/metrics" }, /cannot use the path/],
    [{ ...webhook, WEBHOOK_SECRET: "" }, /WEBHOOK_SECRET is not set/],
    [{ ...webhook, WEBHOOK_SECRET: "has space" }, /WEBHOOK_SECRET must be 1-256 characters/],
    [{ ...webhook, WEBHOOK_SECRET: "x".repeat(257) }, /WEBHOOK_SECRET must be 1-256/],
    [{ ...webhook, PORT: "off" }, /PORT=off cannot be used with WEBHOOK_URL/],
    [{ BOT_TOKEN: TOKEN, PORT: "80000" }, /PORT must be a port number/],
    [{ BOT_TOKEN: TOKEN, PORT: "http" }, /PORT must be a port number/],
    [{ BOT_TOKEN: TOKEN, DATABASE_URL: "mysql://x" }, /DATABASE_URL must be a PostgreSQL URL/],
  ])("rejects %j with one clear line", (env, message) => {
    try {
      loadConfig(env);
      expect.unreachable();
    } catch (error) {
      expect(error).toBeInstanceOf(ConfigError);
      expect((error as Error).message).toMatch(message);
      expect((error as Error).message).not.toContain("\n");
    }
  });
});

describe("JSON logs", () => {
  it("writes one JSON object a line, with the level, and errors without the request's text", () => {
    const lines: string[] = [];
    const logger = createLogger({ level: "info", secrets: [TOKEN], write: (l) => lines.push(l) });
    const error = new GrammyError(
      "Call to 'sendMessage' failed!",
      { ok: false, error_code: 400, description: "Bad Request: chat not found" },
      "sendMessage",
      { chat_id: 1, text: "секретный вопрос пользователя" },
    );
    logger.warn("could not reply", error);
    logger.info("started", { facts: 12, token: TOKEN });
    logger.debug("question", { question: "скрыто на info" });
    expect(lines).toHaveLength(2);
    const [warn, info] = lines.map((line) => JSON.parse(line));
    expect(warn).toMatchObject({
      level: "warn",
      msg: "could not reply",
      err: { type: "GrammyError", error_code: 400, method: "sendMessage" },
    });
    expect(typeof warn.time).toBe("string");
    expect(info).toMatchObject({ level: "info", msg: "started", facts: 12, token: "[redacted]" });
    expect(lines.join("\n")).not.toContain("секретный");
    expect(lines.join("\n")).not.toContain("скрыто");
  });
});
