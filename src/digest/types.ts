import type { Lang, Topic } from "../knowledge/schema.ts";

/** What a subscription follows: every forum and meeting, one of them, or a set of topics. */
export type Scope =
  | { kind: "all" }
  | { kind: "event"; eventId: string }
  | { kind: "topics"; topics: Topic[] };

/** How often: as soon as new material arrives, or weekly on a day (0 = Sunday) and hour in DIGEST_TZ. */
export type Cadence = { kind: "new" } | { kind: "weekly"; day: number; hour: number };

export interface Subscription {
  id: number;
  /** Who subscribed. */
  userId: number;
  /** Where digests go (the user's private chat, or a group). */
  chatId: number;
  lang: Lang;
  scope: Scope;
  cadence: Cadence;
  active: boolean;
  createdAt: number;
  updatedAt: number;
  /** The last weekly slot handled (sent, or found with nothing new), ms. */
  lastSlotAt: number | null;
  deactivatedAt: number | null;
  /** "unsubscribed", or why Telegram refused delivery ("blocked: Forbidden: bot was blocked by the user"). */
  deactivatedReason: string | null;
}

/** An edition: the items and message parts composed once for one subscription, then sent. */
export type EditionKind = "first" | "new" | "weekly";
