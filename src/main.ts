import dotenv from "dotenv";
import { createLogger, redact } from "./bot/logger.ts";
import { startBot } from "./bot/run.ts";
import { ConfigError, loadConfig } from "./config.ts";

/**
 * `npm start`: the bot, by long polling (or a webhook with WEBHOOK_URL), with /healthz and
 * /metrics on PORT, configured from the environment (.env). SIGTERM or SIGINT stop it
 * gracefully (see BotHandle.stop) and it exits 0.
 */
async function main(): Promise<void> {
  dotenv.config({ quiet: true });
  let config: ReturnType<typeof loadConfig>;
  try {
    config = loadConfig();
  } catch (error) {
    if (error instanceof ConfigError) {
      console.error(`Cannot start the bot: ${error.message}`);
      process.exit(2);
    }
    throw error;
  }
  const logger = createLogger({ level: config.logLevel, secrets: [config.botToken] });
  const handle = await startBot(config, { logger });
  // Digests: deliverDue on DIGEST_CRON (stopped by handle.stop).
  handle.digests?.startScheduler(config.digest?.cron);

  let exiting = false;
  const shutdown = (signal: string) => {
    if (exiting) {
      // A second signal (Ctrl-C twice): do not wait any longer.
      logger.warn(`${signal} again: exiting without waiting`);
      process.exit(1);
    }
    exiting = true;
    logger.info(`${signal}: stopping`);
    handle.stop().then(
      () => process.exit(0),
      (error) => {
        logger.error("error while stopping", error);
        process.exit(1);
      },
    );
  };
  process.on("SIGINT", () => shutdown("SIGINT"));
  process.on("SIGTERM", () => shutdown("SIGTERM"));

  // The runner ends by itself only when polling fails for good (a revoked token, a conflict
  // with another instance polling the same bot). In webhook mode the HTTP server keeps the
  // process running until a signal.
  if (!handle.runner) return;
  try {
    await handle.runner.task();
  } catch (error) {
    logger.error("polling stopped", error instanceof Error ? error.message : error);
    await handle.stop();
    process.exit(1);
  }
}

main().catch((error: unknown) => {
  const message = error instanceof Error ? error.message : String(error);
  const hint = /401|unauthorized/i.test(message)
    ? " (Telegram refused the token: check BOT_TOKEN, or try the bot offline with npm run chat)"
    : "";
  console.error(redact(`Cannot start the bot: ${message}${hint}`, [process.env.BOT_TOKEN ?? ""]));
  process.exit(1);
});
