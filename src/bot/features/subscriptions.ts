import { Composer, GrammyError, InlineKeyboard } from "grammy";
import {
  describeCadence,
  describeScope,
  describeSubscription,
  hourLabel,
  WEEK_ORDER,
} from "../../digest/describe.ts";
import type { DigestService } from "../../digest/service.ts";
import type { Subscription } from "../../digest/types.ts";
import type { KnowledgeBase } from "../../knowledge/load.ts";
import type { Lang } from "../../knowledge/schema.ts";
import type { BotContext } from "../context.ts";
import { SUBSCRIBE, type SubscribeArgs, tidy } from "../conversations/subscribe.ts";
import { escapeHtml } from "../html.ts";
import type { Translate } from "../i18n.ts";

export interface SubscriptionsDeps {
  kb: KnowledgeBase;
  digest: DigestService;
}

function listText(kb: KnowledgeBase, subs: Subscription[], lang: Lang, t: Translate): string {
  const lines = subs.map(
    (sub, index) =>
      `${index + 1}. ${describeScope(kb, sub.scope, lang, t)} — ${describeCadence(sub.cadence, t)} (${t(`subscribe.lang_${sub.lang}`)})`,
  );
  return escapeHtml(`${t("subscribe.list_title")}\n\n${lines.join("\n")}`);
}

function listKeyboard(subs: Subscription[], t: Translate): InlineKeyboard {
  const keyboard = new InlineKeyboard();
  subs.forEach((sub, index) => {
    keyboard
      .text(t("subscribe.edit_button", { n: index + 1 }), `ms:e:${sub.id}`)
      .text(t("subscribe.remove_button", { n: index + 1 }), `ms:r:${sub.id}`)
      .row();
  });
  keyboard.text(t("subscribe.add_button"), "ms:add");
  return keyboard;
}

function editKeyboard(sub: Subscription, t: Translate): InlineKeyboard {
  const other: Lang = sub.lang === "kk" ? "ru" : "kk";
  return new InlineKeyboard()
    .text(t("subscribe.cadence_new"), `ms:cn:${sub.id}`)
    .row()
    .text(t("subscribe.cadence_weekly"), `ms:cw:${sub.id}`)
    .row()
    .text(
      t("subscribe.switch_lang", { lang: t(`subscribe.lang_${other}`) }),
      `ms:l:${sub.id}:${other}`,
    )
    .row()
    .text(t("subscribe.remove_this"), `ms:r:${sub.id}`)
    .row()
    .text(t("subscribe.back"), "ms:list");
}

/** Edits the menu message; "not modified" (a double press) is not an error. */
async function show(ctx: BotContext, text: string, keyboard?: InlineKeyboard): Promise<void> {
  try {
    await ctx.editMessageText(text, {
      parse_mode: "HTML",
      ...(keyboard ? { reply_markup: keyboard } : {}),
    });
  } catch (error) {
    if (!(error instanceof GrammyError && /not modified/i.test(error.description))) throw error;
  }
}

/**
 * /subscribe (enters the wizard), /mysubs (the chat's subscriptions, each with edit and remove
 * buttons: how often, language, remove with confirmation) and /unsubscribe (one or all, with
 * confirmation).
 */
