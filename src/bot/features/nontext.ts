import { Composer } from "grammy";
import type { BotContext } from "../context.ts";

/** Stickers, photos, voice and the like: a short hint that the bot reads text. */
export function nonTextFeature(): Composer<BotContext> {
  const composer = new Composer<BotContext>();
  composer.chatType("private").on("message", async (ctx) => {
    await ctx.reply(ctx.t("nontext.hint"));
  });
  return composer;
}
