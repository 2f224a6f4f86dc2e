import { type BotError, type Context, GrammyError, HttpError } from "grammy";
import type { LangFlavor } from "../context.ts";
import type { Logger } from "../logger.ts";

/** Telegram refused to deliver to this chat (blocked, deactivated, kicked): nothing to apologize to. */
export function isUnreachable(error: unknown): boolean {
  return (
    error instanceof GrammyError &&
    (error.error_code === 403 ||
      (error.error_code === 400 && /chat not found/i.test(error.description)))
  );
}

function describe(error: unknown): string {
  if (error instanceof GrammyError)
    return `${error.method}: ${error.error_code} ${error.description}`;
  if (error instanceof HttpError) return `network: ${error.message}`;
  if (error instanceof Error) return `${error.name}: ${error.message}`;
  return String(error);
}

/**
 * Logs a failed update and tells the user, politely and in their language, that something went
 * wrong. Never throws: the bot keeps running whatever happened.
 */
export function createErrorHandler(logger: Logger) {
  return async (err: BotError<Context & Partial<LangFlavor>>): Promise<void> => {
    const ctx = err.ctx;
    const where = `update ${ctx.update.update_id}`;
    if (isUnreachable(err.error)) {
      logger.warn(`${where}: chat unreachable (${describe(err.error)})`);
      return;
    }
    logger.error(
      `${where}: ${describe(err.error)}`,
      err.error instanceof Error ? err.error : undefined,
    );
    const t = ctx.t;
    if (!t) return;
    try {
      if (ctx.callbackQuery) {
        await ctx.answerCallbackQuery({ text: t("error.generic_short") });
      } else if (ctx.inlineQuery) {
        await ctx.answerInlineQuery([], { cache_time: 0 });
      } else if (ctx.chat) {
        await ctx.reply(t("error.generic"));
      }
    } catch (apologyError) {
      logger.debug(`${where}: could not apologize (${describe(apologyError)})`);
    }
  };
}
