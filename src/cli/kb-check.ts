import { DEFAULT_KNOWLEDGE_DIR, readKnowledgeBase } from "../knowledge/load.ts";
import { LANGS, TOPICS } from "../knowledge/schema.ts";

const dir = process.argv[2] ?? DEFAULT_KNOWLEDGE_DIR;
const { kb, problems } = readKnowledgeBase(dir);

function countBy<T>(items: T[], key: (item: T) => string): Map<string, number> {
  const counts = new Map<string, number>();
  for (const item of items) counts.set(key(item), (counts.get(key(item)) ?? 0) + 1);
  return counts;
}

const perSource = new Map<string, number>();
for (const fact of kb.facts) {
  for (const source of new Set(fact.citations.map((c) => c.source))) {
    perSource.set(source, (perSource.get(source) ?? 0) + 1);
  }
}
const perTopic = countBy(kb.facts, (fact) => fact.topic);
const perEvent = countBy(kb.facts, (fact) => fact.forum ?? "(none)");

console.log(
  `knowledge base: ${kb.sources.size} sources, ${kb.facts.length} facts, ${kb.events.length} events, ${kb.aliases.length} alias groups`,
);
console.log("facts per source:");
for (const id of kb.sources.keys()) console.log(`  ${id.padEnd(34)} ${perSource.get(id) ?? 0}`);
console.log("facts per topic:");
for (const topic of TOPICS) console.log(`  ${topic.padEnd(34)} ${perTopic.get(topic) ?? 0}`);
console.log("facts per forum or event:");
for (const [event, count] of [...perEvent].sort()) console.log(`  ${event.padEnd(34)} ${count}`);
console.log("per language:");
for (const lang of LANGS) {
  const answers = kb.facts.filter((fact) => fact.answer[lang]).length;
  const questions = kb.facts.reduce((sum, fact) => sum + fact.questions[lang].length, 0);
  console.log(`  ${lang}: ${answers} answers, ${questions} alternate questions`);
}

if (problems.length > 0) {
  console.error(`\n${problems.length} problem(s):`);
  for (const p of problems) console.error(`  ${p.file}  ${p.field}: ${p.message}`);
  process.exit(1);
}
console.log("\nkb:check passed");
