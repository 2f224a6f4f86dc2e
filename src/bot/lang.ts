import type { Context, MiddlewareFn } from "grammy";
import type { AnswerEngine } from "../answer/types.ts";
import type { Lang } from "../knowledge/schema.ts";
import type { Storage, UserLang } from "../storage/types.ts";
import type { LangFlavor } from "./context.ts";
import type { I18n } from "./i18n.ts";

/** Telegram's language_code: Kazakh for "kk", Russian for everything else. */
export function langFromCode(code: string | undefined | null): Lang {
  return code?.toLowerCase().startsWith("kk") ? "kk" : "ru";
}

/** The text whose language tells the reply language, if the update has one. */
export function textOfUpdate(ctx: Context): string | undefined {
  // Not ctx.msg: for a button press that is the bot's own message.
  const message = ctx.message ?? ctx.editedMessage;
  const text = ctx.inlineQuery?.query ?? message?.text ?? message?.caption;
  if (!text) return undefined;
  // A command says nothing about the language; its argument might.
  return text.startsWith("/") ? text.replace(/^\/\S*\s*/, "") || undefined : text;
}

export interface LangDecision {
  lang: Lang;
  /** A newly detected language to remember as the user's last. */
  detected: Lang | null;
}

/**
 * The reply language: an explicit /lang choice wins; otherwise the language of the message,
 * then the language of the user's last message that told one, then Telegram's language_code.
 * Inline queries follow the query's language even after a choice: their answer goes to
 * another chat.
 */
export function decideLang(
  state: UserLang | null,
  detected: Lang | null,
  languageCode: string | undefined,
  inline: boolean,
): Lang {
  if (inline && detected) return detected;
  if (state && state.pref !== "auto") return state.pref;
  return detected ?? state?.last ?? langFromCode(languageCode);
}

/** Sets ctx.lang, ctx.langPref and ctx.t for every update. */
export function langMiddleware(deps: {
  storage: Storage;
  engine: AnswerEngine;
  i18n: I18n;
}): MiddlewareFn<Context & LangFlavor> {
  return async (ctx, next) => {
    const user = ctx.from;
    const text = textOfUpdate(ctx);
    const detected = text ? deps.engine.detectLanguage(text) : null;
    let state: UserLang | null = null;
    if (user && !user.is_bot) {
      state = await deps.storage.getUserLang(user.id);
      if (!state) {
        await deps.storage.ensureUser(user.id, user.language_code);
        state = { pref: "auto", last: null };
      }
      if (detected && detected !== state.last && !ctx.inlineQuery) {
        await deps.storage.setLastLang(user.id, detected);
      }
    }
    ctx.langPref = state?.pref ?? "auto";
    ctx.useLang = (lang: Lang) => {
      ctx.lang = lang;
      ctx.t = deps.i18n.t(lang);
    };
    ctx.useLang(decideLang(state, detected, user?.language_code, Boolean(ctx.inlineQuery)));
    await next();
  };
}
