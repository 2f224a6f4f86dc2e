import { Composer, InlineKeyboard } from "grammy";
import type { KnowledgeBase } from "../../knowledge/load.ts";
import type { Fact, Lang, Topic } from "../../knowledge/schema.ts";
import type { BotContext } from "../context.ts";
import { escapeHtml } from "../html.ts";
import { type KbRefs, shortQuestion } from "../refs.ts";
import { buttonLabel, buttonRow } from "../reply.ts";

const SHOWCASE: readonly Topic[] = [
  "trade",
  "transport",
  "energy",
  "education",
  "documents",
  "culture",
];

/**
 * The welcome's example questions, the same every time: the facts curators marked as featured,
 * then one fact from each of a few topics.
 */
export function exampleFacts(kb: KnowledgeBase, count = 4): Fact[] {
  const picks: Fact[] = kb.facts
    .filter((fact) => fact.featured)
    .sort((a, b) => (a.featured ?? 0) - (b.featured ?? 0))
    .slice(0, count);
  for (const topic of SHOWCASE) {
    if (picks.length === count) return picks;
    const fact = kb.facts.find((f) => f.topic === topic && !picks.includes(f));
    if (fact) picks.push(fact);
    if (picks.length === count) return picks;
  }
  for (const fact of kb.facts) {
    if (picks.length === count) break;
    if (!picks.includes(fact)) picks.push(fact);
  }
  return picks;
}

export function examplesKeyboard(kb: KnowledgeBase, refs: KbRefs, lang: Lang): InlineKeyboard {
  const keyboard = new InlineKeyboard();
  for (const fact of exampleFacts(kb)) {
    const ref = refs.factRef(fact.id);
    if (ref) buttonRow(keyboard, buttonLabel(shortQuestion(fact, lang)), `f:${ref}`);
  }
  return keyboard;
}

/** /start: a welcome with example questions as buttons; /help: what the bot can do. */
export function startFeature(kb: KnowledgeBase, refs: KbRefs): Composer<BotContext> {
  const composer = new Composer<BotContext>();
  composer.command("start", async (ctx) => {
    const name = escapeHtml(ctx.from?.first_name ?? "");
    await ctx.reply(
      ctx.t("start.welcome", {
        name,
        facts: ctx.t("start.facts", { count: kb.facts.length }),
        sources: ctx.t("start.sources", { count: kb.sources.size }),
      }),
      { parse_mode: "HTML", reply_markup: examplesKeyboard(kb, refs, ctx.lang) },
    );
  });
  composer.command("help", async (ctx) => {
    await ctx.reply(ctx.t("help.text", { bot: escapeHtml(ctx.me.username) }), {
      parse_mode: "HTML",
      link_preview_options: { is_disabled: true },
    });
  });
  return composer;
}
