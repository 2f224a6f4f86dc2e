/**
 * Production smoke test, run by .ci/run: the app from a production install — a copy of what the
 * Dockerfile copies, installed with `npm ci --omit=dev` — started the way the image starts it
 * (`node --import tsx src/main.ts`) against the fake Bot API server. Checks that no dev
 * dependency or test file is needed at run time, that the image's health check command passes,
 * that /metrics answers and a question is answered, and that SIGTERM stops it with exit code 0.
 *
 *   npx tsx tests/smoke/production.ts <app dir>
 */
import { spawn, spawnSync } from "node:child_process";
import { existsSync, mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { FakeTelegram } from "../e2e/fake-telegram/server.ts";

const TOKEN = "987654321:AAEfakeTokenForProductionSmoke_012345";

function fail(message: string): never {
  console.error(`production smoke: FAILED: ${message}`);
  process.exit(1);
}

async function main(): Promise<void> {
  const appDir = resolve(process.argv[2] ?? fail("usage: production.ts <app dir>"));
  if (!existsSync(join(appDir, "node_modules", "tsx"))) fail(`${appDir}: no production install`);
  for (const dev of ["vitest", "@biomejs/biome", "@types/node"]) {
    if (existsSync(join(appDir, "node_modules", dev))) fail(`${dev} is installed: not --omit=dev`);
  }
  if (existsSync(join(appDir, "tests"))) fail(`${appDir} has tests/: the image does not`);

  const tg = await FakeTelegram.start({ token: TOKEN, defaultLanguageCode: "ru" });
  const dataDir = mkdtempSync(join(tmpdir(), "bot-smoke-"));
  const child = spawn(process.execPath, ["--import", "tsx", "src/main.ts"], {
    cwd: appDir,
    env: {
      PATH: process.env.PATH ?? "",
      HOME: process.env.HOME ?? "",
      NODE_ENV: "production",
      BOT_TOKEN: TOKEN,
      TELEGRAM_API_ROOT: tg.apiRoot,
      DATA_DIR: dataDir,
      PORT: "0",
      LOG_LEVEL: "info",
      DIGEST_PACING: "off",
    },
  });
  let stderr = "";
  child.stderr.on("data", (chunk) => {
    stderr += chunk;
  });
  const exited = new Promise<number | null>((done) => child.on("close", (code) => done(code)));
  const timeout = setTimeout(() => {
    child.kill("SIGKILL");
    fail(`timed out; the app's log:\n${stderr}`);
  }, 60_000);

  try {
    // The app logs its port (PORT=0: any free one) once it takes updates.
    let port = 0;
    while (port === 0) {
      const match = /http on port (\d+)/.exec(stderr);
      if (match) port = Number(match[1]);
      else if (child.exitCode !== null) fail(`the app exited (${child.exitCode}):\n${stderr}`);
      else await new Promise((r) => setTimeout(r, 50));
    }
    const healthcheck = (): number | null =>
      spawnSync(process.execPath, ["src/ops/healthcheck.mjs"], {
        cwd: appDir,
        env: { PATH: process.env.PATH ?? "", PORT: String(port) },
      }).status;
    if (healthcheck() !== 0) fail(`the health check failed:\n${stderr}`);

    tg.message(4242, "Какой был товарооборот в 2018 году?");
    const reply = await tg.waitFor("sendMessage", { timeoutMs: 15_000 });
    if (!reply.response?.ok) fail(`the reply was refused: ${JSON.stringify(reply.response)}`);
    const metrics = await (await fetch(`http://127.0.0.1:${port}/metrics`)).text();
    if (!/^bot_updates_total\{type="message"\} 1$/m.test(metrics)) {
      fail(`/metrics did not count the update:\n${metrics}`);
    }

    child.kill("SIGTERM");
    const code = await exited;
    if (code !== 0) fail(`exit code ${code} after SIGTERM:\n${stderr}`);
    if (!stderr.includes('"msg":"bot stopped"')) fail(`no "bot stopped" in the log:\n${stderr}`);
    if (stderr.includes(TOKEN.split(":")[1] ?? "-")) fail("the token is in the log");
    if (healthcheck() === 0) fail("the health check passes after the app stopped");
    console.log(
      `production smoke: ok (production install, health check, answer, /metrics, SIGTERM → 0; port ${port})`,
    );
  } finally {
    clearTimeout(timeout);
    if (child.exitCode === null) child.kill("SIGKILL");
    await tg.close();
    rmSync(dataDir, { recursive: true, force: true });
  }
}

main().catch((error: unknown) => fail(error instanceof Error ? error.message : String(error)));
