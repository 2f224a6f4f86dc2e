import { type RunnerHandle, run } from "@grammyjs/runner";
import { type Bot, BotError, webhookCallback } from "grammy";
import { createAnswerEngine } from "../answer/engine.ts";
import type { AnswerEngine } from "../answer/types.ts";
import type { Config } from "../config.ts";
import { createDigestService } from "../digest/bot.ts";
import type { DigestService } from "../digest/service.ts";
import { type KnowledgeBase, loadKnowledgeBase } from "../knowledge/load.ts";
import { BotMetrics } from "../ops/bot-metrics.ts";
import { type HealthReport, type OpsServer, startOpsServer } from "../ops/server.ts";
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

/**
 * How long a webhook request waits for its update to be handled before answering 200 anyway
 * (grammY's onTimeout "return"): the handling goes on, and Telegram, having its answer, does not
 * deliver the update again. Telegram gives up on a request after some tens of seconds and then
 * redelivers; a slow update must not cause that.
 */
export const WEBHOOK_TIMEOUT_MS = 10_000;

/** How long stop() waits for the updates in flight. */
const STOP_GRACE_MS = 10_000;

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
  /** The process's metrics (GET /metrics); a new registry by default. */
  metrics?: BotMetrics;
  /** Webhook mode: see WEBHOOK_TIMEOUT_MS. */
  webhookTimeoutMs?: number;
}

export interface BotHandle {
  bot: Bot<BotContext>;
  storage: Storage;
  /** How updates arrive: long polling (the default) or a webhook (WEBHOOK_URL). */
  mode: "polling" | "webhook";
  /** The long-polling runner; undefined in webhook mode. */
  runner: RunnerHandle | undefined;
  /** The HTTP server (/healthz, /metrics, the webhook); undefined without PORT. */
  server: OpsServer | undefined;
  metrics: BotMetrics;
  /** Digest delivery of this process (its scheduler is started by the caller: startScheduler). */
  digests: DigestService | undefined;
  /** GET /healthz: ok when the knowledge base is loaded, the bot running and the database answers. */
  health(): Promise<HealthReport>;
  /**
   * Stops taking updates (polling stops; webhook requests get 503 and Telegram sends them
   * again later), stops digest delivery between two messages (releasing its leases), lets the
   * updates in flight finish, confirms them to Telegram, closes storage and the HTTP server.
   */
  stop(): Promise<void>;
}

/** Each question with its outcome, at debug level only: the text is the user's. */
function logQuestions(storage: Storage, logger: Logger): void {
  const recordQuestion = storage.recordQuestion.bind(storage);
  storage.recordQuestion = (record) => {
    logger.debug("question", {
      chatId: record.chatId,
      lang: record.lang,
      answered: record.answered,
      confidence: Number(record.confidence.toFixed(3)),
      factIds: record.factIds,
      question: record.question,
    });
    return recordQuestion(record);
  };
}

function withTimeout<T>(promise: Promise<T>, ms: number, what: string): Promise<T> {
  return new Promise<T>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`${what} timed out after ${ms} ms`)), ms);
    promise.then(
      (value) => {
        clearTimeout(timer);
        resolve(value);
      },
      (error: unknown) => {
        clearTimeout(timer);
        reject(error);
      },
    );
  });
}

/**
 * What `npm start` runs: HTTP server (health, metrics) → knowledge base → engine → storage →
 * bot → long polling with @grammyjs/runner, or a webhook on the HTTP server when configured.
 * Returns once the bot takes updates.
 */
