import { spawn } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { htmlToText } from "../../src/bot/html.ts";
import { confidentQuestion, expectedFirstMessage, i18n, knowledge } from "./bot-harness.ts";

const dataDir = mkdtempSync(join(tmpdir(), "bot-chat-"));
afterAll(() => rmSync(dataDir, { recursive: true, force: true }));

function chat(lines: string[]): Promise<{ code: number | null; stdout: string; stderr: string }> {
  const child = spawn(process.execPath, ["--import", "tsx", "src/cli/chat.ts"], {
    env: {
      PATH: process.env.PATH ?? "",
      HOME: process.env.HOME ?? "",
      DATA_DIR: dataDir,
      LANG: "C",
    },
    cwd: process.cwd(),
  });
  let stdout = "";
  let stderr = "";
  child.stdout.on("data", (chunk) => {
    stdout += chunk;
  });
  child.stderr.on("data", (chunk) => {
    stderr += chunk;
  });
  child.stdin.end(`${lines.join("\n")}\n`);
  return new Promise((resolve) => child.on("close", (code) => resolve({ code, stdout, stderr })));
}

const ru = i18n.t("ru");
const kk = i18n.t("kk");

describe("npm run chat", () => {
  it("runs the bot in the terminal: commands, questions in both languages, /lang by number", async () => {
    const kkQuestion = confidentQuestion("kk");
    const ruQuestion = confidentQuestion("ru");
    const { kb } = knowledge();
    const { code, stdout, stderr } = await chat([
      "/start",
      kkQuestion.question,
      "/lang",
      "2",
      ruQuestion.question,
      kkQuestion.question,
      "1",
    ]);
    expect(stderr).toBe("");
    expect(code).toBe(0);
    // Welcome in Russian (no Telegram language), example questions as numbered choices.
    expect(stdout).toContain(
      htmlToText(ru("start.welcome", { name: "", facts: "", sources: "" })).slice(0, 12),
    );
    expect(stdout).toMatch(/\n {2}\[1\] \S/);
    // The Kazakh question is answered in Kazakh, with its citation.
    expect(stdout).toContain(htmlToText(expectedFirstMessage(kkQuestion.question, "kk")));
    // /lang is asked in the language of the last message; "2" chooses Русский.
    expect(stdout).toContain(kk("lang.prompt"));
    expect(stdout).toContain("  [2] Русский");
    expect(stdout).toContain(ru("lang.set_ru"));
    // From now on, Russian: for the Russian question and for the Kazakh one.
    expect(stdout).toContain(htmlToText(expectedFirstMessage(ruQuestion.question, "ru")));
    const kkFactInRu = kb.factsById.get(kkQuestion.factId)?.answer.ru ?? "-";
    expect(stdout).toContain(kkFactInRu);
    // "1" presses 👍 under the last answer.
    expect(stdout).toContain(`💬 ${ru("feedback.thanks_up")}`);
  }, 30_000);

  it("keeps the language choice between runs (same DATA_DIR)", async () => {
    const kkQuestion = confidentQuestion("kk");
    const { stdout } = await chat([kkQuestion.question]);
    expect(stdout).toContain(htmlToText(expectedFirstMessage(kkQuestion.question, "ru")));
  }, 30_000);
});
