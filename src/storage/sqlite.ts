import { mkdirSync } from "node:fs";
import { join } from "node:path";
import Database from "better-sqlite3";
import type { Lang } from "../knowledge/schema.ts";
import { normalizeQuestion } from "./normalize.ts";
import { type Migration, SQLITE_MIGRATIONS } from "./sqlite-migrations.ts";
import type {
  DownvotedRow,
  KeyValueStore,
  LangPref,
  QuestionRecord,
  Storage,
  StorageStats,
  UnansweredRow,
  UserLang,
  VoteRecord,
  VoteResult,
} from "./types.ts";

export const SQLITE_FILE = "bot.sqlite";
const WEEK_MS = 7 * 24 * 60 * 60 * 1000;

type Db = Database.Database;

/** Applies the migrations not yet recorded, each in its own transaction. Returns their ids. */
export function migrate(db: Db, migrations: readonly Migration[] = SQLITE_MIGRATIONS): number[] {
  db.exec(`CREATE TABLE IF NOT EXISTS migrations (
    id INTEGER PRIMARY KEY,
    name TEXT NOT NULL,
    applied_at INTEGER NOT NULL
  )`);
  const applied = new Set(
    (db.prepare("SELECT id FROM migrations").all() as { id: number }[]).map((row) => row.id),
  );
  const ran: number[] = [];
  const record = db.prepare("INSERT INTO migrations (id, name, applied_at) VALUES (?, ?, ?)");
  for (const migration of [...migrations].sort((a, b) => a.id - b.id)) {
    if (applied.has(migration.id)) continue;
    db.transaction(() => {
      db.exec(migration.sql);
      record.run(migration.id, migration.name, Date.now());
    })();
    ran.push(migration.id);
  }
  return ran;
}

export interface SqliteStorageOptions {
  /** Directory for bot.sqlite (created if missing), or ":memory:". */
  dataDir: string;
}

/** The embedded default: better-sqlite3 in WAL mode under DATA_DIR/bot.sqlite. */
export class SqliteStorage implements Storage {
  readonly kind = "sqlite";
  readonly db: Db;
  readonly sessions: KeyValueStore;
  private readonly statements;
  /** Questions not yet written: they go in one transaction per turn of the event loop. */
  private pendingQuestions: unknown[][] = [];
  private flushScheduled = false;
  private nextQuestionId: number;

