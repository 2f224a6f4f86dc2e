/**
 * Several bot instances on one PostgreSQL database share a digest run: 1,000 subscribers, each
 * item delivered exactly once; a SIGTERM in the middle of a run loses nothing (the next run
 * completes it: no duplicate, no gap). Needs a server: TEST_DATABASE_URL (.ci/run sets it);
 * skipped with a message otherwise. Every test works in a fresh schema, dropped after.
 */
import { type ChildProcess, spawn } from "node:child_process";
import { randomBytes } from "node:crypto";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { Api } from "grammy";
import pg from "pg";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { createI18n } from "../../src/bot/i18n.ts";
import { composeDigest } from "../../src/digest/compose.ts";
import { openDigestStore } from "../../src/digest/open.ts";
import { DigestService } from "../../src/digest/service.ts";
import type { DigestStore } from "../../src/digest/store.ts";
import { loadKnowledgeBase } from "../../src/knowledge/load.ts";
import type { Lang } from "../../src/knowledge/schema.ts";
import { openStorage } from "../../src/storage/index.ts";
import type { Storage } from "../../src/storage/types.ts";
import { FakeTelegram } from "./fake-telegram/server.ts";

const url = process.env.TEST_DATABASE_URL?.trim() || undefined;
const SKIPPED =
  "multi-instance PostgreSQL tests SKIPPED: TEST_DATABASE_URL is not set " +
  "(e.g. TEST_DATABASE_URL=postgres://bot_test:bot_test@127.0.0.1:5432/bot_test; .ci/run sets it)";

const TOKEN = "987654321:AAEfakeTokenForMultiInstance_0123456";
const SUBSCRIBERS = 1000;
const FIRST_CHAT = 50_000;
const kb = loadKnowledgeBase();
const i18n = createI18n();
/** The "new material": two facts that appear after everybody subscribed. */
const NEW_ITEMS = kb.facts.slice(-2).map((fact) => fact.id);
const OLD_ITEMS = kb.facts.slice(0, -2).map((fact) => fact.id);

const chats = Array.from({ length: SUBSCRIBERS }, (_, i) => FIRST_CHAT + i);
const langOf = (chatId: number): Lang => (chatId % 2 === 0 ? "kk" : "ru");
const expected: Record<Lang, string[]> = {
  kk: composeDigest(kb, NEW_ITEMS, "kk", i18n.t("kk"), { kind: "new" }),
  ru: composeDigest(kb, NEW_ITEMS, "ru", i18n.t("ru"), { kind: "new" }),
};

function inSchema(connectionString: string, schema: string): string {
  const parsed = new URL(connectionString);
  parsed.searchParams.set("options", `-c search_path=${schema}`);
  return parsed.toString();
}

/** Successful sends to the subscribers so far. */
function delivered(tg: FakeTelegram): number {
  return tg
    .calls("sendMessage")
    .filter((c) => c.response?.ok && Number(c.payload.chat_id) >= FIRST_CHAT).length;
}

async function until(what: string, test: () => boolean | Promise<boolean>, timeoutMs = 30_000) {
  const deadline = Date.now() + timeoutMs;
  while (!(await test())) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
}

/** Each subscriber got exactly the messages of its edition, once, in order. */
function expectExactlyOnce(tg: FakeTelegram): void {
  const wrong: string[] = [];
  for (const chatId of chats) {
    const got = tg.sent(chatId).map((p) => p.text);
    const want = expected[langOf(chatId)];
    if (JSON.stringify(got) !== JSON.stringify(want)) {
      wrong.push(`chat ${chatId}: ${got.length} message(s), expected ${want.length}`);
    }
  }
  expect(wrong.slice(0, 10), `${wrong.length} chat(s) wrong`).toEqual([]);
  expect(delivered(tg)).toBe(SUBSCRIBERS * expected.ru.length);
}

interface Proc {
  child: ChildProcess;
  stderr: () => string;
  done: Promise<{ code: number | null; stdout: string; stderr: string }>;
}