export async function startBot(config: Config, options: StartOptions = {}): Promise<BotHandle> {
  const logger =
    options.logger ?? createLogger({ level: config.logLevel, secrets: [config.botToken] });
  const metrics = options.metrics ?? new BotMetrics();
  const mode = config.webhook ? "webhook" : "polling";
  if (config.webhook && !config.http) throw new Error("a webhook needs the HTTP server (PORT)");

  let phase: "starting" | "running" | "stopping" = "starting";
  let kb: KnowledgeBase | undefined;
  let storage: Storage | undefined;
  let lastHealthy = true;
  const health = async (): Promise<HealthReport> => {
    const checks: Record<string, string> = {
      bot: phase === "running" ? "ok" : phase,
      knowledgeBase: kb && kb.facts.length > 0 ? "ok" : "not loaded",
      database: "not open",
    };
    if (storage) {
      try {
        await withTimeout(storage.ping(), 2000, "database ping");
        checks.database = "ok";
      } catch (error) {
        checks.database = "unavailable";
        if (lastHealthy && phase === "running") {
          logger.warn(`health: the database does not answer (${(error as Error).message})`);
        }
      }
    }
    const ok = Object.values(checks).every((value) => value === "ok");
    if (phase === "running") lastHealthy = ok;
    return { ok, checks };
  };

  // First, so that a container's health check sees a live process that is not ready yet.
  const server = config.http
    ? await startOpsServer({
        port: config.http.port,
        ...(config.http.host ? { host: config.http.host } : {}),
        health,
        metrics: () => metrics.render(),
        logger,
      })
    : undefined;

  let digests: DigestService | undefined;
  try {
    kb = options.kb ?? loadKnowledgeBase();
    const engine = options.engine ?? createAnswerEngine(kb);
    const i18n = options.i18n ?? createI18n();
    storage = await openStorage(config);
    metrics.instrumentStorage(storage);
    logQuestions(storage, logger);
    const apiTransformers = [metrics.apiTransformer()];
    digests = await createDigestService(config, { storage, kb, i18n, logger, apiTransformers });
    if (digests) metrics.instrumentDigestStore(digests.store);
    const bot = createBot(
      config.botToken,
      { kb, engine, storage, i18n, logger, digests, adminIds: config.adminIds },
      {
        apiRoot: config.apiRoot,
        rateLimit: options.rateLimit,
        retry: options.retry,
        apiTransformers,
      },
    );
    return await launch(bot, kb, storage, i18n);
  } catch (error) {
    await digests?.stop().catch(() => {});
    await storage?.close().catch(() => {});
    await server?.close();
    throw error;
  }

  async function launch(
    bot: Bot<BotContext>,
    kb: KnowledgeBase,
    storage: Storage,
    i18n: I18n,
  ): Promise<BotHandle> {
    // Track the updates being handled, to wait for them (and confirm only them) when stopping.
    // Errors that escape the features' boundaries go to the bot's error handler here, in both
    // modes, so that a webhook request always ends in 200 (no redelivery of a poison update).
    let inFlight = 0;
    let lastDone = 0;
    let idle: (() => void) | undefined;
    const originalHandle = bot.handleUpdate.bind(bot);
    bot.handleUpdate = async (update, webhookReplyEnvelope) => {
      inFlight += 1;
      try {
        await metrics.handle(update, () => originalHandle(update, webhookReplyEnvelope));
      } catch (error) {
        if (error instanceof BotError) {
          await bot.errorHandler(error as BotError<BotContext>);
        } else {
          logger.error(`update ${update.update_id}: failed`, error);
        }
      } finally {
        inFlight -= 1;
        lastDone = Math.max(lastDone, update.update_id);
        if (inFlight === 0) idle?.();
      }
    };

    await bot.init();
    const webhook = config.webhook;
    if (webhook && server) {
      // Attached before setWebhook, so the first update finds it.
      server.setWebhook(
        webhook.path,
        webhookCallback(bot, "http", {
          secretToken: webhook.secret,
          onTimeout: "return",
          timeoutMilliseconds: options.webhookTimeoutMs ?? WEBHOOK_TIMEOUT_MS,
        }),
      );
      await bot.api.setWebhook(webhook.url, {
        secret_token: webhook.secret,
        allowed_updates: [...ALLOWED_UPDATES],
        drop_pending_updates: false,
      });
    } else {
      await bot.api.deleteWebhook({ drop_pending_updates: false });
    }
    await setCommandMenus(bot.api, i18n);

    const runner =
      mode === "polling"
        ? run(bot, {
            runner: {
              fetch: { timeout: options.pollTimeout ?? 30, allowed_updates: [...ALLOWED_UPDATES] },
              silent: true,
              retryInterval: "exponential",
              maxRetryTime: 15 * 60 * 1000,
            },
            sink: { concurrency: options.concurrency ?? 200 },
          })
        : undefined;
    phase = "running";

    const apiName =
      config.apiRoot === "https://api.telegram.org" ? "Telegram" : "a custom Bot API server";
    const how =
      mode === "webhook" ? `by webhook at ${webhook?.url} (from ${apiName})` : `polling ${apiName}`;
    logger.info(
      `bot @${bot.botInfo.username} ${how}; ${kb.facts.length} facts, storage ${storage.kind}${storage.kind === "sqlite" ? ` in ${config.dataDir}` : ""}${server ? `; http on port ${server.port} (/healthz, /metrics)` : ""}`,
    );

    let stopping: Promise<void> | undefined;
    const stop = () => {
      stopping ??= (async () => {
        phase = "stopping";
        server?.stopWebhook();
        // Digest runs stop between two messages and release their leases; started first, so
        // that an update waiting for a run (/digest_now) is not kept waiting.
        const digestsStopped = digests?.stop();
        if (runner?.isRunning()) await runner.stop();
        if (inFlight > 0) {
          await new Promise<void>((resolve) => {
            const timer = setTimeout(() => {
              logger.warn(`stopping with ${inFlight} update(s) still in flight`);
              resolve();
            }, STOP_GRACE_MS);
            idle = () => {
              clearTimeout(timer);
              resolve();
            };
          });
        }
        // The runner confirms updates only with its next getUpdates: confirm the handled ones
        // now, so that a restart does not see them again. (A webhook's 200 confirmed them.)
        if (runner && lastDone > 0) {
          try {
            await bot.api.getUpdates({ offset: lastDone + 1, limit: 1, timeout: 0 });
          } catch (error) {
            logger.warn("could not confirm the last updates", error);
          }
        }
        await digestsStopped;
        await storage.close();
        await server?.close();
        logger.info("bot stopped");
      })();
      return stopping;
    };
    return { bot, storage, mode, runner, server, metrics, digests, health, stop };
  }
}
