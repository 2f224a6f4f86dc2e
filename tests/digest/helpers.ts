import { mkdirSync, mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { createI18n, type I18n } from "../../src/bot/i18n.ts";
import { migrate, SqliteStorage } from "../../src/storage/sqlite.ts";
import { SQLITE_DIGEST_MIGRATIONS, SqliteDigestStore } from "../../src/storage/sqlite-digest.ts";

/** The bot's i18n (locales/*.json, with the digest.*, subscribe.* and admin.* strings). */
export function testI18n(): I18n {
  return createI18n();
}

export interface TempDb {
  dir: string;
  storage: SqliteStorage;
  store: SqliteDigestStore;
  cleanup(): Promise<void>;
}

/** A real SQLite storage in a fresh temporary DATA_DIR, with the digest migrations. */
export function tempDb(): TempDb {
  const dir = mkdtempSync(join(tmpdir(), "digest-db-"));
  mkdirSync(dir, { recursive: true });
  const storage = new SqliteStorage({ dataDir: dir });
  migrate(storage.db, SQLITE_DIGEST_MIGRATIONS);
  const store = new SqliteDigestStore(storage.db);
  return {
    dir,
    storage,
    store,
    async cleanup() {
      await storage.close();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
