import { type Conversation, createConversation } from "@grammyjs/conversations";
import { InlineKeyboard } from "grammy";
import type { Answer } from "../../answer/types.ts";
import type { KnowledgeBase } from "../../knowledge/load.ts";
import type { EventRecord, Lang } from "../../knowledge/schema.ts";
import { tokenizeFolded } from "../../search/tokenize.ts";
import type { BotContext, BotDeps, ConvContext } from "../context.ts";
import { escapeHtml } from "../html.ts";
import { answerForFact, type KbRefs } from "../refs.ts";
import { buttonLabel, buttonRow, replyWithAnswer } from "../reply.ts";

export const CLARIFY = "clarify";
/** How long the question back waits for a choice before the conversation lapses. */
export const CLARIFY_TIMEOUT_MS = 10 * 60 * 1000;

export interface ClarifyOption {
  eventId: string;
  factId: string;
}

export interface ClarifyArgs {
  question: string;
  lang: Lang;
  options: ClarifyOption[];
  /** The engine's own answer, given when the user picks "none of these". */
  answer: Answer;
}

/** Words that make a question about "a forum" or "a meeting" (folded, prefixes). */
const EVENT_WORDS = ["форум", "встреч", "саммит", "заседан", "кездесу", "отырыс", "жиын", "forum"];

function roman(n: number): string {
  const digits: [number, string][] = [
    [10, "x"],
    [9, "ix"],
    [5, "v"],
    [4, "iv"],
    [1, "i"],
  ];
  let out = "";
  let rest = n;
  for (const [value, letters] of digits) {
    while (rest >= value) {
      out += letters;
      rest -= value;
    }
  }
  return out;
}

/**
 * Decides when a question needs a choice ("which forum?"): the engine is unsure, its candidates
 * belong to different forums or meetings, and the question speaks of a forum or meeting
 * without naming one (no city, year or number of a known event). The words are the search
 * module's tokens, so "Омбыдағы"/"омский"/"XVI" count as naming an event.
 */
export function createClarifier(kb: KnowledgeBase) {
  const names = new Set<string>();
  for (const event of kb.events) {
    for (const city of [event.city?.kk, event.city?.ru]) {
      const word = city ? tokenizeFolded(city)[0] : undefined;
      if (word) names.add(word.slice(0, 4));
    }
    if (event.year) names.add(String(event.year));
    if (event.number) {
      names.add(String(event.number));
      names.add(roman(event.number));
    }
  }
  const speaksOfAnEvent = (question: string): boolean => {
    const tokens = tokenizeFolded(question);
    const generic = tokens.some((token) => EVENT_WORDS.some((word) => token.startsWith(word)));
    const named = tokens.some((token) => names.has(token) || names.has(token.slice(0, 4)));
    return generic && !named;
  };
  return (question: string, answer: Answer): ClarifyOption[] | null => {
    if (!answer.answered || !answer.lowConfidence || !speaksOfAnEvent(question)) return null;
    return clarificationOptions(answer, kb);
  };
}

/** The candidates of an unsure answer, one per forum or meeting, best first; null under two. */
export function clarificationOptions(answer: Answer, kb: KnowledgeBase): ClarifyOption[] | null {
  if (!answer.answered || !answer.lowConfidence) return null;
  const options: ClarifyOption[] = [];
  const factIds = [answer.facts[0]?.id, ...answer.suggestions.map((s) => s.factId)];
  for (const factId of factIds) {
    const eventId = factId ? kb.factsById.get(factId)?.forum : undefined;
    if (!factId || !eventId || options.some((o) => o.eventId === eventId)) continue;
    options.push({ eventId, factId });
  }
  return options.length >= 2 ? options : null;
}

/** "XVI forum, Omsk, 2019" as a button label. */
export function eventLabel(event: EventRecord, lang: Lang): string {
  const place = [event.city?.[lang], event.year].filter(Boolean).join(", ");
  return buttonLabel(place ? `${event.name[lang]} (${place})` : event.name[lang]);
}

/** Strips an engine answer down to the Answer fields, so it travels as conversation data. */
export function plainAnswer(answer: Answer): Answer {
  const { lang, answered, facts, confidence, suggestions, lowConfidence } = answer;
  return { lang, answered, facts, confidence, suggestions, lowConfidence };
}

/** A "cl:" button pressed after the conversation lapsed (or the bot restarted): answer anyway. */
export function clarifyChoice(refs: KbRefs, data: string) {
  const ref = data.slice("cl:".length);
  return ref === "-" ? null : (refs.fact(ref) ?? null);
}

/**
 * Asks back which forum or meeting is meant, then answers for the chosen one. Anything other
 * than a press on its own buttons ends the conversation and goes on to the usual handlers.
 */
export function clarifyConversation(deps: BotDeps, refs: KbRefs) {
  async function clarify(
    conversation: Conversation<BotContext, ConvContext>,
    ctx: ConvContext,
    args: ClarifyArgs,
  ): Promise<void> {
    const t = deps.i18n.t(args.lang);
    const keyboard = new InlineKeyboard();
    for (const option of args.options) {
      const event = deps.kb.eventsById.get(option.eventId);
      const ref = refs.factRef(option.factId);
      if (event && ref) buttonRow(keyboard, eventLabel(event, args.lang), `cl:${ref}`);
    }
    buttonRow(keyboard, t("clarify.none"), "cl:-");
    const prompt = await ctx.reply(
      t("clarify.which", { question: escapeHtml(buttonLabel(args.question, 200)) }),
      { parse_mode: "HTML", reply_markup: keyboard },
    );

    const next = await conversation.wait({ maxMilliseconds: CLARIFY_TIMEOUT_MS });
    const data = next.callbackQuery?.data;
    if (!data?.startsWith("cl:") || next.callbackQuery?.message?.message_id !== prompt.message_id) {
      await conversation.halt({ next: true });
      return;
    }
    const fact = clarifyChoice(refs, data);
    await next.answerCallbackQuery();
    await next.editMessageReplyMarkup({ reply_markup: undefined });
    const answer = fact ? answerForFact(deps.kb, fact, args.lang) : args.answer;
    await replyWithAnswer(
      next,
      {
        kb: deps.kb,
        refs,
        record: (record) => conversation.external(() => deps.storage.recordQuestion(record)),
      },
      t,
      answer,
      args.question,
    );
  }
  return createConversation<BotContext, ConvContext>(clarify, {
    id: CLARIFY,
    maxMillisecondsToWait: CLARIFY_TIMEOUT_MS,
  });
}