  constructor(options: SqliteStorageOptions) {
    let file = ":memory:";
    if (options.dataDir !== ":memory:") {
      mkdirSync(options.dataDir, { recursive: true });
      file = join(options.dataDir, SQLITE_FILE);
    }
    const db = new Database(file);
    db.pragma("journal_mode = WAL");
    db.pragma("synchronous = NORMAL");
    db.pragma("busy_timeout = 5000");
    db.pragma("foreign_keys = ON");
    migrate(db);
    this.db = db;

    this.statements = {
      getUser: db.prepare("SELECT lang_pref, last_lang FROM users WHERE user_id = ?"),
      ensureUser: db.prepare(
        `INSERT INTO users (user_id, language_code, created_at, updated_at) VALUES (?, ?, ?, ?)
         ON CONFLICT (user_id) DO NOTHING`,
      ),
      setPref: db.prepare(
        `INSERT INTO users (user_id, lang_pref, created_at, updated_at) VALUES (?, ?, ?, ?)
         ON CONFLICT (user_id) DO UPDATE SET lang_pref = excluded.lang_pref, updated_at = excluded.updated_at`,
      ),
      setLast: db.prepare(
        `INSERT INTO users (user_id, last_lang, created_at, updated_at) VALUES (?, ?, ?, ?)
         ON CONFLICT (user_id) DO UPDATE SET last_lang = excluded.last_lang, updated_at = excluded.updated_at`,
      ),
      readSession: db.prepare("SELECT value FROM sessions WHERE key = ?"),
      writeSession: db.prepare(
        `INSERT INTO sessions (key, value, updated_at) VALUES (?, ?, ?)
         ON CONFLICT (key) DO UPDATE SET value = excluded.value, updated_at = excluded.updated_at`,
      ),
      deleteSession: db.prepare("DELETE FROM sessions WHERE key = ?"),
      insertQuestion: db.prepare(
        `INSERT INTO questions (id, user_id, chat_id, question, normalized, lang, answered, confidence, fact_ids, at)
         VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
      ),
      getQuestion: db.prepare("SELECT question, normalized, fact_ids FROM questions WHERE id = ?"),
      getVote: db.prepare("SELECT vote FROM votes WHERE question_id = ? AND user_id = ?"),
      upsertVote: db.prepare(
        `INSERT INTO votes (question_id, user_id, question, normalized, fact_ids, vote, at)
         VALUES (?, ?, ?, ?, ?, ?, ?)
         ON CONFLICT (question_id, user_id) DO UPDATE SET vote = excluded.vote, at = excluded.at`,
      ),
    };
    // Ids are handed out here, so that recordQuestion need not wait for the write. Never reuse
    // the id of a deleted row: an old 👍 button must not land on someone else's question.
    const maxId = db
      .prepare(
        `SELECT MAX(COALESCE((SELECT MAX(id) FROM questions), 0),
                    COALESCE((SELECT seq FROM sqlite_sequence WHERE name = 'questions'), 0))`,
      )
      .pluck()
      .get() as number;
    this.nextQuestionId = maxId + 1;
    const st = this.statements;
    this.sessions = new SqliteKeyValue(
      (key) => (st.readSession.get(key) as { value: string } | undefined)?.value,
      (key, value) => {
        st.writeSession.run(key, value, Date.now());
      },
      (key) => {
        st.deleteSession.run(key);
      },
    );
  }

  async getUserLang(userId: number): Promise<UserLang | null> {
    const row = this.statements.getUser.get(userId) as
      | { lang_pref: LangPref; last_lang: Lang | null }
      | undefined;
    return row ? { pref: row.lang_pref, last: row.last_lang } : null;
  }

  async ensureUser(userId: number, languageCode?: string | null): Promise<void> {
    const now = Date.now();
    this.statements.ensureUser.run(userId, languageCode ?? null, now, now);
  }

  async setLangPref(userId: number, pref: LangPref): Promise<void> {
    const now = Date.now();
    this.statements.setPref.run(userId, pref, now, now);
  }

  async setLastLang(userId: number, lang: Lang): Promise<void> {
    const now = Date.now();
    this.statements.setLast.run(userId, lang, now, now);
  }

  async recordQuestion(record: QuestionRecord): Promise<number> {
    const id = this.nextQuestionId++;
    this.pendingQuestions.push([
      id,
      record.userId,
      record.chatId,
      record.question,
      normalizeQuestion(record.question),
      record.lang,
      record.answered ? 1 : 0,
      record.confidence,
      JSON.stringify(record.factIds),
      Date.now(),
    ]);
    if (!this.flushScheduled) {
      this.flushScheduled = true;
      setImmediate(() => this.flush());
    }
    return id;
  }

  /** Writes the questions recorded so far; every reading method calls it first. */
  flush(): void {
    this.flushScheduled = false;
    if (this.pendingQuestions.length === 0 || !this.db.open) return;
    const rows = this.pendingQuestions;
    this.pendingQuestions = [];
    this.db.transaction(() => {
      for (const row of rows) this.statements.insertQuestion.run(...row);
    })();
  }

  async recordVote(record: VoteRecord): Promise<VoteResult> {
    this.flush();
    return this.db.transaction((): VoteResult => {
      const question = this.statements.getQuestion.get(record.questionId) as
        | { question: string; normalized: string; fact_ids: string }
        | undefined;
      if (!question) return "unknown";
      const previous = this.statements.getVote.get(record.questionId, record.userId) as
        | { vote: string }
        | undefined;
      if (previous?.vote === record.vote) return "unchanged";
      this.statements.upsertVote.run(
        record.questionId,
        record.userId,
        question.question,
        question.normalized,
        question.fact_ids,
        record.vote,
        Date.now(),
      );
      return previous ? "changed" : "recorded";
    })();
  }

  async unansweredQuestions(limit = 50): Promise<UnansweredRow[]> {
    this.flush();
    const rows = this.db
      .prepare(
        `SELECT normalized, lang, COUNT(*) AS count, MAX(at) AS last_at,
                (SELECT q2.question FROM questions q2
                  WHERE q2.answered = 0 AND q2.normalized = q.normalized
                  ORDER BY q2.at DESC, q2.id DESC LIMIT 1) AS question
           FROM questions q
          WHERE answered = 0 AND normalized <> ''
          GROUP BY normalized
          ORDER BY count DESC, last_at DESC
          LIMIT ?`,
      )
      .all(limit) as {
      normalized: string;
      lang: Lang;
      count: number;
      last_at: number;
      question: string;
    }[];
    return rows.map((row) => ({
      question: row.question,
      normalized: row.normalized,
      lang: row.lang,
      count: row.count,
      lastAt: new Date(row.last_at),
    }));
  }

  async downvotedQuestions(limit = 50): Promise<DownvotedRow[]> {
    this.flush();
    const rows = this.db
      .prepare(
        `SELECT normalized,
                SUM(vote = 'down') AS down, SUM(vote = 'up') AS up, MAX(at) AS last_at,
                (SELECT v2.question FROM votes v2 WHERE v2.normalized = v.normalized
                  ORDER BY v2.at DESC LIMIT 1) AS question,
                (SELECT v3.fact_ids FROM votes v3 WHERE v3.normalized = v.normalized AND v3.vote = 'down'
                  ORDER BY v3.at DESC LIMIT 1) AS fact_ids
           FROM votes v
          GROUP BY normalized
         HAVING down > 0
          ORDER BY down DESC, last_at DESC
          LIMIT ?`,
      )
      .all(limit) as {
      normalized: string;
      down: number;
      up: number;
      last_at: number;
      question: string;
      fact_ids: string;
    }[];
    return rows.map((row) => ({
      question: row.question,
      normalized: row.normalized,
      factIds: JSON.parse(row.fact_ids) as string[],
      down: row.down,
      up: row.up,
      lastAt: new Date(row.last_at),
    }));
  }

  async forgetUser(userId: number): Promise<void> {
    this.flush();
    this.db.transaction(() => {
      this.db
        .prepare(
          "DELETE FROM votes WHERE user_id = ? OR question_id IN (SELECT id FROM questions WHERE user_id = ?)",
        )
        .run(userId, userId);
      this.db.prepare("DELETE FROM questions WHERE user_id = ?").run(userId);
      this.db.prepare("DELETE FROM users WHERE user_id = ?").run(userId);
      this.db.prepare("DELETE FROM sessions WHERE key LIKE ?").run(`%:${userId}`);
    })();
  }

  async stats(now: Date = new Date()): Promise<StorageStats> {
    this.flush();
    const since = now.getTime() - WEEK_MS;
    const prefs = this.db
      .prepare("SELECT lang_pref, COUNT(*) AS n FROM users GROUP BY lang_pref")
      .all() as { lang_pref: LangPref; n: number }[];
    const langPrefs: Record<LangPref, number> = { kk: 0, ru: 0, auto: 0 };
    for (const row of prefs) langPrefs[row.lang_pref] = row.n;
    const q = this.db
      .prepare(
        `SELECT COUNT(*) AS total,
                COALESCE(SUM(answered = 1), 0) AS answered,
                COALESCE(SUM(answered = 0), 0) AS declined,
                COALESCE(SUM(answered = 1 AND at >= ?), 0) AS answered_week,
                COALESCE(SUM(answered = 0 AND at >= ?), 0) AS declined_week
           FROM questions`,
      )
      .get(since, since) as {
      total: number;
      answered: number;
      declined: number;
      answered_week: number;
      declined_week: number;
    };
    const v = this.db
      .prepare(
        "SELECT COALESCE(SUM(vote = 'up'), 0) AS up, COALESCE(SUM(vote = 'down'), 0) AS down FROM votes",
      )
      .get() as { up: number; down: number };
    return {
      users: langPrefs.kk + langPrefs.ru + langPrefs.auto,
      langPrefs,
      questions: q.total,
      answered: q.answered,
      declined: q.declined,
      answeredLastWeek: q.answered_week,
      declinedLastWeek: q.declined_week,
      votesUp: v.up,
      votesDown: v.down,
    };
  }

  async ping(): Promise<void> {
    if (!this.db.open) throw new Error("SQLite storage is closed");
    this.db.prepare("SELECT 1").get();
  }

  async close(): Promise<void> {
    this.flush();
    if (this.db.open) this.db.close();
  }
}

/** grammY-style key-value store in the sessions table (values as JSON). */
class SqliteKeyValue implements KeyValueStore {
  constructor(
    private readonly read_: (key: string) => string | undefined,
    private readonly write_: (key: string, value: string) => void,
    private readonly delete_: (key: string) => void,
  ) {}
  async read(key: string): Promise<unknown> {
    const value = this.read_(key);
    return value === undefined ? undefined : JSON.parse(value);
  }
  async write(key: string, value: unknown): Promise<void> {
    this.write_(key, JSON.stringify(value));
  }
  async delete(key: string): Promise<void> {
    this.delete_(key);
  }
}

export function openSqliteStorage(options: SqliteStorageOptions): SqliteStorage {
  return new SqliteStorage(options);
}
