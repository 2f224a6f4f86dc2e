/**
 * PostgreSQL schema migrations, applied in order at start (all pending ones in one transaction,
 * under an advisory lock) and recorded in `migrations`.
 * Append only: never edit or reorder a migration that has shipped; add a new one instead, and
 * add its SQLite counterpart to sqlite-migrations.ts.
 *
 * Same tables and meaning as the SQLite schema. Differences: Telegram ids and question ids are
 * BIGINT (chat ids of supergroups exceed 32 bits), times are TIMESTAMPTZ (SQLite keeps epoch
 * milliseconds; both come back from Storage as Date), `answered` is BOOLEAN and fact ids are
 * TEXT[] instead of a JSON string.
 */
export interface Migration {
  id: number;
  name: string;
  /** One or more statements, run with the simple query protocol (no parameters). */
  sql: string;
}

export const POSTGRES_MIGRATIONS: readonly Migration[] = [
  {
    id: 1,
    name: "users, sessions, questions, votes",
    sql: `
      CREATE TABLE users (
        user_id       BIGINT PRIMARY KEY,
        lang_pref     TEXT NOT NULL DEFAULT 'auto' CHECK (lang_pref IN ('kk', 'ru', 'auto')),
        last_lang     TEXT CHECK (last_lang IN ('kk', 'ru')),
        language_code TEXT,
        created_at    TIMESTAMPTZ NOT NULL DEFAULT now(),
        updated_at    TIMESTAMPTZ NOT NULL DEFAULT now()
      );

      CREATE TABLE sessions (
        key        TEXT PRIMARY KEY,
        value      TEXT NOT NULL,
        updated_at TIMESTAMPTZ NOT NULL DEFAULT now()
      );

      CREATE TABLE questions (
        id         BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
        user_id    BIGINT NOT NULL,
        chat_id    BIGINT NOT NULL,
        question   TEXT NOT NULL,
        normalized TEXT NOT NULL,
        lang       TEXT NOT NULL CHECK (lang IN ('kk', 'ru')),
        answered   BOOLEAN NOT NULL,
        confidence DOUBLE PRECISION NOT NULL,
        fact_ids   TEXT[] NOT NULL,
        at         TIMESTAMPTZ NOT NULL
      );
      CREATE INDEX questions_user ON questions (user_id);
      CREATE INDEX questions_unanswered ON questions (answered, normalized);
      CREATE INDEX questions_at ON questions (at);

      CREATE TABLE votes (
        question_id BIGINT NOT NULL,
        user_id     BIGINT NOT NULL,
        question    TEXT NOT NULL,
        normalized  TEXT NOT NULL,
        fact_ids    TEXT[] NOT NULL,
        vote        TEXT NOT NULL CHECK (vote IN ('up', 'down')),
        at          TIMESTAMPTZ NOT NULL,
        PRIMARY KEY (question_id, user_id)
      );
      CREATE INDEX votes_user ON votes (user_id);
      CREATE INDEX votes_down ON votes (vote, normalized);
    `,
  },
];
