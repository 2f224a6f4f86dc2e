import pg from "pg";
import type { Lang } from "../knowledge/schema.ts";
import { normalizeQuestion } from "./normalize.ts";
import { type Migration, POSTGRES_MIGRATIONS } from "./postgres-migrations.ts";
import { inTransaction, type Queryable } from "./postgres-transaction.ts";
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

/** First key of the two-int advisory lock that serialises migrations (the second is the schema). */
const MIGRATION_LOCK_CLASS = 0x6b7a7275; // "kzru"

/**
 * Applies the migrations not yet recorded in the current schema (the first one on search_path),
 * all in one transaction holding `pg_advisory_xact_lock`, so that instances starting together
 * wait for each other instead of racing. Returns the ids it applied.
 */
export async function migratePostgres(
  client: pg.PoolClient | pg.Client,
  migrations: readonly Migration[] = POSTGRES_MIGRATIONS,
): Promise<number[]> {
  await client.query("BEGIN");
  try {
    const schema = await client.query<{ schema: string | null }>(
      "SELECT current_schema() AS schema",
    );
    if (!schema.rows[0]?.schema) {
      throw new Error(
        "PostgreSQL: no schema to create tables in (does the schema on search_path exist?)",
      );
    }
    await client.query("SELECT pg_advisory_xact_lock($1, hashtext(current_schema()))", [
      MIGRATION_LOCK_CLASS,
    ]);
    await client.query(`CREATE TABLE IF NOT EXISTS migrations (
      id         INTEGER PRIMARY KEY,
      name       TEXT NOT NULL,
      applied_at TIMESTAMPTZ NOT NULL DEFAULT now()
    )`);
    const applied = new Set(
      (await client.query<{ id: number }>("SELECT id FROM migrations")).rows.map((row) => row.id),
    );
    const ran: number[] = [];
    for (const migration of [...migrations].sort((a, b) => a.id - b.id)) {
      if (applied.has(migration.id)) continue;
      await client.query(migration.sql);
      await client.query("INSERT INTO migrations (id, name) VALUES ($1, $2)", [
        migration.id,
        migration.name,
      ]);
      ran.push(migration.id);
    }
    await client.query("COMMIT");
    return ran;
  } catch (error) {
    await client.query("ROLLBACK").catch(() => {});
    throw error;
  }
}

export interface PostgresStorageOptions {
  /**
   * postgres://user:password@host:5432/database — libpq-style parameters such as `sslmode=require`
   * or `options=-c search_path=myschema` are honoured.
   */
  connectionString: string;
  /** Pool size per process (default 10). */
  maxConnections?: number;
  /** Errors of idle pooled connections (server restart, network); default: console.error. */
  onPoolError?: (error: Error) => void;
}

/** PostgreSQL text cannot hold NUL characters; SQLite can. Replaced so inserts never fail. */
function text(value: string): string;
function text(value: string | null): string | null;
function text(value: string | null): string | null {
  return value === null ? null : value.replaceAll("\u0000", "\uFFFD");
}

/** BIGINT and COUNT come back from pg as strings (they may exceed 2^53); ours never do. */
const int = (value: string | number): number => Number(value);

/**
 * Storage on a PostgreSQL server, for running several bot instances against one database.
 * Selected when DATABASE_URL is set. Create it with `openPostgresStorage`, which migrates.
 */
export class PostgresStorage implements Storage {
  readonly kind = "postgres";
  readonly pool: pg.Pool;
  readonly sessions: KeyValueStore;
  private closed = false;

  /** Use openPostgresStorage: the schema must be migrated before the first query. */
  constructor(pool: pg.Pool) {
    this.pool = pool;
    this.sessions = new PostgresKeyValue(pool);
  }

  async getUserLang(userId: number): Promise<UserLang | null> {
    const { rows } = await this.pool.query<{ lang_pref: LangPref; last_lang: Lang | null }>(
      "SELECT lang_pref, last_lang FROM users WHERE user_id = $1",
      [userId],
    );
    const row = rows[0];
    return row ? { pref: row.lang_pref, last: row.last_lang } : null;
  }

  async ensureUser(userId: number, languageCode?: string | null): Promise<void> {
    await this.pool.query(
      `INSERT INTO users (user_id, language_code) VALUES ($1, $2)
       ON CONFLICT (user_id) DO NOTHING`,
      [userId, text(languageCode ?? null)],
    );
  }

  async setLangPref(userId: number, pref: LangPref): Promise<void> {
    await this.pool.query(
      `INSERT INTO users (user_id, lang_pref) VALUES ($1, $2)
       ON CONFLICT (user_id) DO UPDATE SET lang_pref = excluded.lang_pref, updated_at = now()`,
      [userId, pref],
    );
  }

  async setLastLang(userId: number, lang: Lang): Promise<void> {
    await this.pool.query(
      `INSERT INTO users (user_id, last_lang) VALUES ($1, $2)
       ON CONFLICT (user_id) DO UPDATE SET last_lang = excluded.last_lang, updated_at = now()`,
      [userId, lang],
    );
  }

