import type { Context, MiddlewareFn } from "grammy";
import type { LangFlavor } from "../context.ts";

export interface RateLimitOptions {
  /** Messages a user may send in a burst. */
  burst: number;
  /** Sustained rate, messages per second. */
  perSecond: number;
  /** Clock, for tests. */
  now?: () => number;
}

export const DEFAULT_RATE_LIMIT: RateLimitOptions = { burst: 20, perSecond: 0.5 };

interface Bucket {
  tokens: number;
  at: number;
  warned: boolean;
}

/**
 * Token bucket per user, in memory, for messages and button presses (inline queries are
 * throttled by Telegram already). The first update over the limit gets a "slow down" notice,
 * the following ones are dropped until the bucket refills.
 */
export class RateLimiter {
  private readonly buckets = new Map<number, Bucket>();
  private readonly now: () => number;

  constructor(private readonly options: RateLimitOptions = DEFAULT_RATE_LIMIT) {
    this.now = options.now ?? Date.now;
  }

  /** "ok", "warn" (first refusal) or "drop". */
  take(userId: number): "ok" | "warn" | "drop" {
    const now = this.now();
    let bucket = this.buckets.get(userId);
    if (!bucket) {
      if (this.buckets.size > 50_000) this.prune(now);
      bucket = { tokens: this.options.burst, at: now, warned: false };
      this.buckets.set(userId, bucket);
    }
    bucket.tokens = Math.min(
      this.options.burst,
      bucket.tokens + ((now - bucket.at) / 1000) * this.options.perSecond,
    );
    bucket.at = now;
    if (bucket.tokens >= 1) {
      bucket.tokens -= 1;
      bucket.warned = false;
      return "ok";
    }
    if (bucket.warned) return "drop";
    bucket.warned = true;
    return "warn";
  }

  private prune(now: number): void {
    const full = this.options.burst / this.options.perSecond;
    for (const [user, bucket] of this.buckets) {
      if ((now - bucket.at) / 1000 >= full) this.buckets.delete(user);
    }
  }
}

export function rateLimit(limiter: RateLimiter): MiddlewareFn<Context & LangFlavor> {
  return async (ctx, next) => {
    const user = ctx.from;
    if (!user || !(ctx.message || ctx.editedMessage || ctx.callbackQuery)) return next();
    const verdict = limiter.take(user.id);
    if (verdict === "ok") return next();
    if (verdict === "warn") {
      if (ctx.callbackQuery) await ctx.answerCallbackQuery({ text: ctx.t("ratelimit.slow_down") });
      else if (ctx.chat?.type === "private") await ctx.reply(ctx.t("ratelimit.slow_down"));
    } else if (ctx.callbackQuery) {
      await ctx.answerCallbackQuery();
    }
  };
}
