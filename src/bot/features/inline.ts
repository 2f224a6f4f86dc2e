import { Composer } from "grammy";
import type { InlineQueryResultArticle } from "grammy/types";
import { formatDate, renderHtml } from "../../answer/render.ts";
import type { AnswerEngine } from "../../answer/types.ts";
import type { KnowledgeBase } from "../../knowledge/load.ts";
import type { Fact, Lang } from "../../knowledge/schema.ts";
import type { BotContext } from "../context.ts";
import { splitHtml } from "../html.ts";
import type { Translate } from "../i18n.ts";
import { answerForFact, type KbRefs } from "../refs.ts";
import { exampleFacts } from "./start.ts";

const MAX_RESULTS = 5;

function sourceLine(kb: KnowledgeBase, fact: Fact, t: Translate): string {
  return [...new Set(fact.citations.map((c) => c.source))]
    .map((id) => {
      const source = kb.sources.get(id);
      const date = source?.date ? formatDate(source.date) : null;
      return [source?.outlet ?? t("sources.outlet_unknown"), date].filter(Boolean).join(", ");
    })
    .join("; ");
}

export function inlineResult(
  kb: KnowledgeBase,
  refs: KbRefs,
  fact: Fact,
  lang: Lang,
  t: Translate,
): InlineQueryResultArticle {
  const html = splitHtml(renderHtml(answerForFact(kb, fact, lang), kb, t))[0] ?? "";
  const text = fact.answer[lang];
  return {
    type: "article",
    id: `${refs.factRef(fact.id) ?? fact.id}.${lang}`.slice(0, 64),
    title: text.length > 100 ? `${text.slice(0, 99)}…` : text,
    description: `📰 ${sourceLine(kb, fact, t)}`,
    input_message_content: {
      message_text: html,
      parse_mode: "HTML",
      link_preview_options: { is_disabled: true },
    },
  };
}

/** Inline mode: "@bot question" in any chat offers the matching facts, cited, in the query's language. */
export function inlineFeature(deps: {
  kb: KnowledgeBase;
  engine: AnswerEngine;
  refs: KbRefs;
}): Composer<BotContext> {
  const composer = new Composer<BotContext>();
  composer.on("inline_query", async (ctx) => {
    const query = ctx.inlineQuery.query.trim();
    let facts: Fact[];
    let lang = ctx.lang;
    if (query === "") {
      facts = exampleFacts(deps.kb, MAX_RESULTS);
    } else {
      const answer = deps.engine.ask(query, { lang });
      lang = answer.lang;
      const ids = answer.answered
        ? [...answer.facts.map((f) => f.id), ...answer.suggestions.map((s) => s.factId)]
        : [];
      facts = [...new Set(ids)]
        .map((id) => deps.kb.factsById.get(id))
        .filter((fact): fact is Fact => fact !== undefined)
        .slice(0, MAX_RESULTS);
    }
    ctx.useLang(lang);
    const results = facts.map((fact) => inlineResult(deps.kb, deps.refs, fact, lang, ctx.t));
    await ctx.answerInlineQuery(results, {
      cache_time: 60,
      button:
        results.length === 0
          ? { text: ctx.t("inline.no_results"), start_parameter: "inline" }
          : undefined,
    });
  });
  return composer;
}
