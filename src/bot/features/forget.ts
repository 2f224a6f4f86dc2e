import { Composer, InlineKeyboard } from "grammy";
import type { DigestService } from "../../digest/service.ts";
import type { Storage } from "../../storage/types.ts";
import type { BotContext } from "../context.ts";
import type { Logger } from "../logger.ts";
import { ignoreUnchanged } from "../reply.ts";

/** /forget: deletes everything stored about the user, after a confirmation. */
export function forgetFeature(deps: {
  storage: Storage;
  logger: Logger;
  digests?: DigestService;
}): Composer<BotContext> {
  const composer = new Composer<BotContext>();
  composer.command("forget", async (ctx) => {
    const keyboard = new InlineKeyboard()
      .text(ctx.t("forget.yes"), "forget:yes")
      .text(ctx.t("forget.no"), "forget:no");
    await ctx.reply(ctx.t("forget.confirm"), { reply_markup: keyboard });
  });
  composer.callbackQuery("forget:yes", async (ctx) => {
    await ctx.conversation.exitAll();
    await deps.storage.forgetUser(ctx.from.id);
    await deps.digests?.store.forgetUser(ctx.from.id);
    await ctx.answerCallbackQuery();
    await ignoreUnchanged(ctx.editMessageText(ctx.t("forget.done")));
    if (ctx.chat?.type === "private") {
      try {
        await ctx.api.deleteMyCommands({ scope: { type: "chat", chat_id: ctx.chat.id } });
      } catch (error) {
        deps.logger.warn("could not reset the chat's command menu", error);
      }
    }
  });
  composer.callbackQuery("forget:no", async (ctx) => {
    await ctx.answerCallbackQuery();
    await ignoreUnchanged(ctx.editMessageText(ctx.t("forget.cancelled")));
  });
  return composer;
}
