import { afterEach, beforeEach, describe, expect, it } from "vitest";
import type { EditionDraft } from "../../src/digest/store.ts";
import { BACKENDS, type Backend, TEST_DATABASE_URL } from "./store-backends.ts";

if (!TEST_DATABASE_URL) {
  console.warn(
    "digest store on PostgreSQL SKIPPED: TEST_DATABASE_URL is not set (.ci/run sets it)",
  );
}

const draft = (over: Partial<EditionDraft> = {}): EditionDraft => ({
  subscriptionId: 1,
  userId: 7,
  chatId: 7,
  kind: "new",
  itemIds: ["a", "b"],
  parts: ["part one", "part two"],
  slotAt: null,
  ...over,
});

describe.each(BACKENDS)("digest store on $name", (backend) => {
  let db: Backend;
  beforeEach(async () => {
    db = await backend.open();
  });
  afterEach(async () => {
    await db.cleanup();
  });

  it("records new items once, with their first sighting", async () => {
    expect(await db.store.syncItems(["a", "b"], 100)).toBe(2);
    expect(await db.store.syncItems(["a", "b", "c"], 200)).toBe(1);
    expect(await db.store.itemsFirstSeen()).toEqual(
      new Map([
        ["a", 100],
        ["b", 100],
        ["c", 200],
      ]),
    );
  });

  it("subscriptions are seen from another connection (another process, a restart)", async () => {
    const sub = await db.store.createSubscription(
      {
        userId: 7,
        chatId: 7,
        lang: "kk",
        scope: { kind: "topics", topics: ["trade", "energy"] },
        cadence: { kind: "weekly", day: 1, hour: 9 },
      },
      1000,
    );
    const again = await db.another().getSubscription(sub.id);
    expect(again).toMatchObject({
      userId: 7,
      lang: "kk",
      scope: { kind: "topics", topics: ["energy", "trade"] },
      cadence: { kind: "weekly", day: 1, hour: 9 },
      active: true,
      createdAt: 1000,
    });
  });

  it("queues an edition with its outbox and log in one go, and refuses items already logged", async () => {
    const first = await db.store.insertEdition(draft(), 1000);
    expect(first.inserted).toBe(true);
    expect(await db.store.loggedItems(7)).toEqual(new Set(["a", "b"]));
    const again = await db.store.insertEdition(
      draft({ subscriptionId: 2, itemIds: ["b", "c"] }),
      1001,
    );
    expect(again).toEqual({ inserted: false, alreadyLogged: ["b"] });
    expect(await db.store.loggedItems(7)).toEqual(new Set(["a", "b"]));
    const pending = await db.store.pendingMessages(7);
    expect(pending.map((m) => [m.part, m.parts, m.text])).toEqual([
      [0, 2, "part one"],
      [1, 2, "part two"],
    ]);
    expect(await db.store.chatsWithPendingMessages()).toEqual([7]);

    const [one, two] = pending.map((m) => m.id) as [number, number];
    await db.store.markSent(one, 11, 2000);
    let stats = await db.store.stats(3000);
    expect(stats.messagesSent).toBe(1);
    expect(stats.itemsDelivered).toBe(0);
    await db.store.markSent(two, 12, 2001);
    await db.store.markSent(two, 12, 2002); // twice: no effect
    stats = await db.store.stats(3000);
    expect(stats.messagesSent).toBe(2);
    expect(stats.itemsDelivered).toBe(2);
    expect(await db.store.chatsWithPendingMessages()).toEqual([]);
  });

  it("a blocked chat: subscriptions off, waiting messages cancelled, their items freed", async () => {
    const sub = await db.store.createSubscription(
      { userId: 7, chatId: 7, lang: "ru", scope: { kind: "all" }, cadence: { kind: "new" } },
      1000,
    );
    await db.store.insertEdition(draft({ subscriptionId: sub.id }), 1000);
    expect(
      await db.store.deactivateChat(7, "blocked: Forbidden: bot was blocked by the user", 2000),
    ).toBe(1);
    expect(await db.store.pendingMessages(7)).toEqual([]);
    expect(await db.store.loggedItems(7)).toEqual(new Set());
    expect(await db.store.getSubscription(sub.id)).toMatchObject({
      active: false,
      deactivatedReason: "blocked: Forbidden: bot was blocked by the user",
    });
    const stats = await db.store.stats(3000);
    expect(stats.deactivated).toEqual({ unsubscribed: 0, unreachable: 1 });
    expect(stats.cancelled).toBe(2);
  });

  it("a lease is held by one owner across connections until released or expired", async () => {
    const other = db.another();
    expect(await db.store.claimLease(7, "A", 1000, 500)).toBe(true);
    expect(await other.claimLease(7, "B", 1200, 500)).toBe(false);
    expect(await db.store.claimLease(7, "A", 1300, 500)).toBe(true); // ours again
    expect(await other.renewLease(7, "B", 1300, 500)).toBe(false);
    expect(await other.claimLease(7, "B", 1801, 500)).toBe(true); // expired
    expect(await db.store.renewLease(7, "A", 1900, 500)).toBe(false);
    await db.store.releaseLease(7, "A"); // not A's any more: no effect
    expect(await db.store.claimLease(7, "A", 1900, 500)).toBe(false);
    await other.releaseLease(7, "B");
    expect(await db.store.claimLease(7, "A", 1900, 500)).toBe(true);
  });

  it("changing the cadence restarts the weekly count; unsubscribing keeps the row", async () => {
    const sub = await db.store.createSubscription(
      {
        userId: 7,
        chatId: 7,
        lang: "ru",
        scope: { kind: "event", eventId: "e" },
        cadence: { kind: "new" },
      },
      1000,
    );
    const updated = await db.store.updateSubscription(
      sub.id,
      { cadence: { kind: "weekly", day: 3, hour: 18 }, lang: "kk" },
      5000,
    );
    expect(updated).toMatchObject({
      cadence: { kind: "weekly", day: 3, hour: 18 },
      lang: "kk",
      lastSlotAt: 5000,
    });
    expect(await db.store.deactivateSubscription(sub.id, "unsubscribed", 6000)).toBe(true);
    expect(await db.store.deactivateSubscription(sub.id, "unsubscribed", 6000)).toBe(false);
    expect(await db.store.chatSubscriptions(7)).toEqual([]);
    expect(await db.store.chatSubscriptions(7, { includeInactive: true })).toHaveLength(1);
  });
});

