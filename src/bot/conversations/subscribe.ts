import { type Conversation, createConversation } from "@grammyjs/conversations";
import { InlineKeyboard } from "grammy";
import {
  describeSubscription,
  hourLabel,
  subscribableTopics,
  WEEK_ORDER,
} from "../../digest/describe.ts";
import { eventsNewestFirst } from "../../digest/items.ts";
import type { DigestService } from "../../digest/service.ts";
import type { Cadence, Scope } from "../../digest/types.ts";
import type { KnowledgeBase } from "../../knowledge/load.ts";
import type { Lang, Topic } from "../../knowledge/schema.ts";
import type { BotContext, ConvContext } from "../context.ts";
import { escapeHtml } from "../html.ts";
import type { I18n, Translate } from "../i18n.ts";
import type { KbRefs } from "../refs.ts";
import { eventLabel } from "./clarify.ts";

export const SUBSCRIBE = "subscribe";
/** How long the wizard waits for a press before it lapses. */
export const SUBSCRIBE_TIMEOUT_MS = 15 * 60 * 1000;

export interface SubscribeDeps {
  kb: KnowledgeBase;
  i18n: I18n;
  digest: DigestService;
}

export interface SubscribeArgs {
  lang: Lang;
}

type Step = "scope" | "event" | "topics" | "cadence" | "day" | "hour" | "confirm";

interface WizardState {
  step: Step;
  scope?: Scope;
  topics: Topic[];
  day?: number;
  cadence?: Cadence;
}

/** Drops the empty rows that `row()` after a full row leaves (Telegram shows them as gaps). */
export function tidy(keyboard: InlineKeyboard): InlineKeyboard {
  const rows = keyboard.inline_keyboard;
  for (let i = rows.length - 1; i >= 0; i--) if (rows[i]?.length === 0) rows.splice(i, 1);
  return keyboard;
}

/** The wizard's message for a state: text (HTML) and buttons. */
export function wizardView(
  deps: { kb: KnowledgeBase; refs: KbRefs },
  state: WizardState,
  lang: Lang,
  t: Translate,
  timeZone: string,
): { text: string; keyboard: InlineKeyboard } {
  const keyboard = new InlineKeyboard();
  const cancel = () =>
    keyboard.row().text(t("subscribe.back"), "sub:b").text(t("subscribe.cancel"), "sub:x");
  switch (state.step) {
    case "scope":
      keyboard.text(t("subscribe.scope_all"), "sub:a").row();
      keyboard.text(t("subscribe.scope_event"), "sub:e").row();
      keyboard.text(t("subscribe.scope_topics"), "sub:t").row();
      keyboard.text(t("subscribe.cancel"), "sub:x");
      return { text: escapeHtml(t("subscribe.choose_scope")), keyboard: tidy(keyboard) };
    case "event":
      for (const event of eventsNewestFirst(deps.kb)) {
        const ref = deps.refs.eventRef(event.id);
        if (ref) keyboard.text(eventLabel(event, lang), `sub:ev:${ref}`).row();
      }
      cancel();
      return { text: escapeHtml(t("subscribe.choose_event")), keyboard: tidy(keyboard) };
    case "topics": {
      subscribableTopics(deps.kb).forEach((topic, index) => {
        const mark = state.topics.includes(topic) ? "✅ " : "";
        keyboard.text(`${mark}${t(`subscribe.topic_${topic}`)}`, `sub:tt:${topic}`);
        if (index % 2 === 1) keyboard.row();
      });
      keyboard.row().text(t("subscribe.topics_done"), "sub:td");
      cancel();
      return { text: escapeHtml(t("subscribe.choose_topics")), keyboard: tidy(keyboard) };
    }
    case "cadence":
      keyboard.text(t("subscribe.cadence_new"), "sub:cn").row();
      keyboard.text(t("subscribe.cadence_weekly"), "sub:cw");
      cancel();
      return { text: escapeHtml(t("subscribe.choose_cadence")), keyboard: tidy(keyboard) };
    case "day":
      WEEK_ORDER.forEach((day, index) => {
        keyboard.text(t(`subscribe.day_${day}`), `sub:d:${day}`);
        if (index % 4 === 3) keyboard.row();
      });
      cancel();
      return {
        text: escapeHtml(t("subscribe.choose_day", { tz: timeZone })),
        keyboard: tidy(keyboard),
      };
    case "hour":
      for (let hour = 0; hour < 24; hour++) {
        keyboard.text(hourLabel(hour), `sub:h:${hour}`);
        if (hour % 6 === 5) keyboard.row();
      }
      cancel();
      return {
        text: escapeHtml(t("subscribe.choose_hour", { tz: timeZone })),
        keyboard: tidy(keyboard),
      };
    case "confirm": {
      const summary = describeSubscription(
        deps.kb,
        { scope: state.scope as Scope, cadence: state.cadence as Cadence, lang },
        lang,
        t,
      );
      keyboard.text(t("subscribe.confirm_yes"), "sub:ok").row();
      cancel();
      return { text: escapeHtml(t("subscribe.confirm", { summary })), keyboard: tidy(keyboard) };
    }
  }
}

