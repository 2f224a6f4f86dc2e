import { spawnSync } from "node:child_process";
import { describe, expect, it } from "vitest";

function ask(args: string[], input?: string) {
  return spawnSync(process.execPath, ["--import", "tsx", "src/cli/ask.ts", ...args], {
    encoding: "utf8",
    input,
    timeout: 30_000,
  });
}

describe("npm run ask", () => {
  it("prints the reply as a user reads it", () => {
    const run = ask(["Келесі форум қай қалада өтеді?"]);
    expect(run.status).toBe(0);
    expect(run.stdout).toMatch(/Көкшетау/);
    expect(run.stdout).toMatch(/📰 kremlin\.ru/);
    expect(run.stdout).not.toMatch(/<\/?[bia]>/);
  });

  it("answers JSON in the language asked for", () => {
    const run = ask(["--json", "--lang", "kk", "товарооборот 2018"]);
    expect(run.status).toBe(0);
    const reply = JSON.parse(run.stdout);
    expect(reply.lang).toBe("kk");
    expect(reply.answered).toBe(true);
    expect(reply.factIds).toContain("xvi.trade.turnover-2018-putin");
  });

  it("reads JSON Lines from standard input and answers each line, a bad line included", () => {
    const input = [
      JSON.stringify({ q: "сколько казахстанцев учится в России" }),
      "not json",
      JSON.stringify({ q: "Келесі форум қай қалада өтеді?", lang: "ru" }),
      "",
    ].join("\n");
    const run = ask(["--json"], input);
    expect(run.status).toBe(0);
    const lines = run.stdout
      .trim()
      .split("\n")
      .map((line) => JSON.parse(line));
    expect(lines).toHaveLength(3);
    expect(lines[0].lang).toBe("ru");
    expect(lines[1].error).toMatch(/JSON/);
    expect(lines[2].lang).toBe("ru");
    expect(lines[2].answer).toMatch(/Кокшетау/);
  });

  it("rejects a bad --lang with usage", () => {
    const run = ask(["--lang", "en", "вопрос"]);
    expect(run.status).toBe(1);
    expect(run.stderr).toMatch(/--lang takes kk or ru/);
  });
});
