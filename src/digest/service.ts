import { randomBytes } from "node:crypto";
import { hostname } from "node:os";
import { Cron } from "croner";
import type { Api } from "grammy";
import type { Translate } from "../answer/render.ts";
import type { KnowledgeBase } from "../knowledge/load.ts";
import type { Lang } from "../knowledge/schema.ts";
import { composeDigest } from "./compose.ts";
import {
  type DeliveryReport,
  type DigestLogger,
  deliverDue,
  emptyReport,
  planChat,
  type RetryOptions,
} from "./deliver.ts";
import { latestDigestItems } from "./items.ts";
import { Pacer, type PacingOptions, TELEGRAM_PACING } from "./pacing.ts";
import { DEFAULT_DIGEST_CRON, DEFAULT_DIGEST_TZ } from "./schedule.ts";
import type { DigestStore, NewSubscription } from "./store.ts";
import type { Scope, Subscription } from "./types.ts";

export interface DigestServiceOptions {
  store: DigestStore;
  /** A plain Api without auto-retry (see deliverDue). */
  api: Api;
  kb: KnowledgeBase;
  i18n: { t(lang: Lang): Translate };
  timeZone?: string;
  pacing?: PacingOptions | false;
  logger?: DigestLogger;
  concurrency?: number;
  retry?: Partial<RetryOptions>;
  leaseMs?: number;
  /** Unique per process; default host:pid:random. */
  leaseOwner?: string;
}

export interface SubscribeResult {
  subscription: Subscription;
  /** An active subscription of the chat with the same choice was updated instead of adding one. */
  updated: boolean;
  /** Items in the first digest (0: nothing to send, e.g. all already received). */
  firstItems: number;
}

export interface DuePlan {
  chatId: number;
  /** Messages composed earlier and still waiting. */
  waiting: number;
  editions: { subscriptionId: number; kind: "new" | "weekly"; items: number }[];
}

export function newLeaseOwner(): string {
  return `${hostname()}:${process.pid}:${randomBytes(4).toString("hex")}`;
}

function sameScope(a: Scope, b: Scope): boolean {
  if (a.kind !== b.kind) return false;
  if (a.kind === "event" && b.kind === "event") return a.eventId === b.eventId;
  if (a.kind === "topics" && b.kind === "topics") {
    return [...a.topics].sort().join(",") === [...b.topics].sort().join(",");
  }
  return true;
}

const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

/**
 * Digests in one process: the subscription operations the bot needs, the shared pacer, and
 * runs of the one delivery path (deliverDue) from the scheduler, /digest_now and the CLI.
 */
export class DigestService {
  readonly store: DigestStore;
  readonly kb: KnowledgeBase;
  readonly timeZone: string;
  readonly pacer: Pacer;
  readonly leaseOwner: string;
  private readonly options: DigestServiceOptions;
  private readonly logger: DigestLogger | undefined;
  private running: Promise<DeliveryReport> | undefined;
  private readonly background = new Set<Promise<unknown>>();
  private readonly stopping = new AbortController();
  private readonly jobs = new Set<Cron>();

  constructor(options: DigestServiceOptions) {
    this.options = options;
    this.store = options.store;
    this.kb = options.kb;
    this.timeZone = options.timeZone ?? DEFAULT_DIGEST_TZ;
    this.pacer = new Pacer(options.pacing ?? TELEGRAM_PACING);
    this.leaseOwner = options.leaseOwner ?? newLeaseOwner();
    this.logger = options.logger;
  }

  /** Records the knowledge base's new items (at start, and before every run). */
  sync(now: number = Date.now()): Promise<number> {
    return this.store.syncItems(
      this.kb.facts.map((fact) => fact.id),
      now,
    );
  }

  private run(now: number | undefined, chats?: readonly number[]): Promise<DeliveryReport> {
    const o = this.options;
    return deliverDue({
      store: this.store,
      api: o.api,
      kb: this.kb,
      t: (lang) => o.i18n.t(lang),
      pacing: this.pacer,
      leaseOwner: this.leaseOwner,
      timeZone: this.timeZone,
      ...(now !== undefined ? { now } : {}),
      ...(chats ? { chats, skipSync: true } : {}),
      ...(o.concurrency !== undefined ? { concurrency: o.concurrency } : {}),
      ...(o.retry ? { retry: o.retry } : {}),
      ...(o.leaseMs !== undefined ? { leaseMs: o.leaseMs } : {}),
      ...(o.logger ? { logger: o.logger } : {}),
      signal: this.stopping.signal,
    });
  }

  /**
   * Stops delivery between two messages (shutdown): runs in progress end early, what is left
   * waits in the outbox for the next run. The service sends nothing afterwards.
   */
  async stop(): Promise<void> {
    this.stopping.abort();
    for (const job of this.jobs) job.stop();
    this.jobs.clear();
    await this.idle();
  }

  /**
   * Delivers everything due now. Runs of one process do not overlap: a call during a run
   * waits for it and then runs again (something may have become due meanwhile).
   */
  async deliverDue(now?: number): Promise<DeliveryReport> {
    while (this.running) await this.running.catch(() => {});
    if (this.stopping.signal.aborted) return emptyReport();
    const run = this.run(now);
    this.running = run;
    try {
      return await run;
    } finally {
      if (this.running === run) this.running = undefined;
    }
  }

