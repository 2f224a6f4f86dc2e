import { citationsOf } from "../answer/citations.ts";
import { escapeHtml, formatDate, type Translate } from "../answer/render.ts";
import { splitHtml } from "../bot/html.ts";
import type { KnowledgeBase } from "../knowledge/load.ts";
import type { EventRecord, Fact, Lang } from "../knowledge/schema.ts";
import { eventsNewestFirst } from "./items.ts";
import type { EditionKind } from "./types.ts";

/** Telegram's limit on a message's text (UTF-16 code units); the HTML is measured, which is stricter. */
export const MESSAGE_LIMIT = 4096;
/** Quotes longer than this are cut at a word, with an ellipsis (the cut quote is still verbatim). */
export const QUOTE_LIMIT = 220;

export interface ComposeOptions {
  kind?: EditionKind;
  /** Per-message limit, for tests. */
  limit?: number;
}

const e = escapeHtml;

export function shortQuote(quote: string, limit = QUOTE_LIMIT): string {
  const flat = quote.replace(/\s+/g, " ").trim();
  if (flat.length <= limit) return flat;
  const cut = flat.slice(0, limit);
  const space = cut.lastIndexOf(" ");
  return `${(space > limit / 2 ? cut.slice(0, space) : cut).replace(/[\s,;:.—-]+$/, "")}…`;
}

function when(event: EventRecord, t: Translate): string {
  if (event.date) return formatDate(event.date);
  if (event.year) return String(event.year);
  return t("digest.unknown");
}

/** The head of an event card: name, date, city, theme, participants. */
export function eventHeadHtml(event: EventRecord, lang: Lang, t: Translate): string {
  const lines = [`🏛 <b>${e(event.name[lang])}</b>`];
  if (event.status === "proposed") lines.push(`<i>${e(t("digest.proposed"))}</i>`);
  lines.push(
    `📅 ${e(t("digest.date"))}: ${e(when(event, t))}  📍 ${e(t("digest.city"))}: ${e(event.city?.[lang] ?? t("digest.unknown"))}`,
  );
  if (event.theme) lines.push(`🎯 ${e(t("digest.theme"))}: ${e(event.theme[lang])}`);
  const people = event.participants[lang];
  if (people.length > 0) lines.push(`👥 ${e(t("digest.participants"))}: ${e(people.join("; "))}`);
  return lines.join("\n");
}

/** One fact with its citations: outlet (via), headline, date, link, and a short quote. */
export function factHtml(kb: KnowledgeBase, fact: Fact, lang: Lang, t: Translate): string {
  const lines = [`• ${e(fact.answer[lang])}`];
  for (const citation of citationsOf(fact, kb)) {
    const via = kb.sources.get(citation.sourceId)?.via?.[lang];
    const outlet = citation.outlet ?? t("digest.outlet_unknown");
    const parts = [via ? `${outlet} (${via})` : outlet];
    if (citation.title) parts.push(`«${citation.title}»`);
    if (citation.date) parts.push(formatDate(citation.date));
    const link = citation.url ? ` — <a href="${e(citation.url)}">${e(t("digest.link"))}</a>` : "";
    lines.push(`   📰 ${e(parts.join(", "))}${link}`);
    lines.push(`   <i>«${e(shortQuote(citation.quote))}»</i>`);
  }
  return lines.join("\n");
}

interface Unit {
  html: string;
  /** Repeated at the top of a message that continues this event's card. */
  context: string | null;
}

/**
 * An edition as Telegram HTML messages, each at most `limit` characters: a title, then per
 * event (newest first) its card head, its key figures and statements, and the documents signed,
 * every fact with its citation. Parts break between facts; a card that continues in the next
 * message repeats the event's name.
 */
export function composeDigest(
  kb: KnowledgeBase,
  itemIds: readonly string[],
  lang: Lang,
  t: Translate,
  options: ComposeOptions = {},
): string[] {
  const limit = options.limit ?? MESSAGE_LIMIT;
  const kind = options.kind ?? "new";
  const wanted = new Set(itemIds);
  const facts = kb.facts.filter((fact) => wanted.has(fact.id));
  if (facts.length === 0) return [];

  const units: Unit[] = [
    {
      html: `📬 <b>${e(t(`digest.title_${kind}`))}</b>\n${e(t("digest.count", { count: facts.length }))}`,
      context: null,
    },
  ];
  const groups: { event: EventRecord | null; facts: Fact[] }[] = [];
  for (const event of eventsNewestFirst(kb)) {
    const ofEvent = facts.filter((fact) => fact.forum === event.id);
    if (ofEvent.length > 0) groups.push({ event, facts: ofEvent });
  }
  const loose = facts.filter((fact) => !fact.forum || !kb.eventsById.has(fact.forum));
  if (loose.length > 0) groups.push({ event: null, facts: loose });

  for (const group of groups) {
    const name = group.event ? group.event.name[lang] : t("digest.other");
    const context = `🏛 <b>${e(name)}</b> <i>(${e(t("digest.continued"))})</i>`;
    units.push({
      html: group.event ? eventHeadHtml(group.event, lang, t) : `🏛 <b>${e(name)}</b>`,
      context: null,
    });
    const figures = group.facts.filter((fact) => fact.topic !== "documents");
    const documents = group.facts.filter((fact) => fact.topic === "documents");
    for (const [heading, list] of [
      [t("digest.figures"), figures],
      [t("digest.documents"), documents],
    ] as const) {
      list.forEach((fact, index) => {
        const body = factHtml(kb, fact, lang, t);
        units.push({
          html: index === 0 ? `<b>${e(heading)}</b>\n${body}` : body,
          context,
        });
      });
    }
  }
  // The footer goes at the end of the last message: keep room for it in every part.
  const footer = `\n\n${e(t("digest.footer"))}`;
  const parts = pack(units, limit - footer.length);
  const last = parts.length - 1;
  if (last >= 0) parts[last] = `${parts[last]}${footer}`;
  return parts;
}

function pack(units: Unit[], limit: number): string[] {
  const parts: string[] = [];
  let current = "";
  const flush = () => {
    if (current.trim() !== "") parts.push(current);
    current = "";
  };
  for (const unit of units) {
    const joined = current === "" ? unit.html : `${current}\n\n${unit.html}`;
    if (joined.length <= limit) {
      current = joined;
      continue;
    }
    flush();
    const head = unit.context ? `${unit.context}\n\n` : "";
    const fresh = `${head}${unit.html}`;
    if (fresh.length <= limit) {
      current = fresh;
      continue;
    }
    // One unit longer than a message (a very long participants list): split it at lines.
    const pieces = splitHtml(unit.html, limit);
    for (const piece of pieces.slice(0, -1)) parts.push(piece);
    current = pieces.at(-1) ?? "";
  }
  flush();
  return parts;
}