describe.each(BACKENDS)("concurrent editions on $name", (backend) => {
  it("of two connections queuing the same item for a chat at once, exactly one wins", async () => {
    const db = await backend.open();
    try {
      const stores = [db.store, db.another(), db.another(), db.another()];
      for (let round = 0; round < 10; round++) {
        const results = await Promise.all(
          stores.map((store, i) =>
            store.insertEdition(
              draft({
                chatId: 100 + round,
                subscriptionId: i + 1,
                itemIds: ["x", `own-${i}`, "y"],
              }),
              1000,
            ),
          ),
        );
        expect(results.filter((r) => r.inserted)).toHaveLength(1);
        const logged = await db.store.loggedItems(100 + round);
        expect(logged.has("x") && logged.has("y")).toBe(true);
        expect(logged.size).toBe(3);
      }
    } finally {
      await db.cleanup();
    }
  });

  it("of two connections claiming a chat's lease at once, exactly one gets it", async () => {
    const db = await backend.open();
    try {
      const stores = [db.store, db.another(), db.another()];
      for (let chat = 0; chat < 10; chat++) {
        const got = await Promise.all(
          stores.map((store, i) => store.claimLease(chat, `owner-${i}`, 1000, 60_000)),
        );
        expect(got.filter(Boolean)).toHaveLength(1);
      }
    } finally {
      await db.cleanup();
    }
  });
});