  /** A dry run: what deliverDue would send now, without sending or writing anything. */
  async plan(now: number = Date.now()): Promise<DuePlan[]> {
    const firstSeen = await this.store.itemsFirstSeen();
    for (const fact of this.kb.facts) if (!firstSeen.has(fact.id)) firstSeen.set(fact.id, now);
    const chats = new Map<number, Subscription[]>();
    for (const subscription of await this.store.activeSubscriptions()) {
      chats.set(subscription.chatId, [...(chats.get(subscription.chatId) ?? []), subscription]);
    }
    for (const chatId of await this.store.chatsWithPendingMessages()) {
      if (!chats.has(chatId)) chats.set(chatId, []);
    }
    const plans: DuePlan[] = [];
    for (const [chatId, subscriptions] of [...chats].sort((a, b) => a[0] - b[0])) {
      const waiting = (await this.store.pendingMessages(chatId)).length;
      const logged = await this.store.loggedItems(chatId);
      const editions = planChat(this.kb, subscriptions, firstSeen, logged, now, this.timeZone)
        .filter((plan) => plan.itemIds.length > 0)
        .map((plan) => ({
          subscriptionId: plan.subscription.id,
          kind: plan.kind,
          items: plan.itemIds.length,
        }));
      if (waiting > 0 || editions.length > 0) plans.push({ chatId, waiting, editions });
    }
    return plans;
  }

  /**
   * A new subscription (or, when the chat already follows the same choice, that one updated),
   * and its first digest: the latest edition matching the choice, queued at once and sent in
   * the background (`idle()` waits for it).
   */
  async subscribe(input: NewSubscription, now: number = Date.now()): Promise<SubscribeResult> {
    await this.sync(now);
    const existing = (await this.store.chatSubscriptions(input.chatId)).find((s) =>
      sameScope(s.scope, input.scope),
    );
    if (existing) {
      const subscription =
        (await this.store.updateSubscription(
          existing.id,
          { cadence: input.cadence, lang: input.lang },
          now,
        )) ?? existing;
      return { subscription, updated: true, firstItems: 0 };
    }
    const subscription = await this.store.createSubscription(input, now);
    let firstItems = 0;
    for (let round = 0; round < 3; round++) {
      const logged = await this.store.loggedItems(input.chatId);
      const items = latestDigestItems(this.kb, input.scope).filter((id) => !logged.has(id));
      if (items.length === 0) break;
      const parts = composeDigest(this.kb, items, input.lang, this.options.i18n.t(input.lang), {
        kind: "first",
      });
      const result = await this.store.insertEdition(
        {
          subscriptionId: subscription.id,
          userId: input.userId,
          chatId: input.chatId,
          kind: "first",
          itemIds: items,
          parts,
          slotAt: null,
        },
        now,
      );
      if (result.inserted) {
        firstItems = items.length;
        this.track(this.flushChat(input.chatId));
        break;
      }
    }
    return { subscription, updated: false, firstItems };
  }

  /** Sends a chat's waiting messages now, waiting a little if another run holds the chat. */
  async flushChat(chatId: number): Promise<DeliveryReport> {
    if (this.stopping.signal.aborted) return emptyReport();
    let report = await this.run(undefined, [chatId]);
    for (let tries = 0; report.lockedChats > 0 && tries < 10; tries++) {
      await sleep(1000);
      report = await this.run(undefined, [chatId]);
    }
    return report;
  }

  private track(task: Promise<unknown>): void {
    const guarded = task.catch((error: unknown) => {
      this.logger?.error("digest: sending a first digest failed", error);
    });
    this.background.add(guarded);
    void guarded.finally(() => this.background.delete(guarded));
  }

  /** Resolves when the background sends (first digests) have finished. */
  async idle(): Promise<void> {
    while (this.background.size > 0 || this.running) {
      await Promise.all([...this.background, this.running?.catch(() => {})]);
    }
  }

  /**
   * Runs deliverDue on a cron schedule (croner, in the digest time zone), once soon after the
   * start as well, so that new material after an update goes out at once.
   */
  startScheduler(
    cron: string = DEFAULT_DIGEST_CRON,
    options: { runAtStart?: boolean } = {},
  ): { stop(): Promise<void> } {
    const tick = async () => {
      if (this.stopping.signal.aborted) return;
      try {
        const report = await this.deliverDue();
        if (report.messagesSent > 0 || report.deactivatedChats > 0 || report.retryLater > 0) {
          this.logger?.info(
            `digest: ${report.messagesSent} message(s) sent in ${report.editions} edition(s), ${report.deactivatedChats} chat(s) deactivated, ${report.retryLater} left for the next run (${report.durationMs} ms)`,
          );
        }
      } catch (error) {
        this.logger?.error("digest: delivery run failed", error);
      }
    };
    if (this.stopping.signal.aborted) throw new Error("the digest service is stopped");
    const job = new Cron(cron, { timezone: this.timeZone, protect: true }, tick);
    this.jobs.add(job);
    let first: ReturnType<typeof setTimeout> | undefined;
    if (options.runAtStart !== false) {
      first = setTimeout(() => this.track(tick()), 1000);
      first.unref?.();
    }
    return {
      stop: async () => {
        job.stop();
        this.jobs.delete(job);
        if (first) clearTimeout(first);
        await this.idle();
      },
    };
  }
}
