import { Api } from "grammy";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { composeDigest } from "../../src/digest/compose.ts";
import { deliverDue } from "../../src/digest/deliver.ts";
import type { DigestStore } from "../../src/digest/store.ts";
import type { Scope } from "../../src/digest/types.ts";
import { loadKnowledgeBase } from "../../src/knowledge/load.ts";
import { testI18n } from "../digest/helpers.ts";
import { BACKENDS, type Backend } from "../digest/store-backends.ts";
import { type FakeTelegram, startFakeTelegram } from "./fake-telegram/server.ts";

const kb = loadKnowledgeBase();
const i18n = testI18n();
const t = (lang: "kk" | "ru") => i18n.t(lang);
const T0 = Date.parse("2026-01-05T00:00:00Z");

describe.each(BACKENDS)("digest delivery against the fake Bot API, $name", (backend) => {
  let server: FakeTelegram;
  let db: Backend;
  beforeEach(async () => {
    server = await startFakeTelegram();
    db = await backend.open();
  });
  afterEach(async () => {
    await server.close();
    await db.cleanup();
  });

  interface Seeded {
    chatId: number;
    lang: "kk" | "ru";
    scopes: Scope[];
  }

  /** Subscribers created at T0, then every item of the knowledge base "arrives" at T0 + 1. */
  async function seed(count: number): Promise<Seeded[]> {
    const seeded: Seeded[] = [];
    for (let i = 0; i < count; i++) {
      const chatId = 10_000 + i;
      const lang = i % 2 === 0 ? "kk" : "ru";
      const scopes: Scope[] =
        i % 100 === 0
          ? [{ kind: "event", eventId: "meeting-sochi-smailov-mishustin" }]
          : i % 10 === 0
            ? [{ kind: "topics", topics: ["energy"] }]
            : i % 7 === 0
              ? // Overlapping: the Kokshetau facts are also ecology facts.
                [
                  { kind: "event", eventId: "forum-next-kokshetau-2020" },
                  { kind: "topics", topics: ["ecology", "youth"] },
                ]
              : [{ kind: "event", eventId: "forum-next-kokshetau-2020" }];
      for (const scope of scopes) {
        await db.store.createSubscription(
          { userId: chatId, chatId, lang, scope, cadence: { kind: "new" } },
          T0,
        );
      }
      seeded.push({ chatId, lang, scopes });
    }
    await db.store.syncItems(
      kb.facts.map((f) => f.id),
      T0 + 1,
    );
    return seeded;
  }

  /** What a chat must receive: each subscription's new items, an item once, composed as deliverDue does. */
  function expectedParts(s: Seeded): string[] {
    const taken = new Set<string>();
    const parts: string[] = [];
    for (const scope of s.scopes) {
      const items = kb.facts
        .filter((f) =>
          scope.kind === "event"
            ? f.forum === scope.eventId
            : scope.kind === "topics"
              ? (scope.topics as string[]).includes(f.topic)
              : true,
        )
        .map((f) => f.id)
        .filter((id) => !taken.has(id));
      for (const id of items) taken.add(id);
      if (items.length > 0)
        parts.push(...composeDigest(kb, items, s.lang, t(s.lang), { kind: "new" }));
    }
    return parts;
  }

  function run(store: DigestStore, owner: string) {
    return deliverDue({
      store,
      api: new Api(server.token, { apiRoot: server.apiRoot }),
      kb,
      t,
      now: T0 + 10,
      pacing: false,
      leaseOwner: owner,
      concurrency: 64,
      retry: { attempts: 3, baseDelayMs: 20 },
    });
  }

  // 1,000 subscribers on SQLite (the default); fewer on a PostgreSQL server, for time.
  const subscribers = backend.name === "SQLite" ? 1000 : 300;

  it(`${subscribers} subscribers with 429s, 403s, 500s and dropped connections: each item exactly once, the blocked deactivated`, async () => {
    const seeded = await seed(subscribers);
    const blocked = new Set(seeded.filter((_, i) => i % 40 === 3).map((s) => s.chatId));
    for (const chat of blocked) server.block(chat);
    const chatOf = (p: Record<string, unknown>) => Number(p.chat_id);
    /** A fault that hits each matching chat once (transient), whatever the order of sends. */
    const oncePerChat = (test: (chat: number) => boolean) => {
      const hit = new Set<number>();
      return (p: Record<string, unknown>) => {
        const chat = chatOf(p);
        if (!test(chat) || hit.has(chat)) return false;
        hit.add(chat);
        return true;
      };
    };
    // A 5xx that persists through all of a run's attempts for two chats: left for the next run.
    const stubborn = [10_005, 10_100];
    server.failNext("sendMessage", { code: 500 }, 3 * stubborn.length, (p) =>
      stubborn.includes(chatOf(p)),
    );
    // Rate limits, transient 5xx and dropped connections spread over many chats…
    server.failNext(
      "sendMessage",
      { code: 429, retryAfter: 1 },
      40,
      oncePerChat((c) => c % 31 === 0),
    );
    server.failNext(
      "sendMessage",
      { code: 500 },
      50,
      oncePerChat((c) => c % 23 === 0),
    );
    server.failNext(
      "sendMessage",
      { code: 502 },
      40,
      oncePerChat((c) => c % 29 === 0),
    );
    server.failNext(
      "sendMessage",
      { drop: true },
      30,
      oncePerChat((c) => c % 37 === 0),
    );

    const first = await run(db.store, "process-A");
    expect(first.deactivatedChats).toBe(blocked.size);
    expect(first.retryLater).toBe(2);
    expect(first.rateLimited).toBeGreaterThan(0);
    for (const chat of stubborn) expect(server.sent(chat)).toHaveLength(0);

    const second = await run(db.store, "process-A");
    expect(second.retryLater).toBe(0);
    expect(second.editions).toBe(0); // nothing composed again
    const third = await run(db.store, "process-B");
    expect(third.messagesSent).toBe(0);

    let total = 0;
    for (const s of seeded) {
      const got = server.sent(s.chatId).map((p) => p.text);
      if (blocked.has(s.chatId)) {
        expect(got).toEqual([]);
        const subs = await db.store.chatSubscriptions(s.chatId, { includeInactive: true });
        expect(
          subs.every((sub) => !sub.active && sub.deactivatedReason?.startsWith("blocked")),
        ).toBe(true);
        continue;
      }
      expect(got, `chat ${s.chatId}`).toEqual(expectedParts(s));
      total += got.length;
    }
    expect(first.messagesSent + second.messagesSent).toBe(total);
    const stats = await db.store.stats(T0 + 100);
    expect(stats.pending).toBe(0);
    expect(stats.subscribers).toBe(subscribers - blocked.size);
    expect(stats.deactivated.unreachable).toBeGreaterThanOrEqual(blocked.size);
  }, 60_000);

  it("two processes at once (two connections, two lease owners) never send an item twice", async () => {
    const seeded = await seed(200);
    server.setLatency("sendMessage", 2);
    {
      const [a, b] = await Promise.all([
        run(db.store, "process-A"),
        run(db.another(), "process-B"),
      ]);
      expect(a.messagesSent).toBeGreaterThan(0);
      expect(b.messagesSent).toBeGreaterThan(0);
      let total = 0;
      for (const s of seeded) {
        const got = server.sent(s.chatId).map((p) => p.text);
        expect(got, `chat ${s.chatId}`).toEqual(expectedParts(s));
        total += got.length;
      }
      expect(a.messagesSent + b.messagesSent).toBe(total);
    }
  });

  it.runIf(backend.name === "SQLite")(
    "paces: at most one message a second per chat and about 30 a second overall",
    async () => {
      await seed(40);
      const started = Date.now();
      const report = await deliverDue({
        store: db.store,
        api: new Api(server.token, { apiRoot: server.apiRoot }),
        kb,
        t,
        now: T0 + 10,
        pacing: { perSecond: 30, privateGapMs: 1000, groupGapMs: 3000 },
        leaseOwner: "paced",
      });
      const elapsed = (Date.now() - started) / 1000;
      expect(report.messagesSent).toBeGreaterThan(40);
      expect(server.maxSendsInWindow(1000)).toBeLessThanOrEqual(31);
      for (const chat of server.sendTimes().keys()) {
        expect(server.minGapMs(chat)).toBeGreaterThanOrEqual(990);
      }
      expect(report.messagesSent / elapsed).toBeLessThanOrEqual(31);
    },
  );
});
