import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { Api } from "grammy";
import { FakeTelegram } from "../../tests/e2e/fake-telegram/server.ts";
import { createI18n } from "../bot/i18n.ts";
import { deliverDue } from "../digest/deliver.ts";
import { TELEGRAM_PACING } from "../digest/pacing.ts";
import { type KnowledgeBase, loadKnowledgeBase } from "../knowledge/load.ts";
import { migrate, SqliteStorage } from "../storage/sqlite.ts";
import { SQLITE_DIGEST_MIGRATIONS, SqliteDigestStore } from "../storage/sqlite-digest.ts";

export interface DigestBenchResult {
  /** Messages a second with pacing off: compose, queue, send, mark sent, through the fake server. */
  unpacedPerSec: number;
  /** Messages a second achieved with Telegram's pacing on (target 30). */
  pacedPerSec: number;
  /** Messages sent in each of the two runs. */
  messages: number;
  pacedMessages: number;
  /** Most messages the fake server saw within any one second, paced (must not exceed 30). */
  pacedMaxPerSecond: number;
}

export interface DigestBenchOptions {
  /** Subscribers (one message each) for the unpaced run. Default 2000. */
  unpacedChats?: number;
  /** Subscribers for the paced run (at least 300 messages). Default 330. */
  pacedChats?: number;
  kb?: KnowledgeBase;
}

/** The event whose card fits one message: one message per subscriber. */
function smallestEvent(kb: KnowledgeBase): string {
  const counts = new Map<string, number>();
  for (const fact of kb.facts)
    if (fact.forum) counts.set(fact.forum, (counts.get(fact.forum) ?? 0) + 1);
  return [...counts].sort((a, b) => a[1] - b[1])[0]?.[0] ?? "";
}

async function runOnce(kb: KnowledgeBase, chats: number, paced: boolean) {
  const tg = await FakeTelegram.start();
  const dir = mkdtempSync(join(tmpdir(), "digest-bench-"));
  const storage = new SqliteStorage({ dataDir: dir });
  try {
    migrate(storage.db, SQLITE_DIGEST_MIGRATIONS);
    const store = new SqliteDigestStore(storage.db);
    const eventId = smallestEvent(kb);
    const t0 = Date.now() - 10_000;
    for (let i = 0; i < chats; i++) {
      const chatId = 100_000 + i;
      await store.createSubscription(
        {
          userId: chatId,
          chatId,
          lang: i % 2 === 0 ? "kk" : "ru",
          scope: { kind: "event", eventId },
          cadence: { kind: "new" },
        },
        t0,
      );
    }
    await store.syncItems(
      kb.facts.map((fact) => fact.id),
      t0 + 1,
    );
    const i18n = createI18n();
    const started = performance.now();
    const report = await deliverDue({
      store,
      api: new Api(tg.token, { apiRoot: tg.apiRoot }),
      kb,
      t: (lang) => i18n.t(lang),
      pacing: paced ? TELEGRAM_PACING : false,
      leaseOwner: "bench",
      concurrency: 64,
    });
    const seconds = (performance.now() - started) / 1000;
    return {
      messages: report.messagesSent,
      perSec: report.messagesSent / seconds,
      maxPerSecond: tg.maxSendsInWindow(1000),
    };
  } finally {
    await storage.close();
    await tg.close();
    rmSync(dir, { recursive: true, force: true });
  }
}

/**
 * Digest delivery through the fake Bot API server on loopback, SQLite on disk: the whole path
 * (plan, compose, queue in a transaction, send, mark sent) with pacing off (throughput), then
 * with Telegram's pacing (30 a second overall, one a second per chat) over at least 300
 * messages, to see how close the achieved rate comes to 30.
 */
export async function benchDigest(options: DigestBenchOptions = {}): Promise<DigestBenchResult> {
  const kb = options.kb ?? loadKnowledgeBase();
  const unpaced = await runOnce(kb, options.unpacedChats ?? 2000, false);
  const paced = await runOnce(kb, Math.max(300, options.pacedChats ?? 330), true);
  return {
    unpacedPerSec: unpaced.perSec,
    pacedPerSec: paced.perSec,
    messages: unpaced.messages,
    pacedMessages: paced.messages,
    pacedMaxPerSecond: paced.maxPerSecond,
  };
}
