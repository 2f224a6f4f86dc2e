/**
 * SQLite schema migrations, applied in order at start and recorded in `migrations`.
 * Append only: never edit or reorder a migration that has shipped; add a new one instead.
 */
export interface Migration {
  id: number;
  name: string;
  sql: string;
}

export const SQLITE_MIGRATIONS: readonly Migration[] = [
  {
    id: 1,
    name: "users, sessions, questions, votes",
    sql: `
      CREATE TABLE users (
        user_id       INTEGER PRIMARY KEY,
        lang_pref     TEXT NOT NULL DEFAULT 'auto' CHECK (lang_pref IN ('kk', 'ru', 'auto')),
        last_lang     TEXT CHECK (last_lang IN ('kk', 'ru')),
        language_code TEXT,
        created_at    INTEGER NOT NULL,
        updated_at    INTEGER NOT NULL
      );

      CREATE TABLE sessions (
        key        TEXT PRIMARY KEY,
        value      TEXT NOT NULL,
        updated_at INTEGER NOT NULL
      );

      CREATE TABLE questions (
        id         INTEGER PRIMARY KEY AUTOINCREMENT,
        user_id    INTEGER NOT NULL,
        chat_id    INTEGER NOT NULL,
        question   TEXT NOT NULL,
        normalized TEXT NOT NULL,
        lang       TEXT NOT NULL CHECK (lang IN ('kk', 'ru')),
        answered   INTEGER NOT NULL,
        confidence REAL NOT NULL,
        fact_ids   TEXT NOT NULL,
        at         INTEGER NOT NULL
      );
      CREATE INDEX questions_user ON questions (user_id);
      CREATE INDEX questions_unanswered ON questions (answered, normalized);
      CREATE INDEX questions_at ON questions (at);

      CREATE TABLE votes (
        question_id INTEGER NOT NULL,
        user_id     INTEGER NOT NULL,
        question    TEXT NOT NULL,
        normalized  TEXT NOT NULL,
        fact_ids    TEXT NOT NULL,
        vote        TEXT NOT NULL CHECK (vote IN ('up', 'down')),
        at          INTEGER NOT NULL,
        PRIMARY KEY (question_id, user_id)
      );
      CREATE INDEX votes_user ON votes (user_id);
      CREATE INDEX votes_down ON votes (vote, normalized);
    `,
  },
];
