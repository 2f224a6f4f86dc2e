import { Composer } from "grammy";
import { formatDate } from "../../answer/render.ts";
import type { KnowledgeBase, Source } from "../../knowledge/load.ts";
import type { Lang } from "../../knowledge/schema.ts";
import type { BotContext } from "../context.ts";
import { escapeHtml } from "../html.ts";
import type { Translate } from "../i18n.ts";
import { replyHtml } from "../reply.ts";

export function sourceHtml(source: Source, factCount: number, lang: Lang, t: Translate): string {
  const via = source.via?.[lang];
  const outlet = source.outlet ?? t("sources.outlet_unknown");
  const lines = [
    `📰 <b>${escapeHtml(source.title ? `«${source.title}»` : t("sources.untitled"))}</b>`,
    escapeHtml(via ? `${outlet} (${via})` : outlet),
    escapeHtml(
      `${t("sources.date")}: ${source.date ? formatDate(source.date) : t("sources.date_unknown")}`,
    ),
  ];
  if (source.author) lines.push(escapeHtml(`${t("sources.author")}: ${source.author}`));
  lines.push(
    source.url
      ? `🔗 <a href="${escapeHtml(source.url)}">${escapeHtml(source.url)}</a>`
      : escapeHtml(t("sources.no_link")),
  );
  lines.push(escapeHtml(t("sources.facts", { count: factCount })));
  return lines.join("\n");
}

/** /sources: the articles the knowledge base is built from, with outlet, date and link. */
export function sourcesFeature(kb: KnowledgeBase): Composer<BotContext> {
  const composer = new Composer<BotContext>();
  const factCount = new Map<string, number>();
  for (const fact of kb.facts) {
    for (const source of new Set(fact.citations.map((c) => c.source))) {
      factCount.set(source, (factCount.get(source) ?? 0) + 1);
    }
  }
  composer.command("sources", async (ctx) => {
    const blocks = [...kb.sources.values()].map((source) =>
      sourceHtml(source, factCount.get(source.id) ?? 0, ctx.lang, ctx.t),
    );
    const head = `<b>${escapeHtml(ctx.t("sources.title", { count: kb.sources.size }))}</b>`;
    await replyHtml(ctx, [head, ...blocks].join("\n\n"));
  });
  return composer;
}
