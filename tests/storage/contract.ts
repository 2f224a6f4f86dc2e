/**
 * The behaviour every Storage implementation must have. Each backend's test file calls
 * storageContract with:
 *  - open: opens a storage on the backend's *current* location (a directory, a schema),
 *    creating that location when there is none; calling it again before cleanup reopens the
 *    same data (that is how persistence across close/reopen is tested);
 *  - cleanup: destroys the current location, so that the next open starts empty.
 * The suite closes every storage it opened before calling cleanup after each test.
 */
import { afterEach, describe, expect, it } from "vitest";
import type { Lang } from "../../src/knowledge/schema.ts";
import type { QuestionRecord, Storage, StorageStats } from "../../src/storage/types.ts";

/** Telegram ids beyond 32 bits, and a supergroup chat id, to catch INTEGER columns. */
const ALICE = 5_123_456_789;
const BOB = 6_987_654_321;
const CAROL = 42;
const GROUP_CHAT = -1_001_234_567_890;

const DAY_MS = 24 * 60 * 60 * 1000;

/** Lets the clock move on, so that "most recent" orderings are not ties. */
const tick = () => new Promise((resolve) => setTimeout(resolve, 5));

function question(
  userId: number,
  text: string,
  options: Partial<Omit<QuestionRecord, "userId" | "question">> = {},
): QuestionRecord {
  return {
    userId,
    chatId: options.chatId ?? userId,
    question: text,
    lang: options.lang ?? "ru",
    answered: options.answered ?? true,
    confidence: options.confidence ?? (options.answered === false ? 0.1 : 0.9),
    factIds: options.factIds ?? [],
  };
}

const declined = (userId: number, text: string, lang: Lang = "ru") =>
  question(userId, text, { answered: false, lang });

const EMPTY_STATS: StorageStats = {
  users: 0,
  langPrefs: { kk: 0, ru: 0, auto: 0 },
  questions: 0,
  answered: 0,
  declined: 0,
  answeredLastWeek: 0,
  declinedLastWeek: 0,
  votesUp: 0,
  votesDown: 0,
};

