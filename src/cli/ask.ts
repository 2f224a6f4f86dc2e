import { createInterface } from "node:readline";
import { createAnswerEngine } from "../answer/engine.ts";
import { answerToJson, renderText } from "../answer/render.ts";
import { createI18n } from "../bot/i18n.ts";
import { loadKnowledgeBase } from "../knowledge/load.ts";
import { LANGS, type Lang } from "../knowledge/schema.ts";

const USAGE = `usage: npm run ask -- [--json] [--lang kk|ru] "question"
       npm run ask -- --json < questions.jsonl   (one {"q": "...", "lang": "kk"} per line)`;

function parseArgs(argv: string[]) {
  let json = false;
  let lang: Lang | undefined;
  const words: string[] = [];
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i] as string;
    if (arg === "--json") json = true;
    else if (arg === "--lang") {
      const value = argv[++i];
      if (!LANGS.includes(value as Lang)) throw new Error(`--lang takes kk or ru\n${USAGE}`);
      lang = value as Lang;
    } else if (arg === "--help" || arg === "-h") {
      console.log(USAGE);
      process.exit(0);
    } else words.push(arg);
  }
  return { json, lang, question: words.join(" ").trim() };
}

async function main() {
  const { json, lang, question } = parseArgs(process.argv.slice(2));
  const kb = loadKnowledgeBase();
  const engine = createAnswerEngine(kb);
  const i18n = createI18n();
  const reply = (q: string, asked?: Lang) => {
    const answer = engine.ask(q, { lang: asked });
    const t = i18n.t(answer.lang);
    return json ? JSON.stringify(answerToJson(answer, t)) : renderText(answer, kb, t);
  };

  if (question) {
    console.log(reply(question, lang));
    return;
  }
  if (!json) {
    console.error(USAGE);
    process.exit(2);
  }
  const lines = createInterface({ input: process.stdin, crlfDelay: Number.POSITIVE_INFINITY });
  for await (const line of lines) {
    if (!line.trim()) continue;
    let input: { q?: unknown; lang?: unknown };
    try {
      input = JSON.parse(line);
    } catch {
      console.log(JSON.stringify({ error: 'each line must be a JSON object like {"q": "..."}' }));
      continue;
    }
    if (typeof input.q !== "string" || !input.q.trim()) {
      console.log(JSON.stringify({ error: 'missing "q"' }));
      continue;
    }
    const asked = LANGS.includes(input.lang as Lang) ? (input.lang as Lang) : lang;
    console.log(reply(input.q, asked));
  }
}

main().catch((error: unknown) => {
  console.error(error instanceof Error ? error.message : String(error));
  process.exit(1);
});
