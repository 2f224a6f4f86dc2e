import type { KnowledgeBase } from "../knowledge/load.ts";
import type { Answer, Citation } from "./types.ts";

export type Translate = (key: string, options?: Record<string, unknown>) => string;

/** Only these characters are special in Telegram's HTML parse mode. */
export function escapeHtml(text: string): string {
  return text
    .replace(/&/g, "&amp;")
    .replace(/</g, "&lt;")
    .replace(/>/g, "&gt;")
    .replace(/"/g, "&quot;");
}

interface Markup {
  bold(text: string): string;
  italic(text: string): string;
  link(url: string, text: string): string;
  text(text: string): string;
}

const html: Markup = {
  bold: (text) => `<b>${escapeHtml(text)}</b>`,
  italic: (text) => `<i>${escapeHtml(text)}</i>`,
  link: (url, text) => `<a href="${escapeHtml(url)}">${escapeHtml(text)}</a>`,
  text: escapeHtml,
};

const plain: Markup = {
  bold: (text) => text,
  italic: (text) => text,
  link: (url, text) => (text === url ? url : `${text} (${url})`),
  text: (text) => text,
};

/** "07.11.2019" from "2019-11-07": the way dates are written in both languages. */
export function formatDate(isoDate: string): string {
  const [year, month, day] = isoDate.split("-");
  return `${day}.${month}.${year}`;
}

function citationLines(
  citation: Citation,
  kb: KnowledgeBase,
  lang: Answer["lang"],
  t: Translate,
  m: Markup,
): string {
  const via = kb.sources.get(citation.sourceId)?.via?.[lang];
  const outlet = citation.outlet ?? t("answer.outlet_unknown");
  const parts = [via ? `${outlet} (${via})` : outlet];
  if (citation.title) parts.push(`«${citation.title}»`);
  if (citation.date) parts.push(formatDate(citation.date));
  const head = `📰 ${m.text(parts.join(", "))}`;
  const link = citation.url ? `\n🔗 ${m.link(citation.url, citation.url)}` : "";
  return `${head}${link}\n${m.italic(`«${citation.quote}»`)}`;
}

/** What stands instead of an answer: a reply in kind to a greeting or thanks, or "I don't know". */
function declinedText(answer: Answer, t: Translate): string {
  if (answer.smallTalk === "greeting") return t("answer.greeting");
  if (answer.smallTalk === "thanks") return t("answer.thanks");
  return t("answer.declined");
}

function render(answer: Answer, kb: KnowledgeBase, t: Translate, m: Markup): string {
  if (!answer.answered) {
    const examples = answer.suggestions.map((s) => `• ${m.text(s.question)}`).join("\n");
    return [
      m.text(declinedText(answer, t)),
      examples && `${m.text(t("answer.try_asking"))}\n${examples}`,
    ]
      .filter(Boolean)
      .join("\n\n");
  }
  const blocks: string[] = [];
  if (answer.facts.length > 1) blocks.push(m.bold(t("answer.sources_differ")));
  for (const fact of answer.facts) {
    const citations = fact.citations
      .map((c) => citationLines(c, kb, answer.lang, t, m))
      .join("\n\n");
    blocks.push(`${m.text(fact.text)}\n\n${citations}`);
  }
  if (answer.lowConfidence && answer.suggestions.length > 0) {
    blocks.push(
      `${m.text(t("answer.did_you_mean"))}\n${answer.suggestions.map((s) => `• ${m.text(s.question)}`).join("\n")}`,
    );
  }
  return blocks.join("\n\n———\n\n");
}

/** Telegram HTML: every piece of knowledge-base or user text is escaped. */
export function renderHtml(answer: Answer, kb: KnowledgeBase, t: Translate): string {
  return render(answer, kb, t, html);
}

export function renderText(answer: Answer, kb: KnowledgeBase, t: Translate): string {
  return render(answer, kb, t, plain);
}

/** The `npm run ask -- --json` contract. */
export function answerToJson(answer: Answer, t: Translate) {
  return {
    lang: answer.lang,
    answered: answer.answered,
    answer: answer.answered
      ? answer.facts.map((fact) => fact.text).join("\n\n")
      : declinedText(answer, t),
    citations: answer.facts.flatMap((fact) => fact.citations),
    confidence: Math.round(answer.confidence * 1000) / 1000,
    factIds: answer.facts.map((fact) => fact.id),
    suggestions: answer.suggestions.map((s) => s.question),
  };
}
