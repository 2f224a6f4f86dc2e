import type { Cadence, Scope, Subscription } from "../digest/types.ts";
import type { Lang, Topic } from "../knowledge/schema.ts";

/** PostgreSQL returns BIGINT as a string; SQLite returns numbers. */
type Num = string | number;
const int = (value: Num): number => Number(value);
const intOrNull = (value: Num | null): number | null => (value === null ? null : Number(value));

/** A row of the subscriptions table, as either database returns it. */
export interface SubscriptionRow {
  id: Num;
  user_id: Num;
  chat_id: Num;
  lang: Lang;
  scope_kind: Scope["kind"];
  scope_value: string;
  cadence: Cadence["kind"];
  weekday: number | null;
  hour: number | null;
  /** BOOLEAN in PostgreSQL, 0/1 in SQLite. */
  active: boolean | number;
  created_at: Num;
  updated_at: Num;
  last_slot_at: Num | null;
  deactivated_at: Num | null;
  deactivated_reason: string | null;
}

/** The scope as two columns; topics sorted, so that equal choices compare equal. */
export function scopeColumns(scope: Scope): [Scope["kind"], string] {
  switch (scope.kind) {
    case "all":
      return ["all", ""];
    case "event":
      return ["event", scope.eventId];
    case "topics":
      return ["topics", [...new Set(scope.topics)].sort().join(",")];
  }
}

export function toSubscription(row: SubscriptionRow): Subscription {
  const scope: Scope =
    row.scope_kind === "event"
      ? { kind: "event", eventId: row.scope_value }
      : row.scope_kind === "topics"
        ? { kind: "topics", topics: row.scope_value.split(",").filter(Boolean) as Topic[] }
        : { kind: "all" };
  const cadence: Cadence =
    row.cadence === "weekly"
      ? { kind: "weekly", day: row.weekday ?? 1, hour: row.hour ?? 9 }
      : { kind: "new" };
  return {
    id: int(row.id),
    userId: int(row.user_id),
    chatId: int(row.chat_id),
    lang: row.lang,
    scope,
    cadence,
    active: row.active === true || row.active === 1,
    createdAt: int(row.created_at),
    updatedAt: int(row.updated_at),
    lastSlotAt: intOrNull(row.last_slot_at),
    deactivatedAt: intOrNull(row.deactivated_at),
    deactivatedReason: row.deactivated_reason,
  };
}
