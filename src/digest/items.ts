import type { KnowledgeBase } from "../knowledge/load.ts";
import type { EventRecord, Fact } from "../knowledge/schema.ts";
import { latestWeeklySlot } from "./schedule.ts";
import type { Scope, Subscription } from "./types.ts";

/** A digest item is a fact; its id is the fact's id. */
export function matchesScope(fact: Fact, scope: Scope): boolean {
  switch (scope.kind) {
    case "all":
      return true;
    case "event":
      return fact.forum === scope.eventId;
    case "topics":
      return (scope.topics as string[]).includes(fact.topic);
  }
}

/** The facts a scope covers, in knowledge-base order. */
export function itemsOfScope(kb: KnowledgeBase, scope: Scope): Fact[] {
  return kb.facts.filter((fact) => matchesScope(fact, scope));
}

/**
 * Events newest first: by date, then by year, then later in the registry first. An event
 * without date or year counts as older than any dated one.
 */
export function eventsNewestFirst(kb: KnowledgeBase): EventRecord[] {
  const index = new Map(kb.events.map((event, i) => [event.id, i]));
  const year = (e: EventRecord) => e.year ?? (e.date ? Number(e.date.slice(0, 4)) : null);
  return [...kb.events].sort((a, b) => {
    const ya = year(a);
    const yb = year(b);
    if (ya !== yb) {
      if (ya === null) return 1;
      if (yb === null) return -1;
      return yb - ya;
    }
    if (a.date && b.date && a.date !== b.date) return a.date < b.date ? 1 : -1;
    if (Boolean(a.date) !== Boolean(b.date)) return a.date ? -1 : 1;
    return (index.get(b.id) ?? 0) - (index.get(a.id) ?? 0);
  });
}

/**
 * What a new subscriber gets at once: the card of the most recent event matching the choice
 * (for topics: that event's facts of those topics). Empty when nothing matches.
 */
export function latestDigestItems(kb: KnowledgeBase, scope: Scope): string[] {
  const matching = itemsOfScope(kb, scope);
  if (scope.kind === "event") return matching.map((fact) => fact.id);
  for (const event of eventsNewestFirst(kb)) {
    const ofEvent = matching.filter((fact) => fact.forum === event.id);
    if (ofEvent.length > 0) return ofEvent.map((fact) => fact.id);
  }
  return matching.filter((fact) => !fact.forum).map((fact) => fact.id);
}

/**
 * Pending items of a subscription: matching facts first seen after it was created and not yet
 * in the chat's delivery log (a chat with overlapping subscriptions gets an item once).
 */
export function pendingItems(
  kb: KnowledgeBase,
  subscription: Pick<Subscription, "scope" | "createdAt">,
  firstSeen: ReadonlyMap<string, number>,
  logged: ReadonlySet<string>,
): string[] {
  return itemsOfScope(kb, subscription.scope)
    .filter((fact) => {
      const seen = firstSeen.get(fact.id);
      return seen !== undefined && seen > subscription.createdAt && !logged.has(fact.id);
    })
    .map((fact) => fact.id);
}

export type DueState = { due: false } | { due: true; slotAt: number | null };

/**
 * Whether a subscription should get an edition now. "new": whenever something is pending
 * (decided by the caller). "weekly": when the latest slot is after both its creation and the
 * last slot handled.
 */
export function weeklyDue(subscription: Subscription, now: number, timeZone: string): DueState {
  if (subscription.cadence.kind !== "weekly") return { due: true, slotAt: null };
  const slot = latestWeeklySlot(now, subscription.cadence.day, subscription.cadence.hour, timeZone);
  const after = Math.max(subscription.createdAt, subscription.lastSlotAt ?? 0);
  return slot > after ? { due: true, slotAt: slot } : { due: false };
}
