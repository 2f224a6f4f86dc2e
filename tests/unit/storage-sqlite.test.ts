import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import Database from "better-sqlite3";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { normalizeQuestion } from "../../src/storage/normalize.ts";
import { migrate, SQLITE_FILE, SqliteStorage } from "../../src/storage/sqlite.ts";
import { SQLITE_MIGRATIONS } from "../../src/storage/sqlite-migrations.ts";

let dir: string;
let storage: SqliteStorage;

beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), "storage-"));
  storage = new SqliteStorage({ dataDir: dir });
});
afterEach(async () => {
  await storage.close();
  rmSync(dir, { recursive: true, force: true });
});

const question = (userId: number, text: string, answered: boolean, factIds: string[] = []) => ({
  userId,
  chatId: userId,
  question: text,
  lang: "ru" as const,
  answered,
  confidence: answered ? 0.9 : 0.1,
  factIds,
});

describe("SqliteStorage", () => {
  it("opens in WAL mode with every migration recorded, and reopening runs none again", async () => {
    expect(storage.db.pragma("journal_mode", { simple: true })).toBe("wal");
    const ids = storage.db.prepare("SELECT id FROM migrations ORDER BY id").pluck().all();
    expect(ids).toEqual(SQLITE_MIGRATIONS.map((m) => m.id));
    await storage.close();
    const db = new Database(join(dir, SQLITE_FILE));
    expect(migrate(db)).toEqual([]);
    db.close();
    storage = new SqliteStorage({ dataDir: dir });
  });

  it("applies a later migration once, after the existing ones", () => {
    const db = new Database(":memory:");
    expect(migrate(db)).toEqual([1]);
    const extra = [
      ...SQLITE_MIGRATIONS,
      { id: 99, name: "extra", sql: "CREATE TABLE extra (x INTEGER)" },
    ];
    expect(migrate(db, extra)).toEqual([99]);
    expect(migrate(db, extra)).toEqual([]);
    db.close();
  });

  it("keeps the language choice and the last language across a reopen", async () => {
    expect(await storage.getUserLang(7)).toBeNull();
    await storage.ensureUser(7, "kk");
    expect(await storage.getUserLang(7)).toEqual({ pref: "auto", last: null });
    await storage.setLangPref(7, "kk");
    await storage.setLastLang(7, "ru");
    await storage.close();
    storage = new SqliteStorage({ dataDir: dir });
    expect(await storage.getUserLang(7)).toEqual({ pref: "kk", last: "ru" });
  });

  it("stores session values as JSON by key", async () => {
    await storage.sessions.write("conv:5:5", { a: [1, 2], b: "x" });
    expect(await storage.sessions.read("conv:5:5")).toEqual({ a: [1, 2], b: "x" });
    await storage.sessions.delete("conv:5:5");
    expect(await storage.sessions.read("conv:5:5")).toBeUndefined();
  });

  it("records votes once per user and answer, the last one counting", async () => {
    const id = await storage.recordQuestion(question(1, "Товарооборот?", true, ["trade-1"]));
    expect(await storage.recordVote({ questionId: id, userId: 1, vote: "up" })).toBe("recorded");
    expect(await storage.recordVote({ questionId: id, userId: 1, vote: "up" })).toBe("unchanged");
    expect(await storage.recordVote({ questionId: id, userId: 1, vote: "down" })).toBe("changed");
    expect(await storage.recordVote({ questionId: id + 100, userId: 1, vote: "down" })).toBe(
      "unknown",
    );
    const stats = await storage.stats();
    expect([stats.votesUp, stats.votesDown]).toEqual([0, 1]);
  });

  it("lists unanswered questions grouped by their folded text, most frequent first", async () => {
    await storage.recordQuestion(question(1, "Погода в Омске?", false));
    await storage.recordQuestion(question(2, "погода в омске", false));
    await storage.recordQuestion(question(3, "ПОГОДА в Омске!!", false));
    await storage.recordQuestion(question(1, "Курс доллара", false));
    await storage.recordQuestion(question(1, "Товарооборот", true, ["t"]));
    const rows = await storage.unansweredQuestions();
    expect(rows.map((r) => [r.normalized, r.count])).toEqual([
      ["погода в омске", 3],
      ["курс доллара", 1],
    ]);
    expect(rows[0]?.question).toBe("ПОГОДА в Омске!!");
  });

  it("lists down-voted questions with their facts, most down-votes first", async () => {
    const a = await storage.recordQuestion(question(1, "Где форум?", true, ["f-1"]));
    const b = await storage.recordQuestion(question(2, "где форум", true, ["f-1"]));
    const c = await storage.recordQuestion(question(3, "Сколько пунктов?", true, ["p-1"]));
    await storage.recordVote({ questionId: a, userId: 1, vote: "down" });
    await storage.recordVote({ questionId: b, userId: 2, vote: "down" });
    await storage.recordVote({ questionId: b, userId: 9, vote: "up" });
    await storage.recordVote({ questionId: c, userId: 3, vote: "down" });
    const rows = await storage.downvotedQuestions();
    expect(rows.map((r) => [r.normalized, r.down, r.up, r.factIds])).toEqual([
      ["где форум", 2, 1, ["f-1"]],
      ["сколько пунктов", 1, 0, ["p-1"]],
    ]);
  });

  it("forgets everything about a user and nothing about others", async () => {
    await storage.setLangPref(1, "kk");
    await storage.setLangPref(2, "ru");
    const mine = await storage.recordQuestion(question(1, "Мой вопрос", true, ["x"]));
    const theirs = await storage.recordQuestion(question(2, "Их вопрос", false));
    await storage.recordVote({ questionId: mine, userId: 1, vote: "down" });
    await storage.recordVote({ questionId: mine, userId: 2, vote: "up" });
    await storage.sessions.write("conv:1:1", { x: 1 });
    await storage.sessions.write("conv:-100:1", { x: 2 });
    await storage.sessions.write("conv:2:2", { x: 3 });
    await storage.sessions.write("conv:-100:21", { x: 4 });

    await storage.forgetUser(1);

    expect(await storage.getUserLang(1)).toBeNull();
    expect(await storage.getUserLang(2)).toEqual({ pref: "ru", last: null });
    expect(await storage.sessions.read("conv:1:1")).toBeUndefined();
    expect(await storage.sessions.read("conv:-100:1")).toBeUndefined();
    expect(await storage.sessions.read("conv:2:2")).toEqual({ x: 3 });
    expect(await storage.sessions.read("conv:-100:21")).toEqual({ x: 4 });
    const count = (sql: string) => storage.db.prepare(sql).pluck().get();
    expect(count("SELECT COUNT(*) FROM questions WHERE user_id = 1")).toBe(0);
    expect(count("SELECT COUNT(*) FROM votes")).toBe(0);
    expect(count(`SELECT COUNT(*) FROM questions WHERE id = ${theirs}`)).toBe(1);
  });

  it("writes questions in batches, never reuses an id, and loses none on close", async () => {
    const a = await storage.recordQuestion(question(1, "a", true, ["x"]));
    const b = await storage.recordQuestion(question(1, "b", true, ["x"]));
    expect(b).toBe(a + 1);
    await storage.forgetUser(1);
    const c = await storage.recordQuestion(question(2, "c", false));
    expect(c).toBeGreaterThan(b);
    await storage.close();
    storage = new SqliteStorage({ dataDir: dir });
    const d = await storage.recordQuestion(question(2, "d", false));
    expect(d).toBeGreaterThan(c);
    expect((await storage.unansweredQuestions()).map((r) => r.question)).toEqual(["d", "c"]);
    expect(await storage.recordVote({ questionId: a, userId: 1, vote: "up" })).toBe("unknown");
  });

  it("counts users, language choices and questions in stats", async () => {
    await storage.ensureUser(1, "ru");
    await storage.setLangPref(2, "kk");
    await storage.recordQuestion(question(1, "a", true, ["x"]));
    await storage.recordQuestion(question(1, "b", false));
    const stats = await storage.stats();
    expect(stats).toMatchObject({
      users: 2,
      langPrefs: { kk: 1, ru: 0, auto: 1 },
      questions: 2,
      answered: 1,
      declined: 1,
      answeredLastWeek: 1,
      declinedLastWeek: 1,
    });
    const later = await storage.stats(new Date(Date.now() + 8 * 24 * 3600 * 1000));
    expect([later.answeredLastWeek, later.declinedLastWeek]).toEqual([0, 0]);
  });
});

describe("normalizeQuestion", () => {
  it("folds case, ё, Kazakh letters, punctuation and spacing", () => {
    expect(normalizeQuestion("  Келесі  форум қай қалада?! ")).toBe("келеси форум кай калада");
    expect(normalizeQuestion("Ещё   вопрос — «ёлка»")).toBe("еще вопрос елка");
  });
});
