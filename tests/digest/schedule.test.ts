import { describe, expect, it } from "vitest";
import { planChat } from "../../src/digest/deliver.ts";
import { latestDigestItems, pendingItems, weeklyDue } from "../../src/digest/items.ts";
import { latestWeeklySlot, nextWeeklySlot, zoneOffsetMs } from "../../src/digest/schedule.ts";
import type { Subscription } from "../../src/digest/types.ts";
import { event, fact, makeKb } from "./fixtures.ts";

const TZ = "Asia/Almaty";
const at = (iso: string) => Date.parse(iso);

describe("weekly slots in Asia/Almaty", () => {
  it("Almaty is UTC+5 (since March 2024; UTC+6 before)", () => {
    expect(zoneOffsetMs(at("2026-01-05T00:00:00Z"), TZ)).toBe(5 * 3600_000);
    expect(zoneOffsetMs(at("2024-01-15T00:00:00Z"), TZ)).toBe(6 * 3600_000);
  });

  it("finds the latest Monday 09:00 in Almaty", () => {
    // 2026-01-05 is a Monday; 09:00 in Almaty is 04:00 UTC.
    expect(latestWeeklySlot(at("2026-01-05T05:00:00Z"), 1, 9, TZ)).toBe(at("2026-01-05T04:00:00Z"));
    expect(latestWeeklySlot(at("2026-01-05T04:00:00Z"), 1, 9, TZ)).toBe(at("2026-01-05T04:00:00Z"));
    expect(latestWeeklySlot(at("2026-01-05T03:59:59Z"), 1, 9, TZ)).toBe(at("2025-12-29T04:00:00Z"));
    expect(latestWeeklySlot(at("2026-01-09T12:00:00Z"), 1, 9, TZ)).toBe(at("2026-01-05T04:00:00Z"));
    expect(nextWeeklySlot(at("2026-01-05T05:00:00Z"), 1, 9, TZ)).toBe(at("2026-01-12T04:00:00Z"));
  });

  it("handles late hours that fall on the previous UTC day and midnight", () => {
    // Sunday 02:00 in Almaty is Saturday 21:00 UTC.
    expect(latestWeeklySlot(at("2026-01-10T20:59:59Z"), 0, 2, TZ)).toBe(at("2026-01-03T21:00:00Z"));
    expect(latestWeeklySlot(at("2026-01-10T22:00:00Z"), 0, 2, TZ)).toBe(at("2026-01-10T21:00:00Z"));
    // Midnight: Monday 00:00 in Almaty is Sunday 19:00 UTC.
    expect(latestWeeklySlot(at("2026-01-11T19:30:00Z"), 1, 0, TZ)).toBe(at("2026-01-11T19:00:00Z"));
    // Saturday 23:00 in Almaty is Saturday 18:00 UTC; across a month and a year boundary.
    expect(latestWeeklySlot(at("2026-01-01T00:00:00Z"), 6, 23, TZ)).toBe(
      at("2025-12-27T18:00:00Z"),
    );
    // Before March 2024 Almaty was UTC+6.
    expect(latestWeeklySlot(at("2024-01-15T10:00:00Z"), 1, 9, TZ)).toBe(at("2024-01-15T03:00:00Z"));
  });

  it("is due once per slot, and not for a slot before the subscription existed", () => {
    const sub: Subscription = {
      id: 1,
      userId: 1,
      chatId: 1,
      lang: "ru",
      scope: { kind: "all" },
      cadence: { kind: "weekly", day: 1, hour: 9 },
      active: true,
      createdAt: at("2026-01-06T10:00:00Z"), // a Tuesday
      updatedAt: 0,
      lastSlotAt: null,
      deactivatedAt: null,
      deactivatedReason: null,
    };
    expect(weeklyDue(sub, at("2026-01-08T10:00:00Z"), TZ).due).toBe(false);
    const due = weeklyDue(sub, at("2026-01-12T04:01:00Z"), TZ);
    expect(due).toEqual({ due: true, slotAt: at("2026-01-12T04:00:00Z") });
    const handled = { ...sub, lastSlotAt: at("2026-01-12T04:00:00Z") };
    expect(weeklyDue(handled, at("2026-01-12T04:05:00Z"), TZ).due).toBe(false);
    expect(weeklyDue(handled, at("2026-01-19T04:00:00Z"), TZ).due).toBe(true);
    expect(weeklyDue({ ...sub, cadence: { kind: "new" } }, at("2026-01-06T10:00:01Z"), TZ)).toEqual(
      {
        due: true,
        slotAt: null,
      },
    );
  });
});

describe("pending items", () => {
  const kb = makeKb(
    [event("old", { year: 2019 }), event("new", { year: 2021 }), event("undated")],
    [
      fact("o1", "old", "trade"),
      fact("o2", "old", "energy"),
      fact("n1", "new", "trade"),
      fact("n2", "new", "education"),
      fact("u1", "undated", "energy"),
    ],
  );
  const base = { createdAt: 1000 };

  it("are matching items first seen after the subscription, not yet logged for the chat", () => {
    const firstSeen = new Map([
      ["o1", 500],
      ["o2", 1500],
      ["n1", 2000],
      ["n2", 2000],
      ["u1", 1000],
    ]);
    expect(pendingItems(kb, { ...base, scope: { kind: "all" } }, firstSeen, new Set())).toEqual([
      "o2",
      "n1",
      "n2",
    ]);
    expect(
      pendingItems(kb, { ...base, scope: { kind: "all" } }, firstSeen, new Set(["n1"])),
    ).toEqual(["o2", "n2"]);
    expect(
      pendingItems(kb, { ...base, scope: { kind: "event", eventId: "new" } }, firstSeen, new Set()),
    ).toEqual(["n1", "n2"]);
    expect(
      pendingItems(
        kb,
        { ...base, scope: { kind: "topics", topics: ["energy", "education"] } },
        firstSeen,
        new Set(),
      ),
    ).toEqual(["o2", "n2"]);
  });

  it("the first digest is the latest matching event's card (undated events count as oldest)", () => {
    expect(latestDigestItems(kb, { kind: "all" })).toEqual(["n1", "n2"]);
    expect(latestDigestItems(kb, { kind: "event", eventId: "old" })).toEqual(["o1", "o2"]);
    expect(latestDigestItems(kb, { kind: "topics", topics: ["energy"] })).toEqual(["o2"]);
    expect(latestDigestItems(kb, { kind: "topics", topics: ["culture"] })).toEqual([]);
  });

  it("a chat with overlapping subscriptions gets an item once", () => {
    const firstSeen = new Map(kb.facts.map((f) => [f.id, 5000]));
    const sub = (id: number, scope: Subscription["scope"]): Subscription => ({
      id,
      userId: 7,
      chatId: 7,
      lang: "ru",
      scope,
      cadence: { kind: "new" },
      active: true,
      createdAt: 1000,
      updatedAt: 1000,
      lastSlotAt: null,
      deactivatedAt: null,
      deactivatedReason: null,
    });
    const plans = planChat(
      kb,
      [sub(1, { kind: "topics", topics: ["trade"] }), sub(2, { kind: "all" })],
      firstSeen,
      new Set(["u1"]),
      6000,
      TZ,
    );
    expect(plans.map((p) => [p.subscription.id, p.itemIds])).toEqual([
      [1, ["o1", "n1"]],
      [2, ["o2", "n2"]],
    ]);
  });
});
