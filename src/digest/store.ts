import type { Lang } from "../knowledge/schema.ts";
import type { Cadence, EditionKind, Scope, Subscription } from "./types.ts";

export interface NewSubscription {
  userId: number;
  chatId: number;
  lang: Lang;
  scope: Scope;
  cadence: Cadence;
}

export interface SubscriptionPatch {
  lang?: Lang;
  cadence?: Cadence;
}

/** An edition composed and ready to queue: its items and its message parts, in order. */
export interface EditionDraft {
  subscriptionId: number;
  userId: number;
  chatId: number;
  kind: EditionKind;
  itemIds: string[];
  parts: string[];
  /** For weekly editions: the slot this edition answers (recorded as the subscription's last). */
  slotAt: number | null;
}

export type InsertEditionResult =
  | { inserted: true; editionId: number }
  /** Some items were queued for this chat meanwhile: nothing was written; compose again. */
  | { inserted: false; alreadyLogged: string[] };

/** One message of an edition waiting to be sent (or being sent when a process died). */
export interface OutboxMessage {
  id: number;
  editionId: number;
  subscriptionId: number;
  chatId: number;
  part: number;
  parts: number;
  text: string;
  attempts: number;
}

export interface DigestStats {
  activeSubscriptions: number;
  /** Chats with at least one active subscription. */
  subscribers: number;
  byScope: { all: number; event: Record<string, number>; topics: Record<string, number> };
  byCadence: { new: number; weekly: number };
  byLang: Record<Lang, number>;
  deactivated: { unsubscribed: number; unreachable: number };
  /** Messages sent, overall and over the last seven days. */
  messagesSent: number;
  messagesSentWeek: number;
  /** Items delivered (all parts of their edition sent). */
  itemsDelivered: number;
  itemsDeliveredWeek: number;
  /** Messages waiting (also those that failed for now and wait for the next run). */
  pending: number;
  /** Of those, how many have failed at least once. */
  retrying: number;
  /** Messages Telegram refused for good (400), and editions cancelled for a blocked chat. */
  failed: number;
  cancelled: number;
}

/**
 * Everything digests persist: the items seen in the knowledge base, subscriptions, editions
 * and their outbox, the delivery log and the per-chat leases. Asynchronous, so that a
 * PostgreSQL implementation fits the same interface.
 *
 * Exactly-once rests on three rules the implementation must keep:
 * - `insertEdition` writes the edition, its outbox messages and the delivery log rows in one
 *   transaction, and refuses when any item is already in the chat's log;
 * - an outbox message is only ever marked sent after Telegram confirmed it;
 * - only the holder of a chat's lease sends to that chat or composes for it.
 */
export interface DigestStore {
  /** Records items not seen before with `now` as their first sighting; returns how many were new. */
  syncItems(itemIds: readonly string[], now: number): Promise<number>;
  /** When each item was first seen. */
  itemsFirstSeen(): Promise<Map<string, number>>;

  createSubscription(input: NewSubscription, now: number): Promise<Subscription>;
  getSubscription(id: number): Promise<Subscription | null>;
  /** A chat's subscriptions, oldest first (active only unless told). */
  chatSubscriptions(
    chatId: number,
    options?: { includeInactive?: boolean },
  ): Promise<Subscription[]>;
  activeSubscriptions(): Promise<Subscription[]>;
  /** Changing the cadence restarts the weekly count from `now`. */
  updateSubscription(
    id: number,
    patch: SubscriptionPatch,
    now: number,
  ): Promise<Subscription | null>;
  /** Deactivates one subscription; returns false if it was not active. */
  deactivateSubscription(id: number, reason: string, now: number): Promise<boolean>;
  /**
   * Telegram refused the chat for good: deactivates all its subscriptions, cancels its waiting
   * messages and frees their items. Returns how many subscriptions were deactivated.
   */
  deactivateChat(chatId: number, reason: string, now: number): Promise<number>;
  /** Records that a weekly slot was handled without an edition (nothing new). */
  markSlot(subscriptionId: number, slotAt: number): Promise<void>;

  /** Item ids in the chat's delivery log (queued or delivered). */
  loggedItems(chatId: number): Promise<Set<string>>;
  insertEdition(draft: EditionDraft, now: number): Promise<InsertEditionResult>;

  /** Chats with messages waiting. */
  chatsWithPendingMessages(): Promise<number[]>;
  /** The chat's waiting messages, oldest edition first, parts in order. */
  pendingMessages(chatId: number): Promise<OutboxMessage[]>;
  /** Telegram confirmed: marks it sent; when it was the edition's last, its items delivered. */
  markSent(outboxId: number, messageId: number, now: number): Promise<void>;
  /** A failed attempt that will be retried (this run or the next). */
  markAttempt(outboxId: number, error: string, now: number): Promise<void>;
  /** Telegram refused this message for good (a 400): it will not be retried. */
  markFailed(outboxId: number, error: string, now: number): Promise<void>;

  /** Takes the chat's lease if free, expired or already ours; true when taken. */
  claimLease(chatId: number, owner: string, now: number, ttlMs: number): Promise<boolean>;
  /** Extends our lease; false if it is no longer ours (it expired and someone took it). */
  renewLease(chatId: number, owner: string, now: number, ttlMs: number): Promise<boolean>;
  releaseLease(chatId: number, owner: string): Promise<void>;
  /** Leases currently recorded (live or expired). */
  leases(): Promise<{ chatId: number; owner: string; expiresAt: number }[]>;

  /** Deletes the user's subscriptions and the log of their private chat (/forget). */
  forgetUser(userId: number): Promise<void>;
  stats(now: number): Promise<DigestStats>;
}
