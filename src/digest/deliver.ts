import { hostname } from "node:os";
import { type Api, GrammyError, HttpError } from "grammy";
import type { Translate } from "../answer/render.ts";
import type { KnowledgeBase } from "../knowledge/load.ts";
import type { Lang } from "../knowledge/schema.ts";
import { composeDigest } from "./compose.ts";
import { pendingItems, weeklyDue } from "./items.ts";
import { Pacer, type PacingOptions } from "./pacing.ts";
import { DEFAULT_DIGEST_TZ } from "./schedule.ts";
import type { DigestStore, OutboxMessage } from "./store.ts";
import type { Subscription } from "./types.ts";

export interface DigestLogger {
  debug(message: string, extra?: unknown): void;
  info(message: string, extra?: unknown): void;
  warn(message: string, extra?: unknown): void;
  error(message: string, extra?: unknown): void;
}

const quiet: DigestLogger = { debug() {}, info() {}, warn() {}, error() {} };

export interface RetryOptions {
  /** Attempts of one message on 5xx and network errors within a run, before leaving it for the next. */
  attempts: number;
  /** First backoff, ms; doubled after each failure. */
  baseDelayMs: number;
  /** 429s in a row for one message before leaving it for the next run. */
  maxRateLimited: number;
}

export const DEFAULT_RETRY: RetryOptions = { attempts: 4, baseDelayMs: 500, maxRateLimited: 10 };
/** A chat's lease; renewed before every message, so it only lapses if a process stalls or dies. */
export const DEFAULT_LEASE_MS = 120_000;

export interface DeliverOptions {
  store: DigestStore;
  /** A plain Api (no auto-retry: 429s and retries are handled here, with the pacing). */
  api: Api;
  kb: KnowledgeBase;
  /** Translator per language (digest.* keys). */
  t: (lang: Lang) => Translate;
  /** The time the schedule is judged at (tests pass a fixed one). Default: the clock. */
  now?: number;
  /** Telegram's limits; `false` turns pacing off. A Pacer instance is shared across runs. */
  pacing: Pacer | PacingOptions | false;
  /** Who holds the leases this run takes: unique per process. */
  leaseOwner: string;
  timeZone?: string;
  /** Chats worked on at once. */
  concurrency?: number;
  retry?: Partial<RetryOptions>;
  leaseMs?: number;
  logger?: DigestLogger;
  /** Only these chats (the first digest after /subscribe). */
  chats?: readonly number[];
  /** Skips the knowledge-base sync (done already by the caller). */
  skipSync?: boolean;
  /** Stops the run between two messages (shutdown); what is left waits for the next run. */
  signal?: AbortSignal;
}

export interface DeliveryReport {
  /** Items seen in the knowledge base for the first time by this run. */
  newItems: number;
  /** Chats looked at, and those skipped because another process holds them. */
  chats: number;
  lockedChats: number;
  editions: number;
  messagesSent: number;
  /** Weekly slots that found nothing new (nothing sent). */
  nothingNew: number;
  /** Messages Telegram refused for good (400). */
  failed: number;
  /** Chats deactivated after a 403 (blocked, deactivated, kicked). */
  deactivatedChats: number;
  /** Chats whose messages wait for the next run (5xx or network errors that persisted). */
  retryLater: number;
  rateLimited: number;
  durationMs: number;
}

export function emptyReport(): DeliveryReport {
  return {
    newItems: 0,
    chats: 0,
    lockedChats: 0,
    editions: 0,
    messagesSent: 0,
    nothingNew: 0,
    failed: 0,
    deactivatedChats: 0,
    retryLater: 0,
    rateLimited: 0,
    durationMs: 0,
  };
}

/** What a run would do for one subscription. */
export interface PlannedEdition {
  subscription: Subscription;
  kind: "new" | "weekly";
  slotAt: number | null;
  itemIds: string[];
}

/**
 * The editions due now for a chat's subscriptions, given the chat's delivery log. Items one
 * subscription takes are not offered to the next (a chat gets an item once).
 */
export function planChat(
  kb: KnowledgeBase,
  subscriptions: readonly Subscription[],
  firstSeen: ReadonlyMap<string, number>,
  logged: ReadonlySet<string>,
  now: number,
  timeZone: string,
): PlannedEdition[] {
  const taken = new Set(logged);
  const plans: PlannedEdition[] = [];
  for (const subscription of subscriptions) {
    if (!subscription.active) continue;
    const due = weeklyDue(subscription, now, timeZone);
    if (!due.due) continue;
    const itemIds = pendingItems(kb, subscription, firstSeen, taken);
    for (const id of itemIds) taken.add(id);
    const kind = subscription.cadence.kind === "weekly" ? "weekly" : "new";
    if (itemIds.length === 0 && kind === "new") continue;
    plans.push({ subscription, kind, slotAt: due.slotAt, itemIds });
  }
  return plans;
}

