import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { openStorage } from "../../src/storage/index.ts";
import { openSqliteStorage } from "../../src/storage/sqlite.ts";
import { storageContract } from "./contract.ts";

/** The current data directory; created by the first open, removed by cleanup. */
let dataDir: string | undefined;

storageContract(
  "SQLite",
  async () => {
    dataDir ??= mkdtempSync(join(tmpdir(), "storage-contract-"));
    return openSqliteStorage({ dataDir });
  },
  async () => {
    if (dataDir) rmSync(dataDir, { recursive: true, force: true });
    dataDir = undefined;
  },
);

describe("openStorage", () => {
  it("opens SQLite in dataDir when no databaseUrl is set", async () => {
    const dir = mkdtempSync(join(tmpdir(), "storage-open-"));
    try {
      for (const databaseUrl of [undefined, ""]) {
        const storage = await openStorage({ dataDir: dir, databaseUrl });
        expect(storage.kind).toBe("sqlite");
        await storage.close();
      }
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
