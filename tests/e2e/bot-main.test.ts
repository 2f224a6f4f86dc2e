import { type ChildProcess, spawn } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { i18n, TOKEN } from "./bot-harness.ts";
import { FakeTelegram } from "./fake-telegram/server.ts";

interface Finished {
  code: number | null;
  stdout: string;
  stderr: string;
}

function startMain(env: Record<string, string>): { child: ChildProcess; done: Promise<Finished> } {
  const child = spawn(process.execPath, ["--import", "tsx", "src/main.ts"], {
    // PORT 0: the health and metrics server on any free port (8080 may be taken).
    env: { PATH: process.env.PATH ?? "", HOME: process.env.HOME ?? "", PORT: "0", ...env },
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
    child.on("close", (code) => resolve({ code, stdout, stderr }));
  });
  return { child, done };
}

const cleanups: (() => Promise<void> | void)[] = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

describe("npm start", () => {
  it.each([
    ["missing", { BOT_TOKEN: "" }, /BOT_TOKEN is not set/],
    ["malformed", { BOT_TOKEN: "not-a-token" }, /BOT_TOKEN does not look like a bot token/],
  ])("with a %s token prints one clear line and no stack trace", async (_, env, message) => {
    const { done } = startMain(env);
    const result = await done;
    expect(result.code).toBe(2);
    const lines = result.stderr.trim().split("\n");
    expect(lines).toHaveLength(1);
    expect(lines[0]).toMatch(message);
    expect(lines[0]).toContain("npm run chat");
    expect(result.stderr).not.toMatch(/\n\s+at /);
  });

  it("with a token Telegram refuses says so in one line", async () => {
    const tg = await FakeTelegram.start({ token: TOKEN });
    cleanups.push(() => tg.close());
    const other = "123456789:AAHsomeOtherTokenThatIsNotAccepted_0";
    const { done } = startMain({
      BOT_TOKEN: other,
      TELEGRAM_API_ROOT: tg.apiRoot,
      DATA_DIR: join(tmpdir(), "unused"),
    });
    const result = await done;
    expect(result.code).toBe(1);
    const lines = result.stderr.trim().split("\n");
    expect(lines).toHaveLength(1);
    expect(lines[0]).toMatch(/401.*check BOT_TOKEN.*npm run chat/);
    expect(result.stderr).not.toContain(other.split(":")[1]);
  });

  it("runs the bot from the environment, answers, and stops cleanly on SIGTERM", async () => {
    const tg = await FakeTelegram.start({ token: TOKEN });
    cleanups.push(() => tg.close());
    const dataDir = mkdtempSync(join(tmpdir(), "bot-main-"));
    cleanups.push(() => rmSync(dataDir, { recursive: true, force: true }));
    const { child, done } = startMain({
      BOT_TOKEN: TOKEN,
      TELEGRAM_API_ROOT: tg.apiRoot,
      DATA_DIR: dataDir,
      LOG_LEVEL: "debug",
    });
    cleanups.push(() => {
      if (child.exitCode === null) child.kill("SIGKILL");
    });
    // Queued before the bot polls: it gets the update with its first getUpdates.
    const since = tg.mark();
    tg.user(42, { languageCode: "kk" });
    tg.command(42, "help");
    const reply = await tg.waitFor("sendMessage", { since, timeoutMs: 20_000 });
    expect(tg.calls("deleteWebhook")).toHaveLength(1);
    expect(reply.payload.text).toBe(i18n.t("kk")("help.text", { bot: tg.botInfo.username }));
    child.kill("SIGTERM");
    const result = await done;
    expect(result.code).toBe(0);
    expect(result.stderr).toContain("bot stopped");
    expect(result.stderr + result.stdout).not.toContain(TOKEN.split(":")[1]);
    expect(tg.pendingUpdates()).toEqual([]);
  }, 30_000);
});
