import type { Translate } from "../answer/render.ts";
import type { KnowledgeBase } from "../knowledge/load.ts";
import { type Lang, TOPICS, type Topic } from "../knowledge/schema.ts";
import type { Cadence, Scope } from "./types.ts";

/** Days in the order people in Kazakhstan and Russia read a week: Monday first. */
export const WEEK_ORDER = [1, 2, 3, 4, 5, 6, 0] as const;

/** Topics offered to subscribe to: those with facts, in the schema's order ("people" is no subject). */
export function subscribableTopics(kb: KnowledgeBase): Topic[] {
  const present = new Set(kb.facts.map((fact) => fact.topic));
  return TOPICS.filter((topic) => topic !== "people" && present.has(topic));
}

export function describeScope(kb: KnowledgeBase, scope: Scope, lang: Lang, t: Translate): string {
  switch (scope.kind) {
    case "all":
      return t("subscribe.scope_all");
    case "event":
      return kb.eventsById.get(scope.eventId)?.name[lang] ?? t("subscribe.event_gone");
    case "topics":
      return t("subscribe.describe_topics", {
        topics: scope.topics.map((topic) => t(`subscribe.topic_${topic}`)).join(", "),
      });
  }
}

export function hourLabel(hour: number): string {
  return `${String(hour).padStart(2, "0")}:00`;
}

export function describeCadence(cadence: Cadence, t: Translate): string {
  if (cadence.kind === "new") return t("subscribe.describe_new");
  return t("subscribe.describe_weekly", {
    day: t(`subscribe.day_${cadence.day}`),
    time: hourLabel(cadence.hour),
  });
}

/** Three lines: what, how often, in which language (plain text; escape for HTML). */
export function describeSubscription(
  kb: KnowledgeBase,
  subscription: { scope: Scope; cadence: Cadence; lang: Lang },
  lang: Lang,
  t: Translate,
): string {
  return [
    `${t("subscribe.summary_scope")}: ${describeScope(kb, subscription.scope, lang, t)}`,
    `${t("subscribe.summary_cadence")}: ${describeCadence(subscription.cadence, t)}`,
    `${t("subscribe.summary_lang")}: ${t(`subscribe.lang_${subscription.lang}`)}`,
  ].join("\n");
}
