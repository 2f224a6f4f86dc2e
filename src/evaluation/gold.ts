import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { z } from "zod";
import { LANGS } from "../knowledge/schema.ts";

export const GOLD_DIR = new URL("../../tests/eval/gold/", import.meta.url).pathname;

export const goldQuestionSchema = z.object({
  q: z.string().min(1),
  lang: z.enum(LANGS),
  /** Fact ids that answer the question; empty when the knowledge base cannot. */
  expect: z.array(z.string()),
  kind: z.string().default("plain"),
});
export type GoldQuestion = z.infer<typeof goldQuestionSchema> & { file: string; line: number };

export function readGold(dir: string = GOLD_DIR): GoldQuestion[] {
  const questions: GoldQuestion[] = [];
  for (const file of readdirSync(dir)
    .filter((name) => name.endsWith(".jsonl"))
    .sort()) {
    const lines = readFileSync(join(dir, file), "utf8").split("\n");
    lines.forEach((text, index) => {
      if (!text.trim()) return;
      const parsed = goldQuestionSchema.parse(JSON.parse(text));
      questions.push({ ...parsed, file, line: index + 1 });
    });
  }
  return questions;
}
