import { type ChildProcess, spawn } from "node:child_process";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { composeDigest } from "../../src/digest/compose.ts";
import type { Scope } from "../../src/digest/types.ts";
import { loadKnowledgeBase } from "../../src/knowledge/load.ts";
import { type TempDb, tempDb, testI18n } from "../digest/helpers.ts";
import { type FakeCall, FakeTelegram } from "./fake-telegram/server.ts";

const TOKEN = "987654321:AAEfakeTokenForDigestTests_012345678";
const kb = loadKnowledgeBase();
const i18n = testI18n();
const T0 = Date.now() - 60_000;

let tg: FakeTelegram;
let db: TempDb;
beforeEach(async () => {
  tg = await FakeTelegram.start({ token: TOKEN });
  db = tempDb();
});
afterEach(async () => {
  await tg.close();
  await db.cleanup();
});

interface Finished {
  code: number | null;
  signal: NodeJS.Signals | null;
  stdout: string;
  stderr: string;
}

/** `npm run digest -- <args>`: the real CLI in a child process, on the temporary DATA_DIR. */
function digestCli(
  args: string[],
  env: Record<string, string> = {},
): { child: ChildProcess; done: Promise<Finished> } {
  const child = spawn(process.execPath, ["--import", "tsx", "src/cli/digest.ts", ...args], {
    env: {
      PATH: process.env.PATH ?? "",
      HOME: process.env.HOME ?? "",
      DATABASE_URL: "",
      BOT_TOKEN: TOKEN,
      TELEGRAM_API_ROOT: tg.apiRoot,
      DATA_DIR: db.dir,
      LOG_LEVEL: "warn",
      DIGEST_PACING: "off",
      ...env,
    },
    cwd: process.cwd(),
  });
  let stdout = "";
  let stderr = "";
  child.stdout?.on("data", (chunk) => {
    stdout += chunk;
  });
  child.stderr?.on("data", (chunk) => {
    stderr += chunk;
  });
  const done = new Promise<Finished>((resolve) => {
    child.on("close", (code, signal) => resolve({ code, signal, stdout, stderr }));
  });
  return { child, done };
}

interface Seeded {
  chatId: number;
  lang: "kk" | "ru";
  scope: Scope;
}

/** Subscribers from T0 ("when new material arrives"); every item of the knowledge base arrives after. */
async function seed(count: number): Promise<Seeded[]> {
  const seeded: Seeded[] = [];
  for (let i = 0; i < count; i++) {
    const chatId = 20_000 + i;
    const lang = i % 2 === 0 ? "ru" : "kk";
    const scope: Scope =
      i % 25 === 0
        ? { kind: "event", eventId: "meeting-sochi-smailov-mishustin" }
        : { kind: "event", eventId: "forum-next-kokshetau-2020" };
    await db.store.createSubscription(
      { userId: chatId, chatId, lang, scope, cadence: { kind: "new" } },
      T0,
    );
    seeded.push({ chatId, lang, scope });
  }
  await db.store.syncItems(
    kb.facts.map((f) => f.id),
    T0 + 1,
  );
  return seeded;
}

function expected(s: Seeded): string[] {
  const items = kb.facts
    .filter((f) => s.scope.kind === "event" && f.forum === s.scope.eventId)
    .map((f) => f.id);
  return composeDigest(kb, items, s.lang, i18n.t(s.lang), { kind: "new" });
}

function expectExactlyOnce(seeded: Seeded[]): number {
  let total = 0;
  for (const s of seeded) {
    const got = tg.sent(s.chatId).map((p) => p.text);
    expect(got, `chat ${s.chatId}`).toEqual(expected(s));
    total += got.length;
  }
  return total;
}

describe("npm run digest", () => {
  it("without --send shows what is due and sends nothing", async () => {
    await seed(3);
    const result = await digestCli([]).done;
    expect(result.code).toBe(0);
    expect(result.stdout).toMatch(/chat 20000: subscription 1: new edition of \d+ item\(s\)/);
    expect(result.stdout).toContain("dry run");
    expect(tg.calls("sendMessage")).toHaveLength(0);
  });

  it("--send twice delivers once", async () => {
    const seeded = await seed(60);
    const first = await digestCli(["--send"]).done;
    expect(first.code, first.stderr).toBe(0);
    const total = expectExactlyOnce(seeded);
    expect(first.stdout).toContain(`Sent ${total} message(s)`);
    const second = await digestCli(["--send"]).done;
    expect(second.code, second.stderr).toBe(0);
    expect(second.stdout).toContain("Sent 0 message(s)");
    expect(expectExactlyOnce(seeded)).toBe(total);
  });

  it("two --send runs started at once deliver once", async () => {
    const seeded = await seed(150);
    tg.setLatency("sendMessage", 3);
    const [a, b] = await Promise.all([
      digestCli(["--send", "--json"]).done,
      digestCli(["--send", "--json"]).done,
    ]);
    expect(a.code, a.stderr).toBe(0);
    expect(b.code, b.stderr).toBe(0);
    const total = expectExactlyOnce(seeded);
    const sentA = JSON.parse(a.stdout).messagesSent as number;
    const sentB = JSON.parse(b.stdout).messagesSent as number;
    expect(sentA + sentB).toBe(total);
  });

  it("killed in the middle of a run (SIGKILL), then started again: no duplicate and no gap", async () => {
    const seeded = await seed(150);
    const all = seeded.reduce((n, s) => n + expected(s).length, 0);
    // Paced (here 60 a second), so that exactly one message is in flight when the process dies.
    const run = digestCli(["--send"], { DIGEST_PACING: "60" });
    let sends = 0;
    const onRequest = (call: FakeCall) => {
      if (call.method !== "sendMessage") return;
      sends += 1;
      if (sends !== 70) return;
      // The process dies while this message is in flight, and Telegram never gets it.
      tg.failNext(
        "sendMessage",
        { drop: true },
        1,
        (p) => p.chat_id === call.payload.chat_id && p.text === call.payload.text,
      );
      run.child.kill("SIGKILL");
    };
    tg.events.on("request", onRequest);
    const killed = await run.done;
    tg.events.off("request", onRequest);
    expect(killed.signal).toBe("SIGKILL");
    const before = tg.sent().length;
    expect(before).toBe(69);
    expect(before).toBeLessThan(all);

    const again = await digestCli(["--send"]).done;
    expect(again.code, again.stderr).toBe(0);
    expect(again.stdout).not.toContain("busy in another process");
    expect(expectExactlyOnce(seeded)).toBe(all);
    expect(tg.sent().length).toBe(all);
  });
});