export function subscriptionsFeature(deps: SubscriptionsDeps): Composer<BotContext> {
  const { kb, digest } = deps;
  const store = digest.store;
  const composer = new Composer<BotContext>();

  async function enterWizard(ctx: BotContext) {
    await ctx.conversation.exitAll();
    const args: SubscribeArgs = { lang: ctx.lang };
    await ctx.conversation.enter(SUBSCRIBE, args);
  }

  composer.command("subscribe", enterWizard);
  composer.callbackQuery("ms:add", async (ctx) => {
    await ctx.answerCallbackQuery();
    await enterWizard(ctx);
  });

  /** The chat's subscription with this id, or null (answering the press) when it is not there. */
  async function own(ctx: BotContext, id: number): Promise<Subscription | null> {
    const sub = await store.getSubscription(id);
    if (!sub?.active || sub.chatId !== ctx.chat?.id) {
      await ctx.answerCallbackQuery({ text: ctx.t("subscribe.gone") });
      return null;
    }
    return sub;
  }

  async function showList(ctx: BotContext, edit: boolean) {
    const subs = await store.chatSubscriptions(ctx.chat?.id ?? 0);
    const text =
      subs.length > 0 ? listText(kb, subs, ctx.lang, ctx.t) : escapeHtml(ctx.t("subscribe.none"));
    const keyboard = subs.length > 0 ? listKeyboard(subs, ctx.t) : undefined;
    if (edit) await show(ctx, text, keyboard);
    else
      await ctx.reply(text, {
        parse_mode: "HTML",
        ...(keyboard ? { reply_markup: keyboard } : {}),
      });
  }

  composer.command("mysubs", (ctx) => showList(ctx, false));
  composer.callbackQuery("ms:list", async (ctx) => {
    await ctx.answerCallbackQuery();
    await showList(ctx, true);
  });

  composer.callbackQuery(/^ms:e:(\d+)$/, async (ctx) => {
    const sub = await own(ctx, Number(ctx.match[1]));
    if (!sub) return;
    await ctx.answerCallbackQuery();
    const summary = describeSubscription(kb, sub, ctx.lang, ctx.t);
    await show(
      ctx,
      escapeHtml(ctx.t("subscribe.edit_title", { summary })),
      editKeyboard(sub, ctx.t),
    );
  });

  composer.callbackQuery(/^ms:cn:(\d+)$/, async (ctx) => {
    const sub = await own(ctx, Number(ctx.match[1]));
    if (!sub) return;
    await store.updateSubscription(sub.id, { cadence: { kind: "new" } }, Date.now());
    await ctx.answerCallbackQuery({ text: ctx.t("subscribe.saved") });
    await showList(ctx, true);
  });

  composer.callbackQuery(/^ms:cw:(\d+)$/, async (ctx) => {
    const sub = await own(ctx, Number(ctx.match[1]));
    if (!sub) return;
    await ctx.answerCallbackQuery();
    const keyboard = new InlineKeyboard();
    WEEK_ORDER.forEach((day, index) => {
      keyboard.text(ctx.t(`subscribe.day_${day}`), `ms:d:${sub.id}:${day}`);
      if (index % 4 === 3) keyboard.row();
    });
    keyboard.row().text(ctx.t("subscribe.back"), `ms:e:${sub.id}`);
    tidy(keyboard);
    await show(ctx, escapeHtml(ctx.t("subscribe.choose_day", { tz: digest.timeZone })), keyboard);
  });

  composer.callbackQuery(/^ms:d:(\d+):([0-6])$/, async (ctx) => {
    const sub = await own(ctx, Number(ctx.match[1]));
    if (!sub) return;
    await ctx.answerCallbackQuery();
    const day = ctx.match[2];
    const keyboard = new InlineKeyboard();
    for (let hour = 0; hour < 24; hour++) {
      keyboard.text(hourLabel(hour), `ms:h:${sub.id}:${day}:${hour}`);
      if (hour % 6 === 5) keyboard.row();
    }
    keyboard.row().text(ctx.t("subscribe.back"), `ms:cw:${sub.id}`);
    tidy(keyboard);
    await show(ctx, escapeHtml(ctx.t("subscribe.choose_hour", { tz: digest.timeZone })), keyboard);
  });

  composer.callbackQuery(/^ms:h:(\d+):([0-6]):(\d{1,2})$/, async (ctx) => {
    const sub = await own(ctx, Number(ctx.match[1]));
    if (!sub) return;
    const hour = Number(ctx.match[3]);
    if (hour > 23) return ctx.answerCallbackQuery();
    await store.updateSubscription(
      sub.id,
      { cadence: { kind: "weekly", day: Number(ctx.match[2]), hour } },
      Date.now(),
    );
    await ctx.answerCallbackQuery({ text: ctx.t("subscribe.saved") });
    await showList(ctx, true);
  });

  composer.callbackQuery(/^ms:l:(\d+):(kk|ru)$/, async (ctx) => {
    const sub = await own(ctx, Number(ctx.match[1]));
    if (!sub) return;
    await store.updateSubscription(sub.id, { lang: ctx.match[2] as Lang }, Date.now());
    await ctx.answerCallbackQuery({ text: ctx.t("subscribe.saved") });
    await showList(ctx, true);
  });

  // Removing: from /mysubs (ms:r) or /unsubscribe (us:), always with a confirmation.
  async function confirmRemoval(ctx: BotContext, target: "all" | number) {
    let text: string;
    if (target === "all") {
      const count = (await store.chatSubscriptions(ctx.chat?.id ?? 0)).length;
      text = ctx.t("subscribe.unsubscribe_confirm_all", { count });
    } else {
      const sub = await own(ctx, target);
      if (!sub) return;
      text = ctx.t("subscribe.unsubscribe_confirm_one", {
        summary: describeScope(kb, sub.scope, ctx.lang, ctx.t),
      });
    }
    await ctx.answerCallbackQuery();
    const keyboard = new InlineKeyboard()
      .text(ctx.t("subscribe.yes_remove"), `us!:${target}`)
      .text(ctx.t("subscribe.no_keep"), "us:keep");
    await show(ctx, escapeHtml(text), keyboard);
  }

  composer.callbackQuery(/^ms:r:(\d+)$/, (ctx) => confirmRemoval(ctx, Number(ctx.match[1])));
  composer.callbackQuery(/^us:(\d+|all)$/, (ctx) =>
    confirmRemoval(ctx, ctx.match[1] === "all" ? "all" : Number(ctx.match[1])),
  );
  composer.callbackQuery("us:keep", async (ctx) => {
    await ctx.answerCallbackQuery();
    await show(ctx, escapeHtml(ctx.t("subscribe.kept")));
  });
  composer.callbackQuery(/^us!:(\d+|all)$/, async (ctx) => {
    const chatId = ctx.chat?.id ?? 0;
    const now = Date.now();
    if (ctx.match[1] === "all") {
      for (const sub of await store.chatSubscriptions(chatId)) {
        await store.deactivateSubscription(sub.id, "unsubscribed", now);
      }
      await ctx.answerCallbackQuery();
      await show(ctx, escapeHtml(ctx.t("subscribe.removed_all")));
      return;
    }
    const sub = await own(ctx, Number(ctx.match[1]));
    if (!sub) return;
    await store.deactivateSubscription(sub.id, "unsubscribed", now);
    await ctx.answerCallbackQuery();
    await show(ctx, escapeHtml(ctx.t("subscribe.removed")));
  });

  composer.command("unsubscribe", async (ctx) => {
    const subs = await store.chatSubscriptions(ctx.chat?.id ?? 0);
    if (subs.length === 0) {
      await ctx.reply(ctx.t("subscribe.none"));
      return;
    }
    const keyboard = new InlineKeyboard();
    subs.forEach((sub, index) => {
      keyboard
        .text(
          `${index + 1}. ${describeScope(kb, sub.scope, ctx.lang, ctx.t)}`.slice(0, 60),
          `us:${sub.id}`,
        )
        .row();
    });
    if (subs.length > 1) keyboard.text(ctx.t("subscribe.unsubscribe_all"), "us:all").row();
    keyboard.text(ctx.t("subscribe.no_keep"), "us:keep");
    await ctx.reply(
      listText(kb, subs, ctx.lang, ctx.t) +
        "\n\n" +
        escapeHtml(ctx.t("subscribe.unsubscribe_choose")),
      {
        parse_mode: "HTML",
        reply_markup: keyboard,
      },
    );
  });

  // A wizard button after the wizard lapsed (timeout, restart, or a message typed meanwhile), or
  // pressed by someone else in a group: the buttons stay for the one whose wizard it is.
  composer.callbackQuery(/^sub:/, async (ctx) => {
    await ctx.answerCallbackQuery({ text: ctx.t("subscribe.expired") });
  });

  return composer;
}
