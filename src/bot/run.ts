import { type RunnerHandle, run } from "@grammyjs/runner";
import type { Bot } from "grammy";
import { createAnswerEngine } from "../answer/engine.ts";
import type { AnswerEngine } from "../answer/types.ts";
import type { Config } from "../config.ts";
import { createDigestService } from "../digest/bot.ts";
import type { DigestService } from "../digest/service.ts";
import { type KnowledgeBase, loadKnowledgeBase } from "../knowledge/load.ts";
import { openStorage } from "../storage/index.ts";
import type { Storage } from "../storage/types.ts";
import { setCommandMenus } from "./commands.ts";
import type { BotContext } from "./context.ts";
import type { RateLimitOptions } from "./features/ratelimit.ts";
import { createI18n, type I18n } from "./i18n.ts";
import { createBot } from "./index.ts";
import { createLogger, type Logger } from "./logger.ts";

export const ALLOWED_UPDATES = [
  "message",
  "edited_message",
  "callback_query",
  "inline_query",
] as const;

export interface StartOptions {
  logger?: Logger;
  kb?: KnowledgeBase;
  engine?: AnswerEngine;
  i18n?: I18n;
  /** Long-polling timeout of getUpdates, seconds (30 in production). */
  pollTimeout?: number;
  /** How many updates run at once (different chats; one chat's stay in order). */
  concurrency?: number;
  rateLimit?: RateLimitOptions | false;
  retry?: { maxRetryAttempts?: number; maxDelaySeconds?: number };
}

export interface BotHandle {
  bot: Bot<BotContext>;
  storage: Storage;
  runner: RunnerHandle;
  /** Digest delivery of this process (its scheduler is started by the caller: startScheduler). */
  digests: DigestService | undefined;
  /** Stops polling, lets the updates in flight finish, confirms them to Telegram, closes storage. */
  stop(): Promise<void>;
}

/**
 * What `npm start` runs: knowledge base → engine → storage → bot → long polling with
 * @grammyjs/runner. Returns once the bot is polling.
 */
export async function startBot(config: Config, options: StartOptions = {}): Promise<BotHandle> {
  const logger =
    options.logger ?? createLogger({ level: config.logLevel, secrets: [config.botToken] });
  const kb = options.kb ?? loadKnowledgeBase();
  const engine = options.engine ?? createAnswerEngine(kb);
  const i18n = options.i18n ?? createI18n();
  const storage = await openStorage(config);
  const digests = await createDigestService(config, { storage, kb, i18n, logger });

  const bot = createBot(
    config.botToken,
    { kb, engine, storage, i18n, logger, digests, adminIds: config.adminIds },
    { apiRoot: config.apiRoot, rateLimit: options.rateLimit, retry: options.retry },
  );

  // Track the updates being handled, to confirm them (and only them) when stopping.
  let inFlight = 0;
  let lastDone = 0;
  let idle: (() => void) | undefined;
  const originalHandle = bot.handleUpdate.bind(bot);
  bot.handleUpdate = async (update, webhookReplyEnvelope) => {
    inFlight += 1;
    try {
      return await originalHandle(update, webhookReplyEnvelope);
    } finally {
      inFlight -= 1;
      lastDone = Math.max(lastDone, update.update_id);
      if (inFlight === 0) idle?.();
    }
  };

  try {
    await bot.init();
    await bot.api.deleteWebhook({ drop_pending_updates: false });
    await setCommandMenus(bot.api, i18n);
  } catch (error) {
    await storage.close();
    throw error;
  }
  logger.info(
    `bot @${bot.botInfo.username} polling ${config.apiRoot === "https://api.telegram.org" ? "Telegram" : "a custom Bot API server"}; ${kb.facts.length} facts, storage ${storage.kind} in ${config.dataDir}`,
  );

  const runner = run(bot, {
    runner: {
      fetch: { timeout: options.pollTimeout ?? 30, allowed_updates: [...ALLOWED_UPDATES] },
      silent: true,
      retryInterval: "exponential",
      maxRetryTime: 15 * 60 * 1000,
    },
    sink: { concurrency: options.concurrency ?? 200 },
  });

  let stopping: Promise<void> | undefined;
  const stop = () => {
    stopping ??= (async () => {
      if (runner.isRunning()) await runner.stop();
      if (inFlight > 0) {
        await new Promise<void>((resolve) => {
          const timer = setTimeout(resolve, 10_000);
          idle = () => {
            clearTimeout(timer);
            resolve();
          };
        });
      }
      // The runner confirms updates only with its next getUpdates: confirm the handled ones now,
      // so that a restart does not see them again.
      if (lastDone > 0) {
        try {
          await bot.api.getUpdates({ offset: lastDone + 1, limit: 1, timeout: 0 });
        } catch (error) {
          logger.warn("could not confirm the last updates", error);
        }
      }
      await digests?.stop();
      await storage.close();
      logger.info("bot stopped");
    })();
    return stopping;
  };
  return { bot, storage, runner, digests, stop };
}
