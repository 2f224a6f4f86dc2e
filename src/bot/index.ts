import { autoRetry } from "@grammyjs/auto-retry";
import { conversations } from "@grammyjs/conversations";
import { sequentialize } from "@grammyjs/runner";
import { Bot, type BotConfig, type Context, type Middleware, type Transformer } from "grammy";
import type { UserFromGetMe } from "grammy/types";
import type { BotContext, BotDeps, ConvContext } from "./context.ts";
import { clarifyConversation } from "./conversations/clarify.ts";
import { subscribeConversation } from "./conversations/subscribe.ts";
import { adminFeature } from "./features/admin.ts";
import { askFeature } from "./features/ask.ts";
import { createErrorHandler } from "./features/errors.ts";
import { feedbackFeature } from "./features/feedback.ts";
import { forgetFeature } from "./features/forget.ts";
import { forumsFeature } from "./features/forums.ts";
import { inlineFeature } from "./features/inline.ts";
import { langFeature } from "./features/lang.ts";
import { nonTextFeature } from "./features/nontext.ts";
import {
  DEFAULT_RATE_LIMIT,
  RateLimiter,
  type RateLimitOptions,
  rateLimit,
} from "./features/ratelimit.ts";
import { sourcesFeature } from "./features/sources.ts";
import { startFeature } from "./features/start.ts";
import { subscriptionsFeature } from "./features/subscriptions.ts";
import { langMiddleware } from "./lang.ts";
import { KbRefs } from "./refs.ts";

export type { BotContext, BotDeps } from "./context.ts";

export interface CreateBotOptions {
  /** Bot API root (a local Bot API server, the fake one in tests). */
  apiRoot?: string;
  /** Skips getMe (npm run chat, unit tests). */
  botInfo?: UserFromGetMe;
  /** Replaces the HTTP client's fetch (npm run chat captures calls with it). */
  fetch?: typeof fetch;
  rateLimit?: RateLimitOptions | false;
  /** Passed to @grammyjs/auto-retry. */
  retry?: { maxRetryAttempts?: number; maxDelaySeconds?: number };
  /** Installed on bot.api before auto-retry, so they see every attempt (metrics). */
  apiTransformers?: Transformer[];
}

/** The keys sequentialize and the conversation storage use: per chat and per user. */
export function updateKeys(ctx: Context): string[] {
  const keys: string[] = [];
  if (ctx.chat) keys.push(`c${ctx.chat.id}`);
  if (ctx.from) keys.push(`u${ctx.from.id}`);
  return keys;
}

/**
 * Builds the bot with all its features. No side effects: nothing is fetched or started until
 * the caller runs it (startBot) or feeds it updates (bot.handleUpdate).
 */
export function createBot(
  token: string,
  deps: BotDeps,
  options: CreateBotOptions = {},
): Bot<BotContext> {
  const client: NonNullable<BotConfig<BotContext>["client"]> = {};
  if (options.apiRoot) client.apiRoot = options.apiRoot;
  if (options.fetch) client.fetch = options.fetch;
  const bot = new Bot<BotContext>(token, {
    client,
    ...(options.botInfo ? { botInfo: options.botInfo } : {}),
  });
  const retry = autoRetry({
    maxRetryAttempts: options.retry?.maxRetryAttempts ?? 3,
    maxDelaySeconds: options.retry?.maxDelaySeconds ?? 60,
  });
  // Installed first, so it sees every attempt: the runner is silent (it would print to the
  // console), and auto-retry keeps polling through network errors without a word.
  bot.api.config.use(async (prev, method, payload, signal) => {
    const result = await prev(method, payload, signal).catch((error: unknown) => {
      if (method === "getUpdates" && !signal?.aborted) {
        deps.logger.warn(
          `polling failed: ${error instanceof Error ? error.message : String(error)}`,
        );
      }
      throw error;
    });
    if (method === "getUpdates" && !result.ok) {
      deps.logger.warn(`polling failed: ${result.error_code} ${result.description}`);
    }
    return result;
  });
  for (const transformer of options.apiTransformers ?? []) bot.api.config.use(transformer);
  bot.api.config.use(retry);

  const refs = new KbRefs(deps.kb);
  const boundary = createErrorHandler(deps.logger);
  bot.catch(boundary);

  bot.use(sequentialize(updateKeys));
  bot.use(langMiddleware(deps));
  if (options.rateLimit !== false) {
    bot.use(rateLimit(new RateLimiter(options.rateLimit ?? DEFAULT_RATE_LIMIT)));
  }

  bot.errorBoundary(boundary, inlineFeature({ ...deps, refs }));

  // Everything below happens in a chat, with a user: conversations are keyed by both.
  const chats = bot.filter((ctx) => ctx.chat !== undefined && ctx.from !== undefined);
  chats.use(
    conversations<BotContext, ConvContext>({
      storage: {
        type: "key",
        version: 1,
        prefix: "conv:",
        getStorageKey: (ctx) => `${ctx.chat?.id}:${ctx.from?.id}`,
        adapter: deps.storage.sessions as never,
      },
      // Conversations build their own Api instance: give it the same retries.
      plugins: [
        (async (ctx, next) => {
          ctx.api.config.use(retry);
          await next();
        }) satisfies Middleware<ConvContext>,
      ],
    }),
  );
  chats.use(clarifyConversation(deps, refs));
  const digests = deps.digests;
  if (digests) chats.use(subscribeConversation({ ...deps, digest: digests }, refs));

  const features = [
    startFeature(deps.kb, refs),
    langFeature(deps),
    sourcesFeature(deps.kb),
    forumsFeature(deps.kb, refs),
    forgetFeature(deps),
    feedbackFeature(deps),
    ...(digests
      ? [
          subscriptionsFeature({ kb: deps.kb, digest: digests }),
          adminFeature({ ...deps, adminIds: deps.adminIds ?? [], digest: digests }),
        ]
      : []),
    askFeature(deps, refs),
    nonTextFeature(),
  ];
  for (const feature of features) chats.errorBoundary(boundary, feature);

  // A button from an old message nobody handles any more: stop its spinner.
  bot.on("callback_query", async (ctx) => {
    await ctx.answerCallbackQuery({ text: ctx.t("ask.button_expired") });
  });
  return bot;
}
