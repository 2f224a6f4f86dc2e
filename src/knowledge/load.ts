import { readdirSync, readFileSync } from "node:fs";
import { join, relative } from "node:path";
import { parse } from "yaml";
import type { z } from "zod";
import {
  type AliasRecord,
  aliasFileSchema,
  type EventRecord,
  eventFileSchema,
  type Fact,
  factFileSchema,
  LANGS,
  type SourceRecord,
  sourceSchema,
} from "./schema.ts";

export interface Source extends SourceRecord {
  /** The article text as published. */
  body: string;
}

export interface KnowledgeBase {
  sources: Map<string, Source>;
  facts: Fact[];
  factsById: Map<string, Fact>;
  events: EventRecord[];
  eventsById: Map<string, EventRecord>;
  aliases: AliasRecord[];
}

/** One rule the knowledge base breaks, located well enough for a curator to fix it. */
export interface Problem {
  file: string;
  field: string;
  message: string;
}

export const DEFAULT_KNOWLEDGE_DIR = new URL("../../knowledge/", import.meta.url).pathname;

/** Whitespace differences (line breaks, doubled spaces) do not make a quote unfaithful. */
export function squashSpaces(text: string): string {
  return text.replace(/\s+/g, " ").trim();
}

export function quoteIsVerbatim(quote: string, body: string): boolean {
  return squashSpaces(body).includes(squashSpaces(quote));
}

function yamlFiles(dir: string): string[] {
  return readdirSync(dir)
    .filter((name) => name.endsWith(".yaml") || name.endsWith(".yml"))
    .sort()
    .map((name) => join(dir, name));
}

function fieldPath(path: ReadonlyArray<PropertyKey>): string {
  return path
    .map((part) => (typeof part === "number" ? `[${part}]` : `.${String(part)}`))
    .join("")
    .replace(/^\./, "");
}

/**
 * Reads the knowledge base and collects every rule it breaks instead of stopping at the
 * first, so that a curator sees all of them at once.
 */
export function readKnowledgeBase(dir: string = DEFAULT_KNOWLEDGE_DIR): {
  kb: KnowledgeBase;
  problems: Problem[];
} {
  const problems: Problem[] = [];
  const rel = (file: string) => relative(join(dir, ".."), file);

  function parseFile<S extends z.ZodType>(file: string, schema: S): z.infer<S> | undefined {
    let raw: unknown;
    try {
      raw = parse(readFileSync(file, "utf8"));
    } catch (error) {
      problems.push({
        file: rel(file),
        field: "(file)",
        message: `not valid YAML: ${(error as Error).message}`,
      });
      return undefined;
    }
    const result = schema.safeParse(raw);
    if (!result.success) {
      for (const issue of result.error.issues) {
        problems.push({
          file: rel(file),
          field: fieldPath(issue.path) || "(root)",
          message: issue.message,
        });
      }
      return undefined;
    }
    return result.data;
  }

  const sources = new Map<string, Source>();
  const sourcesDir = join(dir, "sources");
  for (const file of yamlFiles(sourcesDir)) {
    const record = parseFile(file, sourceSchema);
    if (!record) continue;
    if (sources.has(record.id)) {
      problems.push({
        file: rel(file),
        field: "id",
        message: `duplicate source id "${record.id}"`,
      });
      continue;
    }
    let body: string;
    try {
      body = readFileSync(join(sourcesDir, record.text), "utf8");
    } catch {
      problems.push({
        file: rel(file),
        field: "text",
        message: `text file ${record.text} is missing`,
      });
      continue;
    }
    sources.set(record.id, { ...record, body });
  }

  const events: EventRecord[] = [];
  const eventsById = new Map<string, EventRecord>();
  const eventFile = join(dir, "forums.yaml");
  for (const [index, event] of (parseFile(eventFile, eventFileSchema)?.events ?? []).entries()) {
    if (eventsById.has(event.id)) {
      problems.push({
        file: rel(eventFile),
        field: `events[${index}].id`,
        message: `duplicate event id "${event.id}"`,
      });
      continue;
    }
    for (const source of event.sources) {
      if (!sources.has(source)) {
        problems.push({
          file: rel(eventFile),
          field: `events[${index}].sources`,
          message: `unknown source "${source}"`,
        });
      }
    }
    events.push(event);
    eventsById.set(event.id, event);
  }

  const aliasFile = join(dir, "aliases.yaml");
  const aliases = parseFile(aliasFile, aliasFileSchema)?.aliases ?? [];
  const aliasIds = new Set<string>();
  for (const [index, alias] of aliases.entries()) {
    if (aliasIds.has(alias.id)) {
      problems.push({
        file: rel(aliasFile),
        field: `aliases[${index}].id`,
        message: `duplicate alias id "${alias.id}"`,
      });
    }
    aliasIds.add(alias.id);
  }

  const facts: Fact[] = [];
  const factsById = new Map<string, Fact>();
  for (const file of yamlFiles(join(dir, "facts"))) {
    const parsed = parseFile(file, factFileSchema);
    if (!parsed) continue;
    for (const [index, fact] of parsed.facts.entries()) {
      const at = (field: string) => ({ file: rel(file), field: `facts[${index}]${field}` });
      if (factsById.has(fact.id)) {
        problems.push({ ...at(".id"), message: `duplicate fact id "${fact.id}"` });
        continue;
      }
      if (fact.forum && !eventsById.has(fact.forum)) {
        problems.push({ ...at(".forum"), message: `unknown forum or event "${fact.forum}"` });
      }
      for (const lang of LANGS) {
        const seen = new Set<string>();
        for (const [q, question] of fact.questions[lang].entries()) {
          const key = squashSpaces(question.toLowerCase());
          if (seen.has(key))
            problems.push({ ...at(`.questions.${lang}[${q}]`), message: "repeated question" });
          seen.add(key);
        }
      }
      for (const [c, citation] of fact.citations.entries()) {
        const source = sources.get(citation.source);
        if (!source) {
          problems.push({
            ...at(`.citations[${c}].source`),
            message: `unknown source "${citation.source}"`,
          });
        } else if (!quoteIsVerbatim(citation.quote, source.body)) {
          problems.push({
            ...at(`.citations[${c}].quote`),
            message: `quote not found verbatim in ${source.id}: "${citation.quote.slice(0, 60)}…"`,
          });
        }
      }
      facts.push(fact);
      factsById.set(fact.id, fact);
    }
  }

  const cited = new Set(facts.flatMap((fact) => fact.citations.map((c) => c.source)));
  for (const source of sources.values()) {
    if (!cited.has(source.id)) {
      problems.push({
        file: `knowledge/sources/${source.id}.yaml`,
        field: "id",
        message: "no fact cites this article",
      });
    }
  }

  return { kb: { sources, facts, factsById, events, eventsById, aliases }, problems };
}

/** Loads the knowledge base for serving; refuses one that breaks any rule. */
export function loadKnowledgeBase(dir: string = DEFAULT_KNOWLEDGE_DIR): KnowledgeBase {
  const { kb, problems } = readKnowledgeBase(dir);
  if (problems.length > 0) {
    const list = problems.slice(0, 10).map((p) => `${p.file} ${p.field}: ${p.message}`);
    throw new Error(`knowledge base has ${problems.length} problem(s):\n${list.join("\n")}`);
  }
  return kb;
}

export function factsOfEvent(kb: KnowledgeBase, eventId: string): Fact[] {
  return kb.facts.filter((fact) => fact.forum === eventId);
}