  async recordQuestion(record: QuestionRecord): Promise<number> {
    const question = text(record.question);
    const { rows } = await this.pool.query<{ id: string }>(
      `INSERT INTO questions (user_id, chat_id, question, normalized, lang, answered, confidence, fact_ids, at)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8, now())
       RETURNING id`,
      [
        record.userId,
        record.chatId,
        question,
        normalizeQuestion(question),
        record.lang,
        record.answered,
        record.confidence,
        record.factIds.map((id) => text(id)),
      ],
    );
    return int(rows[0]?.id ?? Number.NaN);
  }

  /**
   * Race-safe across instances: the question row is share-locked (forgetUser cannot delete it
   * underneath), the first vote is an INSERT … ON CONFLICT DO NOTHING, and a later one locks the
   * existing vote row before comparing.
   */
  async recordVote(record: VoteRecord): Promise<VoteResult> {
    // Callback data is user-controlled; a non-integer would be a query error, not "unknown".
    if (!Number.isSafeInteger(record.questionId)) return "unknown";
    return this.transaction(async (client) => {
      const question = await client.query<{
        question: string;
        normalized: string;
        fact_ids: string[];
      }>("SELECT question, normalized, fact_ids FROM questions WHERE id = $1 FOR SHARE", [
        record.questionId,
      ]);
      const found = question.rows[0];
      if (!found) return "unknown";
      // One round, normally. A vote that ON CONFLICT saw can be deleted (forgetUser) before
      // the SELECT locks it; the INSERT then goes through on the next round.
      for (let round = 0; round < 3; round++) {
        const inserted = await client.query(
          `INSERT INTO votes (question_id, user_id, question, normalized, fact_ids, vote, at)
           VALUES ($1, $2, $3, $4, $5, $6, now())
           ON CONFLICT (question_id, user_id) DO NOTHING`,
          [
            record.questionId,
            record.userId,
            found.question,
            found.normalized,
            found.fact_ids,
            record.vote,
          ],
        );
        if (inserted.rowCount === 1) return "recorded";
        const previous = await client.query<{ vote: string }>(
          "SELECT vote FROM votes WHERE question_id = $1 AND user_id = $2 FOR UPDATE",
          [record.questionId, record.userId],
        );
        const vote = previous.rows[0]?.vote;
        if (vote === undefined) continue;
        if (vote === record.vote) return "unchanged";
        await client.query(
          "UPDATE votes SET vote = $3, at = now() WHERE question_id = $1 AND user_id = $2",
          [record.questionId, record.userId, record.vote],
        );
        return "changed";
      }
      throw new Error(`recordVote: vote ${record.questionId}/${record.userId} kept vanishing`);
    });
  }

  async unansweredQuestions(limit = 50): Promise<UnansweredRow[]> {
    const { rows } = await this.pool.query<{
      normalized: string;
      count: string;
      last_at: Date;
      question: string;
      lang: Lang;
    }>(
      `SELECT g.normalized, g.count, g.last_at, latest.question, latest.lang
         FROM (SELECT normalized, COUNT(*) AS count, MAX(at) AS last_at
                 FROM questions
                WHERE NOT answered AND normalized <> ''
                GROUP BY normalized) g
        CROSS JOIN LATERAL (
              SELECT q.question, q.lang FROM questions q
               WHERE NOT q.answered AND q.normalized = g.normalized
               ORDER BY q.at DESC, q.id DESC LIMIT 1) latest
        ORDER BY g.count DESC, g.last_at DESC, g.normalized
        LIMIT $1`,
      [limit],
    );
    return rows.map((row) => ({
      question: row.question,
      normalized: row.normalized,
      lang: row.lang,
      count: int(row.count),
      lastAt: row.last_at,
    }));
  }

  async downvotedQuestions(limit = 50): Promise<DownvotedRow[]> {
    const { rows } = await this.pool.query<{
      normalized: string;
      down: string;
      up: string;
      last_at: Date;
      question: string;
      fact_ids: string[];
    }>(
      `SELECT g.normalized, g.down, g.up, g.last_at, latest.question, latest_down.fact_ids
         FROM (SELECT normalized,
                      COUNT(*) FILTER (WHERE vote = 'down') AS down,
                      COUNT(*) FILTER (WHERE vote = 'up') AS up,
                      MAX(at) AS last_at
                 FROM votes
                GROUP BY normalized
               HAVING COUNT(*) FILTER (WHERE vote = 'down') > 0) g
        CROSS JOIN LATERAL (
              SELECT v.question FROM votes v WHERE v.normalized = g.normalized
               ORDER BY v.at DESC, v.question_id DESC LIMIT 1) latest
        CROSS JOIN LATERAL (
              SELECT v.fact_ids FROM votes v WHERE v.normalized = g.normalized AND v.vote = 'down'
               ORDER BY v.at DESC, v.question_id DESC LIMIT 1) latest_down
        ORDER BY g.down DESC, g.last_at DESC, g.normalized
        LIMIT $1`,
      [limit],
    );
    return rows.map((row) => ({
      question: row.question,
      normalized: row.normalized,
      factIds: row.fact_ids,
      down: int(row.down),
      up: int(row.up),
      lastAt: row.last_at,
    }));
  }