type SendOutcome = "sent" | "failed" | "unreachable" | "later";

const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

/** Lease owners are "host:pid:random" (see newLeaseOwner). */
export function leaseOwnerIsDead(owner: string, host: string = hostname()): boolean {
  const match = /^(.*):(\d+):[0-9a-f]+$/.exec(owner);
  if (!match || match[1] !== host) return false;
  const pid = Number(match[2]);
  if (pid === process.pid) return false;
  try {
    process.kill(pid, 0);
    return false;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === "ESRCH";
  }
}

/**
 * Frees the leases of processes on this host that no longer exist (killed mid-run), so that a
 * restart goes on at once instead of waiting for them to expire. Returns how many.
 */
export async function releaseDeadLeases(store: DigestStore): Promise<number> {
  let freed = 0;
  for (const lease of await store.leases()) {
    if (leaseOwnerIsDead(lease.owner)) {
      await store.releaseLease(lease.chatId, lease.owner);
      freed += 1;
    }
  }
  return freed;
}

/** Telegram will never deliver to this chat (until the user comes back). */
function unreachableReason(error: GrammyError): string | null {
  if (error.error_code === 403) return `blocked: ${error.description}`;
  if (
    error.error_code === 400 &&
    /chat not found|user is deactivated|peer_id_invalid|bot was kicked|not enough rights|group chat was upgraded/i.test(
      error.description,
    )
  ) {
    return `unreachable: ${error.description}`;
  }
  return null;
}

function describe(error: unknown): string {
  if (error instanceof GrammyError) return `${error.error_code} ${error.description}`;
  if (error instanceof HttpError) return `network: ${error.message}`;
  return error instanceof Error ? error.message : String(error);
}

/**
 * The one delivery path (the scheduler in the bot, `npm run digest -- --send`, /digest_now and
 * the first digest after /subscribe):
 *
 * 1. sync the knowledge base's items (new ids are "new material" from now on);
 * 2. for every chat with waiting messages or a due subscription, take the chat's lease (a
 *    conditional write: two processes never work on one chat), then
 * 3. send the chat's waiting messages, in order; then compose each due edition, queue it in one
 *    transaction (edition + outbox + delivery log) and send it.
 *
 * A message is marked sent only after Telegram confirmed it; one whose send failed stays
 * waiting and is sent again by a later run, never composed again.
 */
