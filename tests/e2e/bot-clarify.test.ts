import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { renderHtml } from "../../src/answer/render.ts";
import { splitHtml } from "../../src/bot/html.ts";
import { answerForFact, KbRefs } from "../../src/bot/refs.ts";
import {
  buttons,
  clarifyingQuestion,
  confidentQuestion,
  eventually,
  expectedFirstMessage,
  type Harness,
  i18n,
  knowledge,
  messagesTo,
  nextCall,
  startHarness,
} from "./bot-harness.ts";

const USER = 7001;
let h: Harness;
beforeEach(async () => {
  h = await startHarness();
  h.tg.user(USER, { languageCode: "ru" });
});
afterEach(async () => {
  await h?.close();
});

/** Sends the ambiguous question; returns the question back and its buttons. */
async function ask() {
  const { question, lang } = clarifyingQuestion();
  const since = h.tg.mark();
  h.tg.message(USER, question);
  const [prompt] = await messagesTo(h.tg, USER, since);
  return { question, lang, prompt, options: buttons(prompt?.reply_markup) };
}

function expectedForChoice(data: string, lang: "kk" | "ru"): string {
  const { kb } = knowledge();
  const fact = new KbRefs(kb).fact(data.slice(3));
  if (!fact) throw new Error(`no fact for ${data}`);
  return splitHtml(renderHtml(answerForFact(kb, fact, lang), kb, i18n.t(lang)))[0] ?? "";
}

describe("asking back which forum is meant (conversation)", () => {
  it("offers the forums as buttons and answers for the one chosen", async () => {
    const { lang, prompt, options } = await ask();
    expect(prompt?.text).toContain(i18n.t(lang)("clarify.which", { question: "" }).slice(3, 20));
    expect(options.length).toBeGreaterThanOrEqual(3);
    expect(options.at(-1)).toEqual({ text: i18n.t(lang)("clarify.none"), callback_data: "cl:-" });
    const choice = options[1]?.callback_data ?? "";

    const since = h.tg.mark();
    h.tg.press(USER, { message_id: prompt?.message_id ?? 0, chat: { id: USER } }, choice);
    const [answer] = await messagesTo(h.tg, USER, since);
    expect(answer?.text).toBe(expectedForChoice(choice, lang));
    expect(buttons(answer?.reply_markup)[0]?.callback_data).toMatch(/^fb:\d+:u$/);
    await nextCall(h.tg, "editMessageReplyMarkup", since);
    expect(h.tg.getMessage(USER, prompt?.message_id ?? 0)?.reply_markup).toBeUndefined();
    expect(h.tg.unansweredCallbackQueries()).toEqual([]);
    // The question is logged once, with the chosen fact.
    const stats = await h.bot.storage.stats();
    expect(stats.questions).toBe(1);
  });

  it("lets another question through instead of a choice", async () => {
    await ask();
    const { question } = confidentQuestion("ru");
    const since = h.tg.mark();
    h.tg.message(USER, question);
    const [reply] = await messagesTo(h.tg, USER, since);
    expect(reply?.text).toBe(expectedFirstMessage(question, "ru"));
    // The conversation ends: its stored state goes.
    await eventually(
      async () => (await h.bot.storage.sessions.read(`conv:${USER}:${USER}`)) === undefined,
    );
  });

  it("survives a restart: the choice made after it is still answered", async () => {
    const { lang, prompt, options } = await ask();
    const key = `conv:${USER}:${USER}`;
    expect(await h.bot.storage.sessions.read(key)).toBeDefined();
    await h.restart();
    const choice = options[0]?.callback_data ?? "";
    const since = h.tg.mark();
    h.tg.press(USER, { message_id: prompt?.message_id ?? 0, chat: { id: USER } }, choice);
    const [answer] = await messagesTo(h.tg, USER, since);
    expect(answer?.text).toBe(expectedForChoice(choice, lang));
    // Answered by the resumed conversation, which then ended.
    await nextCall(h.tg, "editMessageReplyMarkup", since);
    expect(await h.bot.storage.sessions.read(key)).toBeUndefined();
  });
});