function spawnTsx(script: string, args: string[], env: Record<string, string>): Proc {
  const child = spawn(process.execPath, ["--import", "tsx", script, ...args], {
    env: { PATH: process.env.PATH ?? "", HOME: process.env.HOME ?? "", ...env },
    cwd: process.cwd(),
  });
  let stdout = "";
  let stderr = "";
  child.stdout?.on("data", (chunk) => {
    stdout += chunk;
  });
  child.stderr?.on("data", (chunk) => {
    stderr += chunk;
  });
  const done = new Promise<{ code: number | null; stdout: string; stderr: string }>((resolve) => {
    child.on("close", (code) => resolve({ code, stdout, stderr }));
  });
  return { child, stderr: () => stderr, done };
}

if (!url) {
  console.warn(SKIPPED);
  describe("several instances on PostgreSQL", () => {
    it.skip(SKIPPED, () => {});
  });
} else {
  const databaseUrl = url;
  const admin = new pg.Client({ connectionString: databaseUrl });
  const cleanups: (() => Promise<void> | void)[] = [];

  beforeAll(async () => {
    await admin.connect();
  });
  afterAll(async () => {
    await admin.end();
  });
  afterEach(async () => {
    for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
  });

  /**
   * A fresh schema with 1,000 "as soon as new material arrives" subscribers (everything), who
   * subscribed at `t0`, when all but NEW_ITEMS were known; NEW_ITEMS appear at t0 + 1.
   */
  async function seed(t0: number): Promise<{ schemaUrl: string; storage: Storage }> {
    const schema = `multi_test_${randomBytes(6).toString("hex")}`;
    await admin.query(`CREATE SCHEMA ${schema}`);
    cleanups.push(async () => {
      await admin.query(`DROP SCHEMA IF EXISTS ${schema} CASCADE`);
    });
    const schemaUrl = inSchema(databaseUrl, schema);
    const storage = await openStorage({ dataDir: "unused", databaseUrl: schemaUrl });
    cleanups.push(() => storage.close());
    const store = await openDigestStore(storage);
    await store.syncItems(OLD_ITEMS, t0 - 1000);
    for (let i = 0; i < chats.length; i += 50) {
      await Promise.all(
        chats.slice(i, i + 50).map((chatId) =>
          store.createSubscription(
            {
              userId: chatId,
              chatId,
              lang: langOf(chatId),
              scope: { kind: "all" },
              cadence: { kind: "new" },
            },
            t0,
          ),
        ),
      );
    }
    await store.syncItems(NEW_ITEMS, t0 + 1);
    return { schemaUrl, storage };
  }

  async function outbox(store: DigestStore) {
    const stats = await store.stats(Date.now());
    return { pending: stats.pending, leases: (await store.leases()).length, stats };
  }

  describe("several instances on PostgreSQL", () => {
    it("two instances share a run of 1,000 subscribers: every item exactly once", async () => {
      const tg = await FakeTelegram.start({ token: TOKEN });
      cleanups.push(() => tg.close());
      tg.setLatency("sendMessage", 2);
      const t0 = Date.now() - 60_000;
      const { schemaUrl, storage } = await seed(t0);

      // Two instances: each its own connection pool, store and lease owner.
      const instances = await Promise.all(
        ["A", "B"].map(async () => {
          const own = await openStorage({ dataDir: "unused", databaseUrl: schemaUrl });
          cleanups.push(() => own.close());
          return new DigestService({
            store: await openDigestStore(own),
            api: new Api(TOKEN, { apiRoot: tg.apiRoot }),
            kb,
            i18n,
            pacing: false,
            retry: { attempts: 3, baseDelayMs: 20 },
          });
        }),
      );
      const [a, b] = await Promise.all(instances.map((service) => service.deliverDue()));
      expect(a?.messagesSent).toBeGreaterThan(0);
      expect(b?.messagesSent).toBeGreaterThan(0);
      expect((a?.messagesSent ?? 0) + (b?.messagesSent ?? 0)).toBe(
        SUBSCRIBERS * expected.ru.length,
      );
      expect((a?.editions ?? 0) + (b?.editions ?? 0)).toBe(SUBSCRIBERS);
      expectExactlyOnce(tg);

      const store = await openDigestStore(storage);
      const after = await outbox(store);
      expect(after.pending).toBe(0);
      expect(after.leases).toBe(0);
      expect(after.stats.itemsDelivered).toBe(SUBSCRIBERS * NEW_ITEMS.length);
      // A later run of either finds nothing to do.
      const again = await instances[0]?.deliverDue();
      expect(again?.messagesSent).toBe(0);
      expect(again?.editions).toBe(0);
    }, 60_000);

    it("two bot processes (webhook mode), SIGTERM to each in the middle of the run: the next run completes it, no duplicate, no gap", async () => {
      const tg = await FakeTelegram.start({ token: TOKEN });
      cleanups.push(() => tg.close());
      // Slow enough that the run is still going when the signals come.
      tg.setLatency("sendMessage", 200);
      const t0 = Date.now() - 60_000;
      const { schemaUrl, storage } = await seed(t0);
      const store = await openDigestStore(storage);
      const dataDir = mkdtempSync(join(tmpdir(), "bot-multi-"));
      cleanups.push(() => rmSync(dataDir, { recursive: true, force: true }));
      const env = {
        BOT_TOKEN: TOKEN,
        TELEGRAM_API_ROOT: tg.apiRoot,
        DATA_DIR: dataDir,
        DATABASE_URL: schemaUrl,
        WEBHOOK_URL: "https://bot.example.test/telegram",
        WEBHOOK_SECRET: "multi_instance_secret",
        PORT: "0",
        DIGEST_PACING: "off",
        // Only the run at start: the next one is a year away.
        DIGEST_CRON: "0 0 1 1 *",
        LOG_LEVEL: "info",
      };
      const procA = spawnTsx("src/main.ts", [], env);
      const procB = spawnTsx("src/main.ts", [], env);
      for (const proc of [procA, procB]) {
        cleanups.push(() => {
          if (proc.child.exitCode === null) proc.child.kill("SIGKILL");
        });
      }

      // A stops after a quarter of the messages, B after half: both in the middle of the run.
      await until("a quarter delivered", () => delivered(tg) >= SUBSCRIBERS / 4);
      procA.child.kill("SIGTERM");
      await until("half delivered", () => delivered(tg) >= SUBSCRIBERS / 2);
      procB.child.kill("SIGTERM");
      const [a, b] = await Promise.all([procA.done, procB.done]);
      for (const result of [a, b]) {
        expect(result.code, result.stderr).toBe(0);
        const lines = result.stderr.trim().split("\n");
        // JSON logs, one object a line, no token.
        for (const line of lines) expect(() => JSON.parse(line), line).not.toThrow();
        expect(result.stderr).toContain('"msg":"bot stopped"');
        expect(result.stderr).not.toContain(TOKEN.split(":")[1]);
      }
      const interrupted = delivered(tg);
      expect(interrupted).toBeLessThan(SUBSCRIBERS);
      // Leases released on the way out; what was composed but not sent waits in the outbox.
      expect((await outbox(store)).leases).toBe(0);

      // The next run: `npm run digest -- --send`, the same delivery path.
      tg.setLatency("sendMessage", 0);
      const next = spawnTsx("src/cli/digest.ts", ["--send", "--json"], env);
      cleanups.push(() => {
        if (next.child.exitCode === null) next.child.kill("SIGKILL");
      });
      const result = await next.done;
      expect(result.code, result.stderr).toBe(0);
      const report = JSON.parse(result.stdout.trim().split("\n").pop() ?? "{}");
      expect(report.messagesSent).toBe(SUBSCRIBERS * expected.ru.length - interrupted);

      expectExactlyOnce(tg);
      const after = await outbox(store);
      expect(after.pending).toBe(0);
      expect(after.leases).toBe(0);
      expect(after.stats.itemsDelivered).toBe(SUBSCRIBERS * NEW_ITEMS.length);
    }, 90_000);
  });
}
