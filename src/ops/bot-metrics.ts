import { AsyncLocalStorage } from "node:async_hooks";
import { GrammyError, type Transformer } from "grammy";
import type { Update } from "grammy/types";
import type { DigestStore } from "../digest/store.ts";
import type { Storage } from "../storage/types.ts";
import { type Counter, type Gauge, type Histogram, Registry } from "./metrics.ts";

/** Seconds: from a few milliseconds (an answer from memory) to Telegram's webhook limit. */
export const LATENCY_BUCKETS = [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30];

/** What one update did, seen from inside its handling (AsyncLocalStorage). */
interface UpdateState {
  answered?: boolean;
}

export function updateType(update: Update): string {
  return Object.keys(update).find((key) => key !== "update_id") ?? "unknown";
}

/**
 * The bot's metrics (GET /metrics) and the hooks that feed them. One per process; every series
 * restarts at zero with the process, as Prometheus counters do.
 */
export class BotMetrics {
  readonly registry = new Registry();
  readonly updates: Counter;
  readonly updateErrors: Counter;
  readonly inFlight: Gauge;
  readonly answers: Counter;
  readonly answerSeconds: Histogram;
  readonly digestSent: Counter;
  readonly digestFailed: Counter;
  readonly digestSendErrors: Counter;
  readonly digestDeactivated: Counter;
  readonly apiErrors: Counter;
  private readonly current = new AsyncLocalStorage<UpdateState>();

  constructor(now: () => number = Date.now) {
    const r = this.registry;
    const started = now() / 1000;
    r.gauge(
      "process_start_time_seconds",
      "Start time of the process since the Unix epoch, seconds.",
      [],
      () => started,
    );
    this.updates = r.counter("bot_updates_total", "Telegram updates handled, by type.", ["type"]);
    this.updateErrors = r.counter(
      "bot_update_errors_total",
      "Updates whose handling failed outside the error boundaries, by type.",
      ["type"],
    );
    this.inFlight = r.gauge("bot_updates_in_flight", "Updates being handled now.");
    this.answers = r.counter(
      "bot_answers_total",
      'Questions answered or declined ("I don\'t know").',
      ["outcome"],
    );
    for (const outcome of ["answered", "declined"]) this.answers.inc({ outcome }, 0);
    this.answerSeconds = r.histogram(
      "bot_answer_duration_seconds",
      "Time from receiving a question to having replied (the whole update), seconds.",
      LATENCY_BUCKETS,
    );
    this.digestSent = r.counter(
      "bot_digest_messages_sent_total",
      "Digest messages delivered (Telegram confirmed them).",
    );
    this.digestFailed = r.counter(
      "bot_digest_messages_failed_total",
      "Digest messages Telegram refused for good (not retried).",
    );
    this.digestSendErrors = r.counter(
      "bot_digest_send_errors_total",
      "Failed digest send attempts that are retried (5xx, network, rate limits left for the next run).",
    );
    this.digestDeactivated = r.counter(
      "bot_digest_chats_deactivated_total",
      "Chats whose subscriptions were deactivated because Telegram refused them (blocked, kicked).",
    );
    for (const counter of [
      this.digestSent,
      this.digestFailed,
      this.digestSendErrors,
      this.digestDeactivated,
    ]) {
      counter.inc(undefined, 0);
    }
    this.apiErrors = r.counter(
      "telegram_api_errors_total",
      'Failed Bot API calls (every attempt, also those retried), by method and error_code ("network" when no answer came).',
      ["method", "error_code"],
    );
  }

  render(): string {
    return this.registry.render();
  }

  /** Runs the handling of one update, counting it and timing it if it turns out to be a question. */
  async handle<T>(update: Update, handle: () => Promise<T>): Promise<T> {
    const type = updateType(update);
    const started = performance.now();
    const state: UpdateState = {};
    this.updates.inc({ type });
    this.inFlight.inc();
    try {
      return await this.current.run(state, handle);
    } catch (error) {
      this.updateErrors.inc({ type });
      throw error;
    } finally {
      this.inFlight.dec();
      if (state.answered !== undefined) {
        this.answerSeconds.observe((performance.now() - started) / 1000);
      }
    }
  }

  /** An answer (or a decline) was given in the current update. */
  answer(answered: boolean): void {
    this.answers.inc({ outcome: answered ? "answered" : "declined" });
    const state = this.current.getStore();
    if (state) state.answered = answered;
  }

  /**
   * A Bot API transformer counting failures. Installed before auto-retry it sees every
   * attempt (429s that auto-retry waits out included).
   */
  apiTransformer(): Transformer {
    return async (prev, method, payload, signal) => {
      try {
        const result = await prev(method, payload, signal);
        if (!result.ok) this.apiErrors.inc({ method, error_code: result.error_code });
        return result;
      } catch (error) {
        // An aborted long poll (stopping the runner) is no error of Telegram's.
        if (!signal?.aborted) {
          // The client throws HttpError (or a plain fetch error) when no answer came.
          const code = error instanceof GrammyError ? String(error.error_code) : "network";
          this.apiErrors.inc({ method, error_code: code });
        }
        throw error;
      }
    };
  }

  /** Counts answered and declined questions where they are recorded (every answer is). */
  instrumentStorage(storage: Storage): void {
    const recordQuestion = storage.recordQuestion.bind(storage);
    storage.recordQuestion = async (record) => {
      this.answer(record.answered);
      return recordQuestion(record);
    };
  }

  /** Counts digest deliveries and failures where the delivery path records them. */
  instrumentDigestStore(store: DigestStore): void {
    const markSent = store.markSent.bind(store);
    const markFailed = store.markFailed.bind(store);
    const markAttempt = store.markAttempt.bind(store);
    const deactivateChat = store.deactivateChat.bind(store);
    store.markSent = async (...args) => {
      await markSent(...args);
      this.digestSent.inc();
    };
    store.markFailed = async (...args) => {
      await markFailed(...args);
      this.digestFailed.inc();
    };
    store.markAttempt = async (...args) => {
      await markAttempt(...args);
      this.digestSendErrors.inc();
    };
    store.deactivateChat = async (...args) => {
      const count = await deactivateChat(...args);
      this.digestDeactivated.inc();
      return count;
    };
  }
}
