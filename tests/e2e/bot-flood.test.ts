import { afterEach, describe, expect, it } from "vitest";
import {
  confidentQuestion,
  expectedFirstMessage,
  type Harness,
  messagesTo,
  startHarness,
} from "./bot-harness.ts";

let h: Harness | undefined;
afterEach(async () => {
  await h?.close();
});

describe("a flood of updates", () => {
  it("1,000 updates from 100 users: none lost, each chat's order kept", async () => {
    h = await startHarness();
    const questions = Array.from({ length: 10 }, (_, i) => confidentQuestion("ru", i).question);
    const expected = questions.map((q) => expectedFirstMessage(q, "ru"));
    expect(new Set(expected).size).toBe(10);

    const users = Array.from({ length: 100 }, (_, i) => 20_000 + i);
    const since = h.tg.mark();
    // Each user asks the ten questions in an order of their own, all at once.
    const order = new Map<number, number[]>();
    for (const user of users) {
      const shift = user % 10;
      order.set(
        user,
        questions.map((_, i) => (i + shift) % 10),
      );
      h.tg.user(user, { languageCode: "ru" });
    }
    for (let round = 0; round < 10; round++) {
      for (const user of users) {
        const index = order.get(user)?.[round] ?? 0;
        h.tg.message(user, questions[index] ?? "");
      }
    }
    const started = Date.now();
    for (const user of users) {
      const messages = await messagesTo(h.tg, user, since, 10, 30_000);
      expect(messages.map((m) => m.text)).toEqual(
        (order.get(user) ?? []).map((index) => expected[index]),
      );
    }
    expect(h.tg.calls("sendMessage").filter((c) => c.seq >= since)).toHaveLength(1000);
    expect(h.tg.pendingUpdates()).toEqual([]);
    expect(Date.now() - started).toBeLessThan(30_000);
  }, 40_000);
});
