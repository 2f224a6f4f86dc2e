import { type Context, GrammyError, InlineKeyboard } from "grammy";
import type { Message } from "grammy/types";
import { renderHtml } from "../answer/render.ts";
import type { Answer } from "../answer/types.ts";
import type { KnowledgeBase } from "../knowledge/load.ts";
import type { QuestionRecord } from "../storage/types.ts";
import { splitHtml } from "./html.ts";
import type { Translate } from "./i18n.ts";
import type { KbRefs } from "./refs.ts";

/** Questions longer than this are stored cut (a pasted article is not a question). */
const MAX_STORED_QUESTION = 1000;
/** Telegram shows about this much of a button's label. */
const BUTTON_LABEL = 60;

export function buttonLabel(text: string, max = BUTTON_LABEL): string {
  const flat = text.replace(/\s+/g, " ").trim();
  return flat.length <= max ? flat : `${flat.slice(0, max - 1).trimEnd()}…`;
}

/** Runs an edit; Telegram's "message is not modified" (the same press twice) is no error. */
export async function ignoreUnchanged(edit: Promise<unknown>): Promise<void> {
  try {
    await edit;
  } catch (error) {
    if (!(error instanceof GrammyError && /not modified/i.test(error.description))) throw error;
  }
}

/** Adds a button on a row of its own (without leaving an empty first row). */
export function buttonRow(keyboard: InlineKeyboard, text: string, data: string): InlineKeyboard {
  if ((keyboard.inline_keyboard.at(-1)?.length ?? 0) > 0) keyboard.row();
  return keyboard.text(text, data);
}

/** Sends Telegram HTML, split into several messages when longer than Telegram allows. */
export async function replyHtml(
  ctx: Context,
  html: string,
  options: { keyboard?: InlineKeyboard; replyTo?: number } = {},
): Promise<Message.TextMessage[]> {
  const parts = splitHtml(html);
  const keyboard = options.keyboard?.inline_keyboard.some((row) => row.length > 0)
    ? options.keyboard
    : undefined;
  const sent: Message.TextMessage[] = [];
  for (const [index, part] of parts.entries()) {
    const last = index === parts.length - 1;
    sent.push(
      await ctx.reply(part, {
        parse_mode: "HTML",
        link_preview_options: { is_disabled: true },
        ...(last && keyboard ? { reply_markup: keyboard } : {}),
        ...(index === 0 && options.replyTo
          ? { reply_parameters: { message_id: options.replyTo, allow_sending_without_reply: true } }
          : {}),
      }),
    );
  }
  return sent;
}

export interface AnswerReplyDeps {
  kb: KnowledgeBase;
  refs: KbRefs;
  /** Stores the question; returns the id feedback buttons refer to. */
  record: (record: QuestionRecord) => Promise<number>;
}

/** Buttons that open facts: "did you mean" after an unsure answer, examples after a decline. */
export function suggestionKeyboard(
  answer: Answer,
  refs: KbRefs,
  keyboard = new InlineKeyboard(),
): InlineKeyboard {
  for (const suggestion of answer.suggestions) {
    const ref = refs.factRef(suggestion.factId);
    if (ref) buttonRow(keyboard, buttonLabel(suggestion.question), `f:${ref}`);
  }
  return keyboard;
}

/**
 * Answers a question: the rendered answer (fact, citations) split to Telegram's limit, with 👍/👎
 * under an answer, "did you mean" buttons when the engine is unsure, and example questions
 * under a decline. The question is logged (declined ones feed `npm run kb:feedback`).
 */
export async function replyWithAnswer(
  ctx: Context,
  deps: AnswerReplyDeps,
  t: Translate,
  answer: Answer,
  question: string,
  options: { replyTo?: number } = {},
): Promise<void> {
  // A greeting or thanks asks nothing: it is neither an answer to rate nor a gap to log.
  if (answer.smallTalk) {
    await replyHtml(ctx, renderHtml(answer, deps.kb, t), {
      keyboard: suggestionKeyboard(answer, deps.refs, new InlineKeyboard()),
      replyTo: options.replyTo,
    });
    return;
  }
  const questionId = await deps.record({
    userId: ctx.from?.id ?? 0,
    chatId: ctx.chat?.id ?? 0,
    question: question.slice(0, MAX_STORED_QUESTION),
    lang: answer.lang,
    answered: answer.answered,
    confidence: answer.confidence,
    factIds: answer.facts.map((fact) => fact.id),
  });
  const keyboard = new InlineKeyboard();
  if (answer.answered) {
    keyboard
      .text(t("feedback.up_button"), `fb:${questionId}:u`)
      .text(t("feedback.down_button"), `fb:${questionId}:d`);
    if (answer.lowConfidence) suggestionKeyboard(answer, deps.refs, keyboard);
  } else {
    suggestionKeyboard(answer, deps.refs, keyboard);
  }
  await replyHtml(ctx, renderHtml(answer, deps.kb, t), { keyboard, replyTo: options.replyTo });
}
