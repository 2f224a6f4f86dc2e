import { openPostgresStorage } from "./postgres.ts";
import { openSqliteStorage } from "./sqlite.ts";
import type { Storage } from "./types.ts";

export type * from "./types.ts";

export interface StorageConfig {
  dataDir: string;
  /**
   * postgres://… (DATABASE_URL): use PostgreSQL, which several bot instances can share.
   * Unset: SQLite in dataDir.
   */
  databaseUrl?: string | undefined;
}

/** Opens the configured storage and runs its migrations: PostgreSQL if configured, else SQLite. */
export async function openStorage(config: StorageConfig): Promise<Storage> {
  if (config.databaseUrl) return openPostgresStorage({ connectionString: config.databaseUrl });
  return openSqliteStorage({ dataDir: config.dataDir });
}
