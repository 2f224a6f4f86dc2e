import { Composer } from "grammy";
import type { InlineKeyboardButton } from "grammy/types";
import type { Storage, Vote } from "../../storage/types.ts";
import type { BotContext } from "../context.ts";
import { ignoreUnchanged } from "../reply.ts";

/** 👍/👎 under an answer: one vote per user and answer, the last one counts. */
export function feedbackFeature(deps: { storage: Storage }): Composer<BotContext> {
  const composer = new Composer<BotContext>();
  composer.callbackQuery(/^fb:(\d+):([ud])$/, async (ctx) => {
    const questionId = Number(ctx.match[1]);
    const vote: Vote = ctx.match[2] === "u" ? "up" : "down";
    const result = await deps.storage.recordVote({ questionId, userId: ctx.from.id, vote });
    if (result === "unknown") {
      await ctx.answerCallbackQuery({ text: ctx.t("feedback.unknown") });
      return;
    }
    await ctx.answerCallbackQuery({
      text: ctx.t(vote === "up" ? "feedback.thanks_up" : "feedback.thanks_down"),
    });

    // Mark the chosen button, keep the others.
    const markup = ctx.callbackQuery.message?.reply_markup?.inline_keyboard;
    if (!markup) return;
    const up = ctx.t("feedback.up_button");
    const down = ctx.t("feedback.down_button");
    let changed = false;
    const rows: InlineKeyboardButton[][] = markup.map((row) =>
      row.map((button) => {
        if (
          !("callback_data" in button) ||
          !button.callback_data?.startsWith(`fb:${questionId}:`)
        ) {
          return button;
        }
        const isUp = button.callback_data.endsWith(":u");
        const text = (isUp ? vote === "up" : vote === "down")
          ? `${isUp ? up : down} ✓`
          : isUp
            ? up
            : down;
        if (text !== button.text) changed = true;
        return { ...button, text };
      }),
    );
    if (!changed) return;
    await ignoreUnchanged(ctx.editMessageReplyMarkup({ reply_markup: { inline_keyboard: rows } }));
  });
  return composer;
}
