import { openSqliteStorage } from "./sqlite.ts";
import type { Storage } from "./types.ts";

export type * from "./types.ts";

export interface StorageConfig {
  dataDir: string;
}

/** Opens the configured storage and runs its migrations. SQLite under DATA_DIR for now. */
export async function openStorage(config: StorageConfig): Promise<Storage> {
  return openSqliteStorage({ dataDir: config.dataDir });
}
