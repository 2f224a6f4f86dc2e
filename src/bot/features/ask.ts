import { Composer, type Context } from "grammy";
import type { Message } from "grammy/types";
import type { BotContext, BotDeps } from "../context.ts";
import {
  CLARIFY,
  type ClarifyArgs,
  clarifyChoice,
  createClarifier,
  plainAnswer,
} from "../conversations/clarify.ts";
import { answerForFact, type KbRefs, shortQuestion } from "../refs.ts";
import { type AnswerReplyDeps, replyWithAnswer } from "../reply.ts";

/** Whether a group message is meant for the bot: it mentions the bot or replies to it. */
export function addressedToBot(ctx: Context, message: Message): boolean {
  const username = ctx.me.username.toLowerCase();
  if (message.reply_to_message?.from?.id === ctx.me.id) return true;
  const text = message.text ?? "";
  return (message.entities ?? []).some(
    (entity) =>
      entity.type === "mention" &&
      text.slice(entity.offset, entity.offset + entity.length).toLowerCase() === `@${username}`,
  );
}

/** The question without the bot's @mention. */
export function withoutMention(text: string, username: string): string {
  return text
    .replace(new RegExp(`@${username}\\b`, "gi"), " ")
    .replace(/\s+/g, " ")
    .trim();
}

/**
 * Questions: any text in a private chat (also when edited), and in groups the messages that
 * mention the bot or reply to it. Unsure answers that span several forums ask back which one.
 */
export function askFeature(deps: BotDeps, refs: KbRefs): Composer<BotContext> {
  const composer = new Composer<BotContext>();
  const replyDeps: AnswerReplyDeps = {
    kb: deps.kb,
    refs,
    record: (record) => deps.storage.recordQuestion(record),
  };

  const clarifier = createClarifier(deps.kb);

  async function answerQuestion(ctx: BotContext, question: string, replyTo?: number) {
    const answer = deps.engine.ask(question, { lang: ctx.lang });
    ctx.useLang(answer.lang);
    const options = ctx.chat?.type === "private" ? clarifier(question, answer) : null;
    if (options) {
      const args: ClarifyArgs = {
        question,
        lang: answer.lang,
        options,
        answer: plainAnswer(answer),
      };
      await ctx.conversation.enter(CLARIFY, args);
      return;
    }
    await replyWithAnswer(ctx, replyDeps, ctx.t, answer, question, { replyTo });
  }

  const privateChat = composer.chatType("private");
  privateChat.on(["message:text", "edited_message:text"], async (ctx) => {
    const text = ctx.msg.text.trim();
    if (text.startsWith("/")) {
      await ctx.reply(ctx.t("unknown_command"));
      return;
    }
    await answerQuestion(ctx, text);
  });

  const groups = composer.chatType(["group", "supergroup"]);
  groups.on(["message:text", "edited_message:text"], async (ctx) => {
    if (ctx.msg.text.startsWith("/") || !addressedToBot(ctx, ctx.msg)) return;
    const question = withoutMention(ctx.msg.text, ctx.me.username);
    if (question === "") {
      await ctx.reply(ctx.t("group.hint"), {
        reply_parameters: { message_id: ctx.msg.message_id, allow_sending_without_reply: true },
      });
      return;
    }
    await answerQuestion(ctx, question, ctx.msg.message_id);
  });

  // A fact chosen on a button: an example, a "did you mean", or a lapsed question back.
  composer.callbackQuery(/^(?:f|cl):([\w-]+)$/, async (ctx) => {
    const data = ctx.callbackQuery.data;
    const fact = data.startsWith("cl:") ? clarifyChoice(refs, data) : refs.fact(ctx.match[1] ?? "");
    if (!fact) {
      await ctx.answerCallbackQuery({ text: ctx.t("ask.button_expired") });
      return;
    }
    await ctx.answerCallbackQuery();
    const answer = answerForFact(deps.kb, fact, ctx.lang);
    await replyWithAnswer(ctx, replyDeps, ctx.t, answer, shortQuestion(fact, ctx.lang));
  });

  return composer;
}