export function storageContract(
  name: string,
  open: () => Promise<Storage>,
  cleanup: () => Promise<void>,
): void {
  describe(`Storage contract: ${name}`, () => {
    const opened: Storage[] = [];
    const openStorage = async () => {
      const storage = await open();
      opened.push(storage);
      return storage;
    };

    afterEach(async () => {
      for (const storage of opened.splice(0)) await storage.close();
      await cleanup();
    });

    it("starts empty", async () => {
      const storage = await openStorage();
      expect(storage.kind).toBeTypeOf("string");
      expect(await storage.getUserLang(ALICE)).toBeNull();
      expect(await storage.sessions.read(`conv:${ALICE}:${ALICE}`)).toBeUndefined();
      expect(await storage.unansweredQuestions()).toEqual([]);
      expect(await storage.downvotedQuestions()).toEqual([]);
      expect(await storage.stats()).toEqual(EMPTY_STATS);
    });

    describe("language", () => {
      it("ensureUser creates a user with pref auto and no last language, once", async () => {
        const storage = await openStorage();
        await storage.ensureUser(ALICE, "kk");
        expect(await storage.getUserLang(ALICE)).toEqual({ pref: "auto", last: null });
        await storage.setLangPref(ALICE, "kk");
        await storage.setLastLang(ALICE, "ru");
        await storage.ensureUser(ALICE, "ru");
        await storage.ensureUser(ALICE);
        expect(await storage.getUserLang(ALICE)).toEqual({ pref: "kk", last: "ru" });
        expect(await storage.getUserLang(BOB)).toBeNull();
      });

      it("ensureUser accepts a missing or null language code", async () => {
        const storage = await openStorage();
        await storage.ensureUser(ALICE);
        await storage.ensureUser(BOB, null);
        expect(await storage.getUserLang(ALICE)).toEqual({ pref: "auto", last: null });
        expect(await storage.getUserLang(BOB)).toEqual({ pref: "auto", last: null });
      });

      it("setLangPref creates an unknown user and replaces the choice", async () => {
        const storage = await openStorage();
        await storage.setLangPref(ALICE, "ru");
        expect(await storage.getUserLang(ALICE)).toEqual({ pref: "ru", last: null });
        await storage.setLangPref(ALICE, "kk");
        expect(await storage.getUserLang(ALICE)).toEqual({ pref: "kk", last: null });
        await storage.setLangPref(ALICE, "auto");
        expect(await storage.getUserLang(ALICE)).toEqual({ pref: "auto", last: null });
      });

      it("setLastLang creates an unknown user and leaves the choice alone", async () => {
        const storage = await openStorage();
        await storage.setLastLang(BOB, "kk");
        expect(await storage.getUserLang(BOB)).toEqual({ pref: "auto", last: "kk" });
        await storage.setLangPref(BOB, "ru");
        await storage.setLastLang(BOB, "ru");
        await storage.setLastLang(BOB, "kk");
        expect(await storage.getUserLang(BOB)).toEqual({ pref: "ru", last: "kk" });
        await storage.setLangPref(BOB, "kk");
        expect(await storage.getUserLang(BOB)).toEqual({ pref: "kk", last: "kk" });
      });

      it("keeps users apart", async () => {
        const storage = await openStorage();
        await storage.setLangPref(ALICE, "kk");
        await storage.setLastLang(BOB, "ru");
        expect(await storage.getUserLang(ALICE)).toEqual({ pref: "kk", last: null });
        expect(await storage.getUserLang(BOB)).toEqual({ pref: "auto", last: "ru" });
      });
    });

    describe("sessions", () => {
      it("reads undefined for a missing key, and deleting one is not an error", async () => {
        const storage = await openStorage();
        expect(await storage.sessions.read("conv:1:2")).toBeUndefined();
        await storage.sessions.delete("conv:1:2");
        expect(await storage.sessions.read("conv:1:2")).toBeUndefined();
      });

      it("round-trips JSON values and overwrites them", async () => {
        const storage = await openStorage();
        const key = `conv:${GROUP_CHAT}:${ALICE}`;
        const value = {
          version: [1, "x"],
          args: [{ text: "Қазақстан мен Ресей — ынтымақтастық 🤝", n: 1.5, big: 2 ** 53 - 1 }],
          interrupts: [],
          nothing: null,
          yes: true,
          nested: { deep: { deeper: ["a", 0, false] } },
          quote: 'a "quoted" \\ back\nslash',
        };
        await storage.sessions.write(key, value);
        expect(await storage.sessions.read(key)).toEqual(value);
        await storage.sessions.write(key, { replaced: 1 });
        expect(await storage.sessions.read(key)).toEqual({ replaced: 1 });
      });

      it("stores scalar values, including null and false", async () => {
        const storage = await openStorage();
        for (const [key, value] of [
          ["s:1", "text"],
          ["s:2", 0],
          ["s:3", false],
          ["s:4", null],
          ["s:5", []],
        ] as const) {
          await storage.sessions.write(key, value);
          expect(await storage.sessions.read(key)).toEqual(value);
        }
      });

      it("deletes one key and keeps the others", async () => {
        const storage = await openStorage();
        await storage.sessions.write("conv:1:1", { a: 1 });
        await storage.sessions.write("conv:1:2", { b: 2 });
        await storage.sessions.delete("conv:1:1");
        expect(await storage.sessions.read("conv:1:1")).toBeUndefined();
        expect(await storage.sessions.read("conv:1:2")).toEqual({ b: 2 });
      });
    });

    describe("questions and votes", () => {
      it("recordQuestion returns distinct positive integer ids, increasing", async () => {
        const storage = await openStorage();
        const ids: number[] = [];
        for (let i = 0; i < 5; i++) {
          ids.push(await storage.recordQuestion(question(ALICE, `Вопрос ${i}`)));
        }
        for (const id of ids) {
          expect(Number.isSafeInteger(id)).toBe(true);
          expect(id).toBeGreaterThan(0);
        }
        expect([...ids].sort((a, b) => a - b)).toEqual(ids);
        expect(new Set(ids).size).toBe(ids.length);
      });

      it("recordQuestion stores questions in group chats and odd text", async () => {
        const storage = await openStorage();
        await storage.recordQuestion(
          question(ALICE, "Сколько?", { chatId: GROUP_CHAT, answered: false }),
        );
        await storage.recordQuestion(question(ALICE, "nul\u0000 byte?", { answered: false }));
        await storage.recordQuestion(question(ALICE, "'; DROP TABLE questions; --"));
        const stats = await storage.stats();
        expect(stats.questions).toBe(3);
        expect(stats.declined).toBe(2);
        expect((await storage.unansweredQuestions()).map((row) => row.normalized).sort()).toEqual(
          ["nul byte", "сколько"].sort(),
        );
      });

      it("recordVote: recorded, unchanged, changed, and unknown for a missing answer", async () => {
        const storage = await openStorage();
        const id = await storage.recordQuestion(question(ALICE, "Где саммит?"));
        expect(await storage.recordVote({ questionId: id + 1000, userId: ALICE, vote: "up" })).toBe(
          "unknown",
        );
        expect(await storage.recordVote({ questionId: id, userId: ALICE, vote: "up" })).toBe(
          "recorded",
        );
        expect(await storage.recordVote({ questionId: id, userId: ALICE, vote: "up" })).toBe(
          "unchanged",
        );
        expect((await storage.stats()).votesUp).toBe(1);

        expect(await storage.recordVote({ questionId: id, userId: ALICE, vote: "down" })).toBe(
          "changed",
        );
        let stats = await storage.stats();
        expect([stats.votesUp, stats.votesDown]).toEqual([0, 1]);
        expect(await storage.recordVote({ questionId: id, userId: ALICE, vote: "down" })).toBe(
          "unchanged",
        );
        expect(await storage.recordVote({ questionId: id, userId: ALICE, vote: "up" })).toBe(
          "changed",
        );

        // Another user's vote on the same answer is a separate vote.
        expect(await storage.recordVote({ questionId: id, userId: BOB, vote: "down" })).toBe(
          "recorded",
        );
        stats = await storage.stats();
        expect([stats.votesUp, stats.votesDown]).toEqual([1, 1]);
      });

      it("recordVote returns unknown for ids that cannot exist", async () => {
        const storage = await openStorage();
        for (const questionId of [0, -1, 2 ** 40]) {
          expect(await storage.recordVote({ questionId, userId: ALICE, vote: "up" })).toBe(
            "unknown",
          );
        }
        expect((await storage.stats()).votesUp).toBe(0);
      });
    });

    describe("unansweredQuestions", () => {
      it("groups declined questions by normalized text, most frequent first", async () => {
        const storage = await openStorage();
        const before = Date.now();
        await storage.recordQuestion(declined(ALICE, "Когда саммит?"));
        await tick();
        await storage.recordQuestion(declined(BOB, "Қанша?", "kk"));
        await tick();
        await storage.recordQuestion(declined(CAROL, "канша"));
        await tick();
        await storage.recordQuestion(declined(ALICE, "  КАНША!!  ", "kk"));
        await tick();
        await storage.recordQuestion(declined(BOB, "когда САММИТ"));
        await tick();
        await storage.recordQuestion(declined(CAROL, "Один раз"));
        // Answered and empty-after-normalization questions are left out.
        await storage.recordQuestion(question(ALICE, "Қанша?"));
        await storage.recordQuestion(declined(ALICE, "?!…"));
        const after = Date.now();

        const rows = await storage.unansweredQuestions();
        expect(rows.map((row) => [row.normalized, row.count])).toEqual([
          ["канша", 3],
          ["когда саммит", 2],
          ["один раз", 1],
        ]);
        // The most recent wording and its language represent the group.
        expect(rows[0]).toMatchObject({ question: "  КАНША!!  ", lang: "kk" });
        expect(rows[1]).toMatchObject({ question: "когда САММИТ", lang: "ru" });
        expect(rows[2]).toMatchObject({ question: "Один раз", lang: "ru" });
        for (const row of rows) {
          expect(row.lastAt).toBeInstanceOf(Date);
          expect(row.lastAt.getTime()).toBeGreaterThanOrEqual(before - 1000);
          expect(row.lastAt.getTime()).toBeLessThanOrEqual(after + 1000);
        }
        // lastAt is the group's latest question.
        const kanshaAt = rows[0]?.lastAt.getTime() ?? 0;
        const kogdaAt = rows[1]?.lastAt.getTime() ?? 0;
        expect(kanshaAt).toBeLessThan(kogdaAt);
      });

      it("breaks ties in count by the most recent question, and honours limit", async () => {
        const storage = await openStorage();
        await storage.recordQuestion(declined(ALICE, "первый"));
        await tick();
        await storage.recordQuestion(declined(ALICE, "второй"));
        await tick();
        await storage.recordQuestion(declined(ALICE, "третий"));
        await tick();
        await storage.recordQuestion(declined(BOB, "первый"));

        const rows = await storage.unansweredQuestions();
        expect(rows.map((row) => row.normalized)).toEqual(["первый", "третий", "второй"]);
        expect(
          (await storage.unansweredQuestions(2)).map((row) => [row.normalized, row.count]),
        ).toEqual([
          ["первый", 2],
          ["третий", 1],
        ]);
      });
    });

    describe("downvotedQuestions", () => {
      it("groups down-voted answers, most down-votes first, with their facts", async () => {
        const storage = await openStorage();
        const before = Date.now();
        const a1 = await storage.recordQuestion(
          question(ALICE, "Кто приезжал в Омск?", { factIds: ["omsk-putin"] }),
        );
        const a2 = await storage.recordQuestion(
          question(BOB, "кто приезжал в омск", { factIds: ["omsk-putin", "omsk-tokayev"] }),
        );
        const b = await storage.recordQuestion(
          question(CAROL, "Где форум?", { factIds: ["forum-2024"] }),
        );
        const liked = await storage.recordQuestion(question(CAROL, "Что подписали?"));

        await storage.recordVote({ questionId: a1, userId: ALICE, vote: "down" });
        await tick();
        await storage.recordVote({ questionId: b, userId: CAROL, vote: "down" });
        await tick();
        await storage.recordVote({ questionId: a2, userId: BOB, vote: "down" });
        await tick();
        await storage.recordVote({ questionId: a1, userId: CAROL, vote: "up" });
        await tick();
        await storage.recordVote({ questionId: liked, userId: ALICE, vote: "up" });
        const after = Date.now();

        const rows = await storage.downvotedQuestions();
        expect(rows.map((row) => [row.normalized, row.down, row.up])).toEqual([
          ["кто приезжал в омск", 2, 1],
          ["где форум", 1, 0],
        ]);
        // Facts of the latest down-vote; wording of the latest vote (Carol's 👍 on a1).
        expect(rows[0]?.factIds).toEqual(["omsk-putin", "omsk-tokayev"]);
        expect(rows[0]?.question).toBe("Кто приезжал в Омск?");
        expect(rows[1]).toMatchObject({ question: "Где форум?", factIds: ["forum-2024"] });
        for (const row of rows) {
          expect(row.lastAt).toBeInstanceOf(Date);
          expect(row.lastAt.getTime()).toBeGreaterThanOrEqual(before - 1000);
          expect(row.lastAt.getTime()).toBeLessThanOrEqual(after + 1000);
        }
        expect((await storage.downvotedQuestions(1)).map((row) => row.normalized)).toEqual([
          "кто приезжал в омск",
        ]);
      });

      it("follows vote changes: a 👎 turned 👍 leaves the report", async () => {
        const storage = await openStorage();
        const id = await storage.recordQuestion(question(ALICE, "Вопрос", { factIds: ["f1"] }));
        await storage.recordVote({ questionId: id, userId: BOB, vote: "down" });
        expect(await storage.downvotedQuestions()).toHaveLength(1);
        await storage.recordVote({ questionId: id, userId: BOB, vote: "up" });
        expect(await storage.downvotedQuestions()).toEqual([]);
      });

      it("orders equal down-votes by the most recent vote", async () => {
        const storage = await openStorage();
        const older = await storage.recordQuestion(question(ALICE, "старый"));
        const newer = await storage.recordQuestion(question(ALICE, "новый"));
        await storage.recordVote({ questionId: older, userId: BOB, vote: "down" });
        await tick();
        await storage.recordVote({ questionId: newer, userId: BOB, vote: "down" });
        expect((await storage.downvotedQuestions()).map((row) => row.normalized)).toEqual([
          "новый",
          "старый",
        ]);
      });
    });

    describe("forgetUser", () => {
      it("removes everything about one user and nothing about the others", async () => {
        const storage = await openStorage();
        // Alice and Bob, plus a user whose id ends with Alice's (to catch suffix matching).
        const ALICE_SUFFIX = Number(`1${ALICE}`);
        await storage.setLangPref(ALICE, "kk");
        await storage.setLastLang(ALICE, "kk");
        await storage.setLangPref(BOB, "ru");
        await storage.ensureUser(ALICE_SUFFIX);
        await storage.sessions.write(`conv:${ALICE}:${ALICE}`, { alice: 1 });
        await storage.sessions.write(`conv:${GROUP_CHAT}:${ALICE}`, { alice: 2 });
        await storage.sessions.write(`conv:${GROUP_CHAT}:${BOB}`, { bob: 1 });
        await storage.sessions.write(`conv:${ALICE}:${BOB}`, { bob: 2 });
        await storage.sessions.write(`conv:${GROUP_CHAT}:${ALICE_SUFFIX}`, { suffix: 1 });

        const aliceDeclined = await storage.recordQuestion(declined(ALICE, "Алиса спросила"));
        await storage.recordQuestion(declined(ALICE, "общий вопрос"));
        await storage.recordQuestion(declined(BOB, "общий вопрос"));
        const aliceAnswered = await storage.recordQuestion(question(ALICE, "ответ Алисе"));
        const bobAnswered = await storage.recordQuestion(question(BOB, "ответ Бобу"));
        // Votes by Alice on Bob's answer and by Bob on Alice's answer go too.
        await storage.recordVote({ questionId: bobAnswered, userId: ALICE, vote: "down" });
        await storage.recordVote({ questionId: bobAnswered, userId: BOB, vote: "down" });
        await storage.recordVote({ questionId: aliceAnswered, userId: BOB, vote: "down" });
        await storage.recordVote({ questionId: aliceAnswered, userId: ALICE, vote: "up" });

        await storage.forgetUser(ALICE);

        expect(await storage.getUserLang(ALICE)).toBeNull();
        expect(await storage.getUserLang(BOB)).toEqual({ pref: "ru", last: null });
        expect(await storage.getUserLang(ALICE_SUFFIX)).toEqual({ pref: "auto", last: null });

        expect(await storage.sessions.read(`conv:${ALICE}:${ALICE}`)).toBeUndefined();
        expect(await storage.sessions.read(`conv:${GROUP_CHAT}:${ALICE}`)).toBeUndefined();
        expect(await storage.sessions.read(`conv:${GROUP_CHAT}:${BOB}`)).toEqual({ bob: 1 });
        expect(await storage.sessions.read(`conv:${ALICE}:${BOB}`)).toEqual({ bob: 2 });
        expect(await storage.sessions.read(`conv:${GROUP_CHAT}:${ALICE_SUFFIX}`)).toEqual({
          suffix: 1,
        });

        expect(
          (await storage.unansweredQuestions()).map((row) => [row.normalized, row.count]),
        ).toEqual([["общий вопрос", 1]]);
        expect(
          (await storage.downvotedQuestions()).map((row) => [row.normalized, row.down, row.up]),
        ).toEqual([["ответ бобу", 1, 0]]);

        // Feedback buttons on Alice's old answers no longer find them.
        expect(
          await storage.recordVote({ questionId: aliceAnswered, userId: BOB, vote: "up" }),
        ).toBe("unknown");
        expect(
          await storage.recordVote({ questionId: aliceDeclined, userId: BOB, vote: "up" }),
        ).toBe("unknown");

        expect(await storage.stats()).toMatchObject({
          users: 2,
          langPrefs: { kk: 0, ru: 1, auto: 1 },
          questions: 2,
          answered: 1,
          declined: 1,
          votesUp: 0,
          votesDown: 1,
        });
      });

      it("is harmless for an unknown user, and the user can come back", async () => {
        const storage = await openStorage();
        await storage.setLangPref(BOB, "kk");
        await storage.forgetUser(ALICE);
        expect(await storage.getUserLang(BOB)).toEqual({ pref: "kk", last: null });
        await storage.setLangPref(ALICE, "ru");
        await storage.forgetUser(ALICE);
        await storage.ensureUser(ALICE);
        expect(await storage.getUserLang(ALICE)).toEqual({ pref: "auto", last: null });
      });
    });

    describe("stats", () => {
      it("counts users by choice, questions by outcome and week, and votes", async () => {
        const storage = await openStorage();
        await storage.ensureUser(ALICE, "kk");
        await storage.setLangPref(BOB, "kk");
        await storage.setLangPref(CAROL, "ru");
        await storage.setLangPref(4, "auto");
        await storage.setLastLang(5, "kk");

        const q1 = await storage.recordQuestion(question(ALICE, "a1"));
        const q2 = await storage.recordQuestion(question(BOB, "a2"));
        await storage.recordQuestion(question(CAROL, "a3"));
        await storage.recordQuestion(declined(ALICE, "d1"));
        await storage.recordQuestion(declined(BOB, "d2"));
        await storage.recordVote({ questionId: q1, userId: ALICE, vote: "up" });
        await storage.recordVote({ questionId: q1, userId: BOB, vote: "up" });
        await storage.recordVote({ questionId: q2, userId: BOB, vote: "down" });

        const expected: StorageStats = {
          users: 5,
          langPrefs: { kk: 1, ru: 1, auto: 3 },
          questions: 5,
          answered: 3,
          declined: 2,
          answeredLastWeek: 3,
          declinedLastWeek: 2,
          votesUp: 2,
          votesDown: 1,
        };
        expect(await storage.stats()).toEqual(expected);
        expect(await storage.stats(new Date())).toEqual(expected);
        // Eight days later nothing is from the last week; the totals stay.
        expect(await storage.stats(new Date(Date.now() + 8 * DAY_MS))).toEqual({
          ...expected,
          answeredLastWeek: 0,
          declinedLastWeek: 0,
        });
        expect(await storage.stats(new Date(Date.now() + 6 * DAY_MS))).toEqual(expected);
      });
    });

    describe("lifecycle", () => {
      it("keeps everything across close and reopen", async () => {
        const first = await openStorage();
        await first.setLangPref(ALICE, "kk");
        await first.setLastLang(ALICE, "ru");
        await first.sessions.write(`conv:${ALICE}:${ALICE}`, { step: 2 });
        const id = await first.recordQuestion(question(ALICE, "Сохранится?", { factIds: ["f"] }));
        await first.recordQuestion(declined(BOB, "Не знаю"));
        await first.recordVote({ questionId: id, userId: BOB, vote: "down" });
        const statsBefore = await first.stats();
        await first.close();

        const second = await openStorage();
        expect(await second.getUserLang(ALICE)).toEqual({ pref: "kk", last: "ru" });
        expect(await second.sessions.read(`conv:${ALICE}:${ALICE}`)).toEqual({ step: 2 });
        expect(await second.stats()).toEqual(statsBefore);
        expect((await second.unansweredQuestions()).map((row) => row.question)).toEqual([
          "Не знаю",
        ]);
        expect(await second.downvotedQuestions()).toMatchObject([
          { question: "Сохранится?", factIds: ["f"], down: 1, up: 0 },
        ]);
        // Votes keep referring to the same answers, and new ids do not reuse old ones.
        expect(await second.recordVote({ questionId: id, userId: BOB, vote: "down" })).toBe(
          "unchanged",
        );
        expect(await second.recordQuestion(question(ALICE, "ещё"))).toBeGreaterThan(id);
      });

      it("close can be called twice", async () => {
        const storage = await openStorage();
        await storage.close();
        await storage.close();
      });

      it("ping answers while open and fails once closed (health checks)", async () => {
        const storage = await openStorage();
        await expect(storage.ping()).resolves.toBeUndefined();
        await storage.close();
        await expect(storage.ping()).rejects.toThrow();
      });
    });
  });
}