/** The state after a press; null for a press that does not belong to this step. */
export function wizardStep(
  deps: { kb: KnowledgeBase; refs: KbRefs },
  state: WizardState,
  data: string,
): WizardState | "confirmed" | "cancelled" | null {
  if (data === "sub:x") return "cancelled";
  if (data === "sub:b") {
    const back: Record<Step, Step> = {
      scope: "scope",
      event: "scope",
      topics: "scope",
      cadence:
        state.scope?.kind === "event"
          ? "event"
          : state.scope?.kind === "topics"
            ? "topics"
            : "scope",
      day: "cadence",
      hour: "day",
      confirm: state.cadence?.kind === "weekly" ? "hour" : "cadence",
    };
    return { ...state, step: back[state.step] };
  }
  switch (state.step) {
    case "scope":
      if (data === "sub:a") return { ...state, scope: { kind: "all" }, step: "cadence" };
      if (data === "sub:e") return { ...state, step: "event" };
      if (data === "sub:t") return { ...state, step: "topics" };
      return null;
    case "event": {
      const event = data.startsWith("sub:ev:") ? deps.refs.event(data.slice(7)) : undefined;
      return event
        ? { ...state, scope: { kind: "event", eventId: event.id }, step: "cadence" }
        : null;
    }
    case "topics": {
      if (data === "sub:td") {
        if (state.topics.length === 0) return state;
        return { ...state, scope: { kind: "topics", topics: [...state.topics] }, step: "cadence" };
      }
      const topic = data.startsWith("sub:tt:") ? (data.slice(7) as Topic) : undefined;
      if (!topic || !subscribableTopics(deps.kb).includes(topic)) return null;
      const topics = state.topics.includes(topic)
        ? state.topics.filter((other) => other !== topic)
        : [...state.topics, topic];
      return { ...state, topics };
    }
    case "cadence":
      if (data === "sub:cn") return { ...state, cadence: { kind: "new" }, step: "confirm" };
      if (data === "sub:cw") return { ...state, step: "day" };
      return null;
    case "day": {
      const day = /^sub:d:([0-6])$/.exec(data)?.[1];
      return day === undefined ? null : { ...state, day: Number(day), step: "hour" };
    }
    case "hour": {
      const hour = /^sub:h:(\d{1,2})$/.exec(data)?.[1];
      if (hour === undefined || Number(hour) > 23) return null;
      return {
        ...state,
        cadence: { kind: "weekly", day: state.day ?? 1, hour: Number(hour) },
        step: "confirm",
      };
    }
    case "confirm":
      return data === "sub:ok" ? "confirmed" : null;
  }
}

/**
 * /subscribe: what to follow (everything, one forum or meeting, or topics), how often (as soon
 * as new material arrives, or weekly on a day and hour in Kazakhstan's time), a confirmation,
 * then the latest matching digest at once. One message, edited at each step. A message typed
 * meanwhile ends the wizard and is handled as usual.
 */
export function subscribeConversation(deps: SubscribeDeps, refs: KbRefs) {
  const view = { kb: deps.kb, refs };
  async function subscribe(
    conversation: Conversation<BotContext, ConvContext>,
    ctx: ConvContext,
    args: SubscribeArgs,
  ): Promise<void> {
    const lang = args.lang;
    const t = deps.i18n.t(lang);
    const tz = deps.digest.timeZone;
    let state: WizardState = { step: "scope", topics: [] };
    const first = wizardView(view, state, lang, t, tz);
    const wizard = await ctx.reply(first.text, {
      parse_mode: "HTML",
      reply_markup: first.keyboard,
    });

    for (;;) {
      const next = await conversation.wait({ maxMilliseconds: SUBSCRIBE_TIMEOUT_MS });
      const query = next.callbackQuery;
      if (!query) {
        // Typing something else (a question, another command) leaves the wizard.
        if (next.message || next.editedMessage) await conversation.halt({ next: true });
        await conversation.skip({ next: true });
        return;
      }
      const data = query.data ?? "";
      if (!data.startsWith("sub:") || query.message?.message_id !== wizard.message_id) {
        await conversation.skip({ next: true });
        return;
      }
      const result = wizardStep(view, state, data);
      if (result === null) {
        await next.answerCallbackQuery();
        continue;
      }
      if (result === "cancelled") {
        await next.answerCallbackQuery();
        await next.editMessageText(escapeHtml(t("subscribe.cancelled")), { parse_mode: "HTML" });
        return;
      }
      if (result === "confirmed") {
        const scope = state.scope as Scope;
        const cadence = state.cadence as Cadence;
        const chatId = next.chat?.id ?? ctx.chat?.id ?? 0;
        const userId = next.from?.id ?? ctx.from?.id ?? 0;
        const outcome = await conversation.external(() =>
          deps.digest.subscribe({ userId, chatId, lang, scope, cadence }),
        );
        const summary = describeSubscription(deps.kb, { scope, cadence, lang }, lang, t);
        const key = outcome.updated
          ? "subscribe.updated"
          : outcome.firstItems > 0
            ? "subscribe.done_first"
            : "subscribe.done_nothing";
        await next.answerCallbackQuery({ text: t("subscribe.done_short") });
        await next.editMessageText(escapeHtml(t(key, { summary })), { parse_mode: "HTML" });
        return;
      }
      if (
        result.step === "topics" &&
        state.step === "topics" &&
        result.topics.length === 0 &&
        data === "sub:td"
      ) {
        await next.answerCallbackQuery({ text: t("subscribe.topics_none") });
        continue;
      }
      await next.answerCallbackQuery();
      state = result;
      const shown = wizardView(view, state, lang, t, tz);
      await next.editMessageText(shown.text, { parse_mode: "HTML", reply_markup: shown.keyboard });
    }
  }
  return createConversation<BotContext, ConvContext>(subscribe, {
    id: SUBSCRIBE,
    maxMillisecondsToWait: SUBSCRIBE_TIMEOUT_MS,
  });
}
