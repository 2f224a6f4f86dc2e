import { Composer, InlineKeyboard } from "grammy";
import type { Lang } from "../../knowledge/schema.ts";
import type { LangPref, Storage } from "../../storage/types.ts";
import { commandList } from "../commands.ts";
import type { BotContext } from "../context.ts";
import type { I18n } from "../i18n.ts";
import { decideLang } from "../lang.ts";
import type { Logger } from "../logger.ts";
import { ignoreUnchanged } from "../reply.ts";

export function langKeyboard(current: LangPref, t: (key: string) => string): InlineKeyboard {
  const mark = (pref: LangPref, label: string) => (pref === current ? `✓ ${label}` : label);
  return new InlineKeyboard()
    .text(mark("kk", "Қазақша"), "lang:kk")
    .text(mark("ru", "Русский"), "lang:ru")
    .row()
    .text(mark("auto", t("lang.auto_button")), "lang:auto");
}

/**
 * /lang: Қазақша, Русский or automatic. The choice is stored per user; in a private chat the
 * command menu follows it.
 */
export function langFeature(deps: {
  storage: Storage;
  i18n: I18n;
  logger: Logger;
}): Composer<BotContext> {
  const composer = new Composer<BotContext>();
  composer.command("lang", async (ctx) => {
    await ctx.reply(ctx.t("lang.prompt"), { reply_markup: langKeyboard(ctx.langPref, ctx.t) });
  });
  composer.callbackQuery(/^lang:(kk|ru|auto)$/, async (ctx) => {
    const pref = ctx.match[1] as LangPref;
    const user = ctx.from;
    await deps.storage.setLangPref(user.id, pref);
    const state = await deps.storage.getUserLang(user.id);
    const lang: Lang = decideLang(state, null, user.language_code, false);
    ctx.langPref = pref;
    ctx.useLang(lang);
    await ctx.answerCallbackQuery({ text: ctx.t(`lang.set_${pref}`) });
    await ignoreUnchanged(
      ctx.editMessageText(ctx.t(`lang.set_${pref}`), { reply_markup: langKeyboard(pref, ctx.t) }),
    );
    const chat = ctx.chat;
    if (chat?.type === "private") {
      const scope = { type: "chat" as const, chat_id: chat.id };
      try {
        if (pref === "auto") await ctx.api.deleteMyCommands({ scope });
        else await ctx.api.setMyCommands(commandList(deps.i18n, pref), { scope });
      } catch (error) {
        deps.logger.warn("could not set the chat's command menu", error);
      }
    }
  });
  return composer;
}
