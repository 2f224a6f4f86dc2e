/**
 * The storage contract on PostgreSQL, plus what only a shared server has: several instances
 * migrating and voting at once. Needs a server: TEST_DATABASE_URL=postgres://user:pass@host/db
 * (.ci/run installs one and sets it). Every test gets a fresh schema of its own, dropped after,
 * so runs never see each other's rows.
 */
import { randomBytes } from "node:crypto";
import pg from "pg";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { openStorage } from "../../src/storage/index.ts";
import { openPostgresStorage, type PostgresStorage } from "../../src/storage/postgres.ts";
import { POSTGRES_MIGRATIONS } from "../../src/storage/postgres-migrations.ts";
import { storageContract } from "./contract.ts";

const url = process.env.TEST_DATABASE_URL?.trim() || undefined;
const SKIPPED =
  "PostgreSQL storage tests SKIPPED: TEST_DATABASE_URL is not set " +
  "(e.g. TEST_DATABASE_URL=postgres://bot_test:bot_test@127.0.0.1:5432/bot_test; .ci/run sets it)";

/** The connection string with search_path set to one schema, via libpq's `options`. */
function inSchema(connectionString: string, schema: string): string {
  const parsed = new URL(connectionString);
  const options = parsed.searchParams.get("options");
  const searchPath = `-c search_path=${schema}`;
  parsed.searchParams.set("options", options ? `${options} ${searchPath}` : searchPath);
  return parsed.toString();
}

if (!url) {
  console.warn(SKIPPED);
  describe("PostgresStorage", () => {
    it.skip(SKIPPED, () => {});
  });
} else {
  const databaseUrl = url;
  const admin = new pg.Client({ connectionString: databaseUrl });
  const schemas = new Set<string>();

  async function createSchema(): Promise<string> {
    const schema = `storage_test_${randomBytes(6).toString("hex")}`;
    await admin.query(`CREATE SCHEMA ${schema}`);
    schemas.add(schema);
    return schema;
  }

  async function dropSchema(schema: string): Promise<void> {
    await admin.query(`DROP SCHEMA IF EXISTS ${schema} CASCADE`);
    schemas.delete(schema);
  }

  beforeAll(async () => {
    await admin.connect();
  });

  afterAll(async () => {
    for (const schema of [...schemas]) await dropSchema(schema);
    await admin.end();
  });

  let current: string | undefined;
  storageContract(
    "PostgreSQL",
    async () => {
      current ??= await createSchema();
      return openPostgresStorage({ connectionString: inSchema(databaseUrl, current) });
    },
    async () => {
      if (current) await dropSchema(current);
      current = undefined;
    },
  );

  describe("PostgresStorage with several instances", () => {
    let schema: string;
    const opened: PostgresStorage[] = [];
    const open = async () => {
      const storage = await openPostgresStorage({
        connectionString: inSchema(databaseUrl, schema),
      });
      opened.push(storage);
      return storage;
    };

    beforeAll(async () => {
      schema = await createSchema();
    });

    afterAll(async () => {
      for (const storage of opened.splice(0)) await storage.close();
      await dropSchema(schema);
    });

    it("migrates once when instances start together", async () => {
      const instances = await Promise.all(Array.from({ length: 6 }, open));
      expect(instances.map((storage) => storage.kind)).toEqual(Array(6).fill("postgres"));
      const { rows } = await admin.query<{ id: number }>(
        `SELECT id FROM ${schema}.migrations ORDER BY id`,
      );
      expect(rows.map((row) => row.id)).toEqual(POSTGRES_MIGRATIONS.map((m) => m.id));
      const tables = await admin.query<{ table_name: string }>(
        `SELECT table_name FROM information_schema.tables WHERE table_schema = $1
          ORDER BY table_name`,
        [schema],
      );
      expect(tables.rows.map((row) => row.table_name)).toEqual([
        "migrations",
        "questions",
        "sessions",
        "users",
        "votes",
      ]);
    });

    it("gives concurrent questions distinct ids and counts concurrent votes once", async () => {
      const [a, b] = await Promise.all([open(), open()]);
      if (!a || !b) throw new Error("unreachable");
      const ids = await Promise.all(
        Array.from({ length: 20 }, (_, i) =>
          (i % 2 ? a : b).recordQuestion({
            userId: 7,
            chatId: 7,
            question: `q${i}`,
            lang: "ru",
            answered: true,
            confidence: 0.9,
            factIds: ["f"],
          }),
        ),
      );
      expect(new Set(ids).size).toBe(20);

      const questionId = ids[0] ?? 0;
      const results = await Promise.all(
        Array.from({ length: 10 }, (_, i) =>
          (i % 2 ? a : b).recordVote({ questionId, userId: 8, vote: "down" }),
        ),
      );
      expect(results.filter((result) => result === "recorded")).toHaveLength(1);
      expect(results.filter((result) => result === "unchanged")).toHaveLength(9);
      expect((await a.stats()).votesDown).toBe(1);
    });

    it("never leaves a vote on a forgotten answer when votes race forgetUser", async () => {
      const [a, b] = await Promise.all([open(), open()]);
      if (!a || !b) throw new Error("unreachable");
      const ALICE = 9_000_000_001;
      const ids: number[] = [];
      for (let i = 0; i < 10; i++) {
        ids.push(
          await a.recordQuestion({
            userId: ALICE,
            chatId: ALICE,
            question: `alice ${i}`,
            lang: "kk",
            answered: true,
            confidence: 0.9,
            factIds: [],
          }),
        );
      }
      const votes = ids.flatMap((questionId) =>
        [11, 12, 13].map((userId) =>
          (userId % 2 ? a : b).recordVote({ questionId, userId, vote: "down" }),
        ),
      );
      const [results] = await Promise.all([Promise.all(votes), b.forgetUser(ALICE)]);
      for (const result of results) expect(["recorded", "unknown"]).toContain(result);
      const orphans = await admin.query(
        `SELECT 1 FROM ${schema}.votes v
          WHERE NOT EXISTS (SELECT 1 FROM ${schema}.questions q WHERE q.id = v.question_id)`,
      );
      expect(orphans.rowCount).toBe(0);
      expect(await a.downvotedQuestions()).toEqual(
        expect.not.arrayContaining([expect.objectContaining({ normalized: "alice 0" })]),
      );
    });

    it("is what openStorage opens when databaseUrl is set", async () => {
      const storage = await openStorage({
        dataDir: "/nonexistent/never-used",
        databaseUrl: inSchema(databaseUrl, schema),
      });
      try {
        expect(storage.kind).toBe("postgres");
        await storage.setLangPref(77, "kk");
        const { rows } = await admin.query(
          `SELECT lang_pref FROM ${schema}.users WHERE user_id = 77`,
        );
        expect(rows).toEqual([{ lang_pref: "kk" }]);
      } finally {
        await storage.close();
      }
    });

    it("refuses to start in a schema that does not exist", async () => {
      await expect(
        openPostgresStorage({ connectionString: inSchema(databaseUrl, "no_such_schema_x") }),
      ).rejects.toThrow(/no schema/);
    });
  });
}