  async forgetUser(userId: number): Promise<void> {
    await this.transaction(async (client) => {
      // Lock the user's questions first, in the same order recordVote does (question, then
      // vote), so a vote arriving meanwhile waits instead of deadlocking or being orphaned.
      await client.query("SELECT id FROM questions WHERE user_id = $1 ORDER BY id FOR UPDATE", [
        userId,
      ]);
      await client.query(
        "DELETE FROM votes WHERE user_id = $1 OR question_id IN (SELECT id FROM questions WHERE user_id = $1)",
        [userId],
      );
      await client.query("DELETE FROM questions WHERE user_id = $1", [userId]);
      await client.query("DELETE FROM users WHERE user_id = $1", [userId]);
      await client.query("DELETE FROM sessions WHERE key LIKE $1", [`%:${userId}`]);
    });
  }

  /** Without `now`, the week is counted back from the database server's clock. */
  async stats(now?: Date): Promise<StorageStats> {
    const prefs = await this.pool.query<{ lang_pref: LangPref; n: string }>(
      "SELECT lang_pref, COUNT(*) AS n FROM users GROUP BY lang_pref",
    );
    const langPrefs: Record<LangPref, number> = { kk: 0, ru: 0, auto: 0 };
    for (const row of prefs.rows) langPrefs[row.lang_pref] = int(row.n);
    const q = await this.pool.query<Record<string, string>>(
      `SELECT COUNT(*) AS total,
              COUNT(*) FILTER (WHERE answered) AS answered,
              COUNT(*) FILTER (WHERE NOT answered) AS declined,
              COUNT(*) FILTER (WHERE answered AND at >= since) AS answered_week,
              COUNT(*) FILTER (WHERE NOT answered AND at >= since) AS declined_week
         FROM questions,
              (SELECT COALESCE($1::timestamptz, now()) - interval '7 days' AS since) s`,
      [now ?? null],
    );
    const v = await this.pool.query<Record<string, string>>(
      `SELECT COUNT(*) FILTER (WHERE vote = 'up') AS up,
              COUNT(*) FILTER (WHERE vote = 'down') AS down
         FROM votes`,
    );
    const qs = q.rows[0] ?? {};
    const vs = v.rows[0] ?? {};
    return {
      users: langPrefs.kk + langPrefs.ru + langPrefs.auto,
      langPrefs,
      questions: int(qs.total ?? 0),
      answered: int(qs.answered ?? 0),
      declined: int(qs.declined ?? 0),
      answeredLastWeek: int(qs.answered_week ?? 0),
      declinedLastWeek: int(qs.declined_week ?? 0),
      votesUp: int(vs.up ?? 0),
      votesDown: int(vs.down ?? 0),
    };
  }

  async ping(): Promise<void> {
    if (this.closed) throw new Error("PostgreSQL storage is closed");
    await this.pool.query("SELECT 1");
  }

  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    await this.pool.end();
  }

  private transaction<T>(body: (client: Queryable) => Promise<T>): Promise<T> {
    return inTransaction(this.pool, body);
  }
}

/** grammY-style key-value store in the sessions table (values as JSON text, as in SQLite). */
class PostgresKeyValue implements KeyValueStore {
  constructor(private readonly pool: pg.Pool) {}

  async read(key: string): Promise<unknown> {
    const { rows } = await this.pool.query<{ value: string }>(
      "SELECT value FROM sessions WHERE key = $1",
      [text(key)],
    );
    const row = rows[0];
    return row === undefined ? undefined : JSON.parse(row.value);
  }

  async write(key: string, value: unknown): Promise<void> {
    await this.pool.query(
      `INSERT INTO sessions (key, value) VALUES ($1, $2)
       ON CONFLICT (key) DO UPDATE SET value = excluded.value, updated_at = now()`,
      [text(key), JSON.stringify(value)],
    );
  }

  async delete(key: string): Promise<void> {
    await this.pool.query("DELETE FROM sessions WHERE key = $1", [text(key)]);
  }
}

/** Connects, migrates (see migratePostgres) and returns the storage. */
export async function openPostgresStorage(
  options: PostgresStorageOptions,
): Promise<PostgresStorage> {
  const pool = new pg.Pool({
    connectionString: options.connectionString,
    max: options.maxConnections ?? 10,
    // Fail instead of hanging when the server is unreachable or every connection is busy.
    connectionTimeoutMillis: 10_000,
    keepAlive: true,
    application_name: "kz-ru-cooperation-bot",
  });
  const onError =
    options.onPoolError ??
    ((error: Error) => console.error(`PostgreSQL connection error: ${error.message}`));
  // Without a listener, an idle connection dropped by the server would crash the process.
  pool.on("error", onError);
  try {
    const client = await pool.connect();
    try {
      await migratePostgres(client);
    } finally {
      client.release();
    }
  } catch (error) {
    await pool.end().catch(() => {});
    throw error;
  }
  return new PostgresStorage(pool);
}
