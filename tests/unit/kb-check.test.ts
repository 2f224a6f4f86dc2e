import { spawnSync } from "node:child_process";
import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { parse, stringify } from "yaml";
import { DEFAULT_KNOWLEDGE_DIR, readKnowledgeBase } from "../../src/knowledge/load.ts";

const dirs: string[] = [];
afterEach(() => {
  for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
});

/** A copy of the real knowledge base with one fact file rewritten by `mutate`. */
function brokenCopy(file: string, mutate: (facts: Record<string, unknown>[]) => void): string {
  const root = mkdtempSync(join(tmpdir(), "kb-check-"));
  dirs.push(root);
  const dir = join(root, "knowledge");
  cpSync(DEFAULT_KNOWLEDGE_DIR, dir, { recursive: true });
  const path = join(dir, "facts", file);
  const doc = parse(readFileSync(path, "utf8")) as { facts: Record<string, unknown>[] };
  mutate(doc.facts);
  writeFileSync(path, stringify(doc));
  return dir;
}

describe("kb:check", () => {
  it("passes on the knowledge base as committed", () => {
    const { kb, problems } = readKnowledgeBase();
    expect(problems).toEqual([]);
    expect(kb.facts.length).toBeGreaterThan(100);
    expect(kb.sources.size).toBe(5);
  });

  it("rejects a quote that is not verbatim in its source", () => {
    const dir = brokenCopy("cis-summit.yaml", (facts) => {
      const citations = facts[0]?.citations as { quote: string }[];
      (citations[0] as { quote: string }).quote += " (and something the article never said)";
    });
    const { problems } = readKnowledgeBase(dir);
    expect(problems).toHaveLength(1);
    expect(problems[0]).toMatchObject({
      file: "knowledge/facts/cis-summit.yaml",
      field: "facts[0].citations[0].quote",
    });
    expect(problems[0]?.message).toMatch(/not found verbatim/);
  });

  it("rejects a duplicate id", () => {
    const dir = brokenCopy("sochi-meeting.yaml", (facts) => {
      (facts[1] as { id: string }).id = (facts[0] as { id: string }).id;
    });
    const { problems } = readKnowledgeBase(dir);
    expect(problems).toHaveLength(1);
    expect(problems[0]).toMatchObject({
      file: "knowledge/facts/sochi-meeting.yaml",
      field: "facts[1].id",
    });
    expect(problems[0]?.message).toMatch(/duplicate fact id/);
  });

  it("rejects a missing translation and too few alternate questions", () => {
    const dir = brokenCopy("xviii-orenburg.yaml", (facts) => {
      const [, , third, fourth] = facts as [
        unknown,
        unknown,
        { answer: Record<string, string> },
        { questions: Record<string, string[]> },
      ];
      delete third.answer.ru;
      fourth.questions.kk?.splice(1);
    });
    const { problems } = readKnowledgeBase(dir);
    const fields = problems.map((p) => `${p.file} ${p.field}`);
    expect(fields).toContain("knowledge/facts/xviii-orenburg.yaml facts[2].answer.ru");
    expect(fields).toContain("knowledge/facts/xviii-orenburg.yaml facts[3].questions.kk");
  });

  it("exits non-zero from the command line, naming the file and field", () => {
    const dir = brokenCopy("cis-summit.yaml", (facts) => {
      (facts[0] as { forum: string }).forum = "forum-that-never-was";
    });
    const run = spawnSync(process.execPath, ["--import", "tsx", "src/cli/kb-check.ts", dir], {
      encoding: "utf8",
    });
    expect(run.status).toBe(1);
    expect(run.stderr).toContain(
      "knowledge/facts/cis-summit.yaml  facts[0].forum: unknown forum or event",
    );
    expect(run.stdout).toContain("facts per source:");
  });
});
