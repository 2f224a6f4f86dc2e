import { migratePostgres, PostgresStorage } from "../storage/postgres.ts";
import { POSTGRES_DIGEST_MIGRATIONS, PostgresDigestStore } from "../storage/postgres-digest.ts";
import { migrate, SqliteStorage } from "../storage/sqlite.ts";
import { SQLITE_DIGEST_MIGRATIONS, SqliteDigestStore } from "../storage/sqlite-digest.ts";
import type { Storage } from "../storage/types.ts";
import type { DigestStore } from "./store.ts";

const stores = new WeakMap<Storage, Promise<DigestStore>>();

/**
 * The digest store on the bot's storage (the same SQLite database or PostgreSQL pool), with the
 * digest migrations (ids from 100) applied the first time. Throws for a storage kind that has
 * no digest implementation.
 */
export function openDigestStore(storage: Storage): Promise<DigestStore> {
  let store = stores.get(storage);
  if (!store) {
    store = open(storage);
    stores.set(storage, store);
  }
  return store;
}

async function open(storage: Storage): Promise<DigestStore> {
  if (storage instanceof SqliteStorage) {
    migrate(storage.db, SQLITE_DIGEST_MIGRATIONS);
    return new SqliteDigestStore(storage.db);
  }
  if (storage instanceof PostgresStorage) {
    const client = await storage.pool.connect();
    try {
      await migratePostgres(client, POSTGRES_DIGEST_MIGRATIONS);
    } finally {
      client.release();
    }
    return new PostgresDigestStore(storage.pool);
  }
  throw new Error(`digests are not implemented for ${storage.kind} storage`);
}