export async function deliverDue(options: DeliverOptions): Promise<DeliveryReport> {
  const started = Date.now();
  const report = emptyReport();
  const {
    store,
    api,
    kb,
    t,
    leaseOwner,
    timeZone = DEFAULT_DIGEST_TZ,
    concurrency = 64,
    leaseMs = DEFAULT_LEASE_MS,
    logger = quiet,
  } = options;
  const now = options.now ?? Date.now();
  const retry = { ...DEFAULT_RETRY, ...options.retry };
  const pacer = options.pacing instanceof Pacer ? options.pacing : new Pacer(options.pacing);

  if (!options.skipSync) {
    report.newItems = await store.syncItems(
      kb.facts.map((fact) => fact.id),
      now,
    );
  }
  const firstSeen = await store.itemsFirstSeen();
  await releaseDeadLeases(store);

  // Chats that may have work: waiting messages, or a subscription due with something pending.
  const only = options.chats ? new Set(options.chats) : null;
  const candidates = new Set<number>(
    (await store.chatsWithPendingMessages()).filter((chat) => !only || only.has(chat)),
  );
  const byChat = new Map<number, Subscription[]>();
  const subscriptions = only
    ? (await Promise.all([...only].map((chat) => store.chatSubscriptions(chat)))).flat()
    : await store.activeSubscriptions();
  for (const subscription of subscriptions) {
    const list = byChat.get(subscription.chatId) ?? [];
    list.push(subscription);
    byChat.set(subscription.chatId, list);
  }
  for (const [chatId, subscriptions] of byChat) {
    if (candidates.has(chatId)) continue;
    const anyDue = subscriptions.some((s) => weeklyDue(s, now, timeZone).due);
    if (!anyDue) continue;
    const logged = await store.loggedItems(chatId);
    if (planChat(kb, subscriptions, firstSeen, logged, now, timeZone).length > 0) {
      candidates.add(chatId);
    }
  }
  const chats = [...candidates].sort((a, b) => a - b);
  report.chats = chats.length;

  async function send(message: OutboxMessage): Promise<SendOutcome> {
    const chatId = message.chatId;
    let failures = 0;
    let rateLimited = 0;
    for (;;) {
      await pacer.acquire(chatId);
      if (options.signal?.aborted) return "later";
      if (!(await store.renewLease(chatId, leaseOwner, Date.now(), leaseMs))) {
        logger.warn(`digest: lost the lease on chat ${chatId}; leaving it`);
        return "later";
      }
      try {
        const sent = await api.sendMessage(chatId, message.text, {
          parse_mode: "HTML",
          link_preview_options: { is_disabled: true },
        });
        await store.markSent(message.id, sent.message_id, Date.now());
        report.messagesSent += 1;
        return "sent";
      } catch (error) {
        if (error instanceof GrammyError) {
          if (error.error_code === 429) {
            rateLimited += 1;
            report.rateLimited += 1;
            const seconds = error.parameters.retry_after ?? 1;
            if (rateLimited > retry.maxRateLimited) {
              await store.markAttempt(message.id, describe(error), Date.now());
              return "later";
            }
            pacer.delayChat(chatId, seconds * 1000);
            continue;
          }
          const reason = unreachableReason(error);
          if (reason) {
            const count = await store.deactivateChat(chatId, reason, Date.now());
            logger.info(
              `digest: chat ${chatId} unreachable (${error.description}); ${count} subscription(s) deactivated`,
            );
            report.deactivatedChats += 1;
            return "unreachable";
          }
          if (error.error_code < 500) {
            await store.markFailed(message.id, describe(error), Date.now());
            logger.error(
              `digest: Telegram refused message ${message.id} for chat ${chatId}: ${describe(error)}`,
            );
            report.failed += 1;
            return "failed";
          }
        }
        failures += 1;
        await store.markAttempt(message.id, describe(error), Date.now());
        if (failures >= retry.attempts) {
          logger.warn(`digest: chat ${chatId}: ${describe(error)}; left for the next run`);
          return "later";
        }
        await sleep(retry.baseDelayMs * 2 ** (failures - 1));
      }
    }
  }

  /** Sends the chat's waiting messages in order; false when the chat cannot go on this run. */
  async function flush(chatId: number): Promise<boolean> {
    for (;;) {
      const waiting = await store.pendingMessages(chatId);
      if (waiting.length === 0) return true;
      for (const message of waiting) {
        const outcome = await send(message);
        if (outcome === "unreachable") return false;
        if (outcome === "later") {
          report.retryLater += 1;
          return false;
        }
      }
    }
  }

  async function work(chatId: number): Promise<void> {
    if (!(await store.claimLease(chatId, leaseOwner, Date.now(), leaseMs))) {
      report.lockedChats += 1;
      return;
    }
    try {
      if (!(await flush(chatId))) return;
      // Read again under the lease: another process may have changed things meanwhile.
      const subscriptions = await store.chatSubscriptions(chatId);
      for (let round = 0; round < 3; round++) {
        const logged = await store.loggedItems(chatId);
        const plans = planChat(kb, subscriptions, firstSeen, logged, now, timeZone);
        let conflict = false;
        for (const plan of plans) {
          if (plan.itemIds.length === 0) {
            if (plan.slotAt !== null) await store.markSlot(plan.subscription.id, plan.slotAt);
            report.nothingNew += 1;
            continue;
          }
          const parts = composeDigest(
            kb,
            plan.itemIds,
            plan.subscription.lang,
            t(plan.subscription.lang),
            {
              kind: plan.kind,
            },
          );
          const result = await store.insertEdition(
            {
              subscriptionId: plan.subscription.id,
              userId: plan.subscription.userId,
              chatId,
              kind: plan.kind,
              itemIds: plan.itemIds,
              parts,
              slotAt: plan.slotAt,
            },
            now,
          );
          if (!result.inserted) {
            conflict = true;
            break;
          }
          report.editions += 1;
          // Mark this subscription's slot as handled for the rounds below.
          plan.subscription.lastSlotAt = plan.slotAt ?? plan.subscription.lastSlotAt;
          if (!(await flush(chatId))) return;
        }
        if (!conflict) break;
      }
    } catch (error) {
      logger.error(`digest: chat ${chatId}: ${describe(error)}`, error);
      report.retryLater += 1;
    } finally {
      await store.releaseLease(chatId, leaseOwner).catch(() => {});
    }
  }

  let next = 0;
  const workers = Array.from(
    { length: Math.max(1, Math.min(concurrency, chats.length)) },
    async () => {
      while (next < chats.length) {
        if (options.signal?.aborted) break;
        const chatId = chats[next++] as number;
        await work(chatId);
      }
    },
  );
  await Promise.all(workers);
  report.durationMs = Date.now() - started;
  return report;
}
