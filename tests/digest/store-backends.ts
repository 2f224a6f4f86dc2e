/**
 * The digest store on each backend: SQLite in a temporary directory always, PostgreSQL when
 * TEST_DATABASE_URL is set (a fresh schema per test, dropped after).
 */
import { randomBytes } from "node:crypto";
import { rmSync } from "node:fs";
import { join } from "node:path";
import Database from "better-sqlite3";
import pg from "pg";
import type { DigestStore } from "../../src/digest/store.ts";
import { migratePostgres } from "../../src/storage/postgres.ts";
import {
  POSTGRES_DIGEST_MIGRATIONS,
  PostgresDigestStore,
} from "../../src/storage/postgres-digest.ts";
import { SqliteDigestStore } from "../../src/storage/sqlite-digest.ts";
import { tempDb } from "./helpers.ts";

export interface Backend {
  store: DigestStore;
  /** A second, independent connection to the same data (another process). */
  another(): DigestStore;
  cleanup(): Promise<void>;
}

export interface BackendFactory {
  name: string;
  open(): Promise<Backend>;
}

export const TEST_DATABASE_URL = process.env.TEST_DATABASE_URL?.trim() || undefined;

function inSchema(connectionString: string, schema: string): string {
  const parsed = new URL(connectionString);
  parsed.searchParams.set("options", `-c search_path=${schema}`);
  return parsed.toString();
}

export const sqliteBackend: BackendFactory = {
  name: "SQLite",
  async open() {
    const db = tempDb();
    const others: Database.Database[] = [];
    return {
      store: db.store,
      another() {
        const other = new Database(join(db.dir, "bot.sqlite"));
        other.pragma("busy_timeout = 5000");
        others.push(other);
        return new SqliteDigestStore(other);
      },
      async cleanup() {
        for (const other of others) other.close();
        await db.cleanup();
        rmSync(db.dir, { recursive: true, force: true });
      },
    };
  },
};

export const postgresBackend: BackendFactory | undefined = TEST_DATABASE_URL
  ? {
      name: "PostgreSQL",
      async open() {
        const url = TEST_DATABASE_URL as string;
        const schema = `digest_test_${randomBytes(6).toString("hex")}`;
        const admin = new pg.Client({ connectionString: url });
        await admin.connect();
        await admin.query(`CREATE SCHEMA ${schema}`);
        const pools: pg.Pool[] = [];
        const pool = () => {
          const p = new pg.Pool({ connectionString: inSchema(url, schema), max: 10 });
          pools.push(p);
          return p;
        };
        const first = pool();
        const client = await first.connect();
        try {
          await migratePostgres(client, POSTGRES_DIGEST_MIGRATIONS);
        } finally {
          client.release();
        }
        return {
          store: new PostgresDigestStore(first),
          another: () => new PostgresDigestStore(pool()),
          async cleanup() {
            for (const p of pools) await p.end();
            await admin.query(`DROP SCHEMA IF EXISTS ${schema} CASCADE`);
            await admin.end();
          },
        };
      },
    }
  : undefined;

export const BACKENDS: BackendFactory[] = postgresBackend
  ? [sqliteBackend, postgresBackend]
  : [sqliteBackend];
