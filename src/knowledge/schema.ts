import { z } from "zod";

export const LANGS = ["kk", "ru"] as const;
export type Lang = (typeof LANGS)[number];

export const TOPICS = [
  "trade",
  "investment",
  "energy",
  "industry",
  "transport",
  "agriculture",
  "education",
  "culture",
  "youth",
  "ecology",
  "tourism",
  "documents",
  "cis",
  "people",
] as const;
export type Topic = (typeof TOPICS)[number];

const id = z
  .string()
  .regex(/^[a-z0-9]+(?:[-.][a-z0-9]+)*$/, "ids are lower-case latin words joined by - or .");
const text = z.string().trim().min(1);
const bilingual = z.strictObject({ kk: text, ru: text });
const isoDate = z.string().regex(/^\d{4}-\d{2}-\d{2}$/, "dates are YYYY-MM-DD");

export const sourceSchema = z.strictObject({
  id,
  language: z.enum(LANGS),
  outlet: text.nullable(),
  /** Whom the outlet cites ("со ссылкой на Акорду"), when the article says so. */
  via: bilingual.nullable(),
  title: text.nullable(),
  author: text.nullable(),
  date: isoDate.nullable(),
  url: z.url().nullable(),
  /** File name, beside the record, holding the article text as published. */
  text: z.string().regex(/^[\w.-]+\.txt$/),
});
export type SourceRecord = z.infer<typeof sourceSchema>;

const questionList = z.array(text).min(3, "at least three alternate questions");

export const factSchema = z.strictObject({
  id,
  topic: z.enum(TOPICS),
  forum: id.optional(),
  /**
   * Facts that answer the same question with different content (two speakers' figures)
   * share a group, so that an answer can give them side by side.
   */
  group: id.optional(),
  /** Rank among the example questions of the welcome and of "I don't know" (1 first). */
  featured: z.number().int().positive().optional(),
  answer: bilingual,
  questions: z.strictObject({ kk: questionList, ru: questionList }),
  keywords: z.array(text).min(1),
  citations: z
    .array(
      z.strictObject({
        source: id,
        quote: z.string().trim().min(20, "a quote has at least 20 characters"),
      }),
    )
    .min(1),
});
export type Fact = z.infer<typeof factSchema>;

export const factFileSchema = z.strictObject({ facts: z.array(factSchema).min(1) });

export const EVENT_KINDS = ["forum", "meeting", "summit"] as const;

export const eventSchema = z.strictObject({
  id,
  kind: z.enum(EVENT_KINDS),
  status: z.enum(["held", "proposed"]),
  /** Ordinal of an interregional forum, when the articles give it. */
  number: z.number().int().positive().nullable(),
  year: z.number().int().min(1991).max(2100).nullable(),
  date: isoDate.nullable(),
  city: bilingual.nullable(),
  name: bilingual,
  theme: bilingual.nullable(),
  participants: z.strictObject({ kk: z.array(text), ru: z.array(text) }),
  sources: z.array(id).min(1),
});
export type EventRecord = z.infer<typeof eventSchema>;
export const eventFileSchema = z.strictObject({ events: z.array(eventSchema).min(1) });

export const ALIAS_KINDS = ["place", "city", "person", "organization", "term"] as const;
export const aliasSchema = z.strictObject({
  id,
  kind: z.enum(ALIAS_KINDS),
  kk: z.array(text).min(1),
  ru: z.array(text).min(1),
  /** Latin spellings and other transliterations people type. */
  other: z.array(text).default([]),
});
export type AliasRecord = z.infer<typeof aliasSchema>;
export const aliasFileSchema = z.strictObject({ aliases: z.array(aliasSchema).min(1) });
