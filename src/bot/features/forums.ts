import { Composer, InlineKeyboard } from "grammy";
import { formatDate } from "../../answer/render.ts";
import { factsOfEvent, type KnowledgeBase } from "../../knowledge/load.ts";
import type { EventRecord, Lang } from "../../knowledge/schema.ts";
import type { BotContext } from "../context.ts";
import { eventLabel } from "../conversations/clarify.ts";
import { escapeHtml } from "../html.ts";
import type { Translate } from "../i18n.ts";
import type { KbRefs } from "../refs.ts";
import { buttonRow, replyHtml } from "../reply.ts";

/** Facts per card page: a card stays one readable message. */
export const FACTS_PER_PAGE = 8;

function eventHeader(event: EventRecord, lang: Lang, t: Translate): string {
  const e = escapeHtml;
  const lines = [`<b>${e(event.name[lang])}</b>`];
  lines.push(e(`${t("forums.status")}: ${t(`forums.status_${event.status}`)}`));
  if (event.number) lines.push(e(`${t("forums.number")}: ${event.number}`));
  const when = event.date ? formatDate(event.date) : event.year ? String(event.year) : null;
  lines.push(e(`${t("forums.date")}: ${when ?? t("forums.unknown")}`));
  lines.push(e(`${t("forums.city")}: ${event.city?.[lang] ?? t("forums.unknown")}`));
  if (event.theme) lines.push(e(`${t("forums.theme")}: ${event.theme[lang]}`));
  const participants = event.participants[lang];
  if (participants.length > 0) {
    lines.push(e(`${t("forums.participants")}:`));
    for (const participant of participants) lines.push(e(`• ${participant}`));
  }
  return lines.join("\n");
}

/**
 * A forum's or meeting's card: what, when, where, who (on the first page), then its facts, a
 * page at a time, each marked with its sources, which are listed below.
 */
export function eventCardHtml(
  kb: KnowledgeBase,
  event: EventRecord,
  lang: Lang,
  t: Translate,
  page = 0,
): { html: string; pages: number } {
  const e = escapeHtml;
  const facts = factsOfEvent(kb, event.id);
  const pages = Math.max(1, Math.ceil(facts.length / FACTS_PER_PAGE));
  const shown = facts.slice(page * FACTS_PER_PAGE, (page + 1) * FACTS_PER_PAGE);
  const blocks: string[] = [];
  if (page === 0) blocks.push(eventHeader(event, lang, t));
  else blocks.push(`<b>${e(event.name[lang])}</b>`);

  const sourceIds: string[] = [];
  const factLines = shown.map((fact) => {
    const marks = [...new Set(fact.citations.map((c) => c.source))].map((id) => {
      if (!sourceIds.includes(id)) sourceIds.push(id);
      return `[${sourceIds.indexOf(id) + 1}]`;
    });
    return `• ${e(fact.answer[lang])} ${marks.join("")}`;
  });
  if (facts.length === 0) {
    blocks.push(e(t("forums.no_facts")));
  } else {
    const range = t("forums.page", {
      from: page * FACTS_PER_PAGE + 1,
      to: page * FACTS_PER_PAGE + shown.length,
      count: facts.length,
    });
    blocks.push(`<b>${e(range)}</b>\n${factLines.join("\n")}`);
  }
  const sourceLines = sourceIds.map((id, index) => {
    const source = kb.sources.get(id);
    const parts = [source?.outlet ?? t("sources.outlet_unknown")];
    if (source?.title) parts.push(`«${source.title}»`);
    if (source?.date) parts.push(formatDate(source.date));
    const link = source?.url ? ` <a href="${e(source.url)}">${e(source.url)}</a>` : "";
    return `[${index + 1}] ${e(parts.join(", "))}${link}`;
  });
  if (sourceLines.length > 0) {
    blocks.push(`<b>${e(t("forums.sources"))}</b>\n${sourceLines.join("\n")}`);
  }
  return { html: blocks.join("\n\n"), pages };
}

/** /forums: the forums and meetings as buttons, each opening its card. */
export function forumsFeature(kb: KnowledgeBase, refs: KbRefs): Composer<BotContext> {
  const composer = new Composer<BotContext>();
  composer.command("forums", async (ctx) => {
    const keyboard = new InlineKeyboard();
    for (const event of kb.events) {
      const ref = refs.eventRef(event.id);
      if (ref) buttonRow(keyboard, eventLabel(event, ctx.lang), `ev:${ref}`);
    }
    await ctx.reply(ctx.t("forums.title", { count: kb.events.length }), { reply_markup: keyboard });
  });
  composer.callbackQuery(/^ev:([\w-]+)(?::(\d+))?$/, async (ctx) => {
    const ref = ctx.match[1] ?? "";
    const event = refs.event(ref);
    if (!event) {
      await ctx.answerCallbackQuery({ text: ctx.t("ask.button_expired") });
      return;
    }
    const page = Number(ctx.match[2] ?? 0);
    const card = eventCardHtml(kb, event, ctx.lang, ctx.t, page);
    await ctx.answerCallbackQuery();
    const keyboard = new InlineKeyboard();
    if (page + 1 < card.pages) {
      keyboard.text(
        ctx.t("forums.more", { page: page + 2, pages: card.pages }),
        `ev:${ref}:${page + 1}`,
      );
    }
    await replyHtml(ctx, card.html, { keyboard });
  });
  return composer;
}
