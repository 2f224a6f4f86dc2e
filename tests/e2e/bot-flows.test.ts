import { execFile } from "node:child_process";
import { promisify } from "node:util";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { escapeHtml } from "../../src/bot/html.ts";
import { SqliteStorage } from "../../src/storage/sqlite.ts";
import {
  buttons,
  confidentQuestion,
  declinedQuestions,
  expectedFirstMessage,
  type Harness,
  i18n,
  knowledge,
  messagesTo,
  nextCall,
  startHarness,
  TOKEN,
} from "./bot-harness.ts";

const run = promisify(execFile);
const RU_USER = 5001;
const KK_USER = 5002;
const ru = i18n.t("ru");
const kk = i18n.t("kk");

let h: Harness;
beforeEach(async () => {
  h = await startHarness();
  h.tg.user(KK_USER, { languageCode: "kk", firstName: "Айгүл" });
  h.tg.user(RU_USER, { languageCode: "ru", firstName: "Иван" });
});
afterEach(async () => {
  await h?.close();
});

/** The command menu, in the order users see it. */
const MENU = [
  "start",
  "help",
  "lang",
  "sources",
  "forums",
  "subscribe",
  "mysubs",
  "unsubscribe",
  "forget",
];

describe("starting", () => {
  it("removes a webhook and sets the command menus: default, kk and ru", () => {
    expect(h.tg.calls("deleteWebhook")).toHaveLength(1);
    const described = (lang: "kk" | "ru") =>
      MENU.map((command) => ({
        command,
        description: i18n.t(lang)(`commands.${command}`),
      }));
    expect(h.tg.commands()).toEqual(described("ru"));
    expect(h.tg.commands(undefined, "kk")).toEqual(described("kk"));
    expect(h.tg.commands(undefined, "ru")).toEqual(described("ru"));
  });
});

describe("commands", () => {
  it("/start welcomes in the user's language with example questions that answer with citations", async () => {
    let since = h.tg.mark();
    h.tg.command(KK_USER, "start");
    const [welcome] = await messagesTo(h.tg, KK_USER, since);
    expect(welcome?.text).toContain("Сәлеметсіз бе, Айгүл!");
    const examples = buttons(welcome?.reply_markup);
    expect(examples.length).toBeGreaterThanOrEqual(3);
    expect(examples.every((b) => b.callback_data?.startsWith("f:"))).toBe(true);

    since = h.tg.mark();
    h.tg.press(
      KK_USER,
      { message_id: welcome?.message_id ?? 0, chat: { id: KK_USER } },
      examples[0]?.callback_data ?? "",
    );
    const [answer] = await messagesTo(h.tg, KK_USER, since);
    expect(answer?.text).toContain("📰");
    expect(buttons(answer?.reply_markup).map((b) => b.callback_data)).toEqual([
      expect.stringMatching(/^fb:\d+:u$/),
      expect.stringMatching(/^fb:\d+:d$/),
    ]);
    expect(h.tg.unansweredCallbackQueries()).toEqual([]);
  });

  it("/help, and an unknown command", async () => {
    const since = h.tg.mark();
    h.tg.command(RU_USER, "help");
    h.tg.command(RU_USER, "weather");
    const [help, unknown] = await messagesTo(h.tg, RU_USER, since, 2);
    expect(help?.text).toBe(ru("help.text", { bot: "fake_test_bot" }));
    expect(unknown?.text).toBe(ru("unknown_command"));
  });

  it("/sources lists the articles with outlet, date and link", async () => {
    const since = h.tg.mark();
    h.tg.command(RU_USER, "sources");
    const messages = await messagesTo(h.tg, RU_USER, since);
    const text = messages.map((m) => m.text).join("\n");
    expect(text).toContain("kremlin.ru");
    expect(text).toContain("07.11.2019");
    expect(text).toContain('<a href="http://kremlin.ru/events/president/news/copy/61997">');
    expect(text).toContain("Egemen.kz");
    expect(text).toContain(ru("sources.title", { count: knowledge().kb.sources.size }));
  });

  it("/forums lists the events; a press opens the card with its facts, a page at a time", async () => {
    const { kb } = knowledge();
    let since = h.tg.mark();
    h.tg.command(RU_USER, "forums");
    const [list] = await messagesTo(h.tg, RU_USER, since);
    const events = buttons(list?.reply_markup);
    expect(events).toHaveLength(kb.events.length);
    const xvi = kb.events.findIndex((e) => e.id === "forum-xvi-omsk-2019");
    since = h.tg.mark();
    h.tg.press(
      RU_USER,
      { message_id: list?.message_id ?? 0, chat: { id: RU_USER } },
      events[xvi]?.callback_data ?? "",
    );
    const [card] = await messagesTo(h.tg, RU_USER, since);
    expect(card?.text).toContain(
      "<b>XVI Форум межрегионального сотрудничества России и Казахстана</b>",
    );
    expect(card?.text).toContain("Омск");
    expect(card?.text).toContain("07.11.2019");
    const firstFact = kb.facts.find((f) => f.forum === "forum-xvi-omsk-2019");
    expect(card?.text).toContain(escapeHtml(firstFact?.answer.ru ?? "-"));
    const more = buttons(card?.reply_markup);
    expect(more[0]?.callback_data).toMatch(/^ev:\w+:1$/);
    since = h.tg.mark();
    h.tg.press(
      RU_USER,
      { message_id: card?.message_id ?? 0, chat: { id: RU_USER } },
      more[0]?.callback_data ?? "",
    );
    const [page2] = await messagesTo(h.tg, RU_USER, since);
    expect(page2?.text).toContain(
      ru("forums.page", {
        from: 9,
        to: 16,
        count: kb.facts.filter((f) => f.forum === "forum-xvi-omsk-2019").length,
      }),
    );
  });
});

describe("questions", () => {
  it("answers a Kazakh and a Russian question, each in its language, fact then citations", async () => {
    const { kb } = knowledge();
    for (const [user, lang] of [
      [RU_USER, "kk"],
      [KK_USER, "ru"],
    ] as const) {
      const { question, factId } = confidentQuestion(lang);
      const since = h.tg.mark();
      h.tg.message(user, question);
      const [reply] = await messagesTo(h.tg, user, since);
      const fact = kb.factsById.get(factId);
      expect(reply?.text).toBe(expectedFirstMessage(question, lang));
      const text = reply?.text ?? "";
      expect(text.startsWith(escapeHtml(fact?.answer[lang] ?? "-"))).toBe(true);
      expect(text).toContain(escapeHtml(fact?.citations[0]?.quote ?? "-"));
    }
  });

  it("declines an out-of-scope question politely, with example questions as buttons, and logs it", async () => {
    const [outOfScope = ""] = declinedQuestions(1);
    const since = h.tg.mark();
    h.tg.message(RU_USER, outOfScope);
    const [reply] = await messagesTo(h.tg, RU_USER, since);
    expect(reply?.text).toContain(escapeHtml(ru("answer.declined")));
    const examples = buttons(reply?.reply_markup);
    expect(examples.length).toBeGreaterThan(0);
    expect(examples.every((b) => b.callback_data?.startsWith("f:"))).toBe(true);
    const rows = await h.bot.storage.unansweredQuestions();
    expect(rows.map((r) => r.question)).toEqual([outOfScope]);
  });

  it("answers a greeting in kind with example buttons, and thanks without; neither is logged as a gap", async () => {
    let since = h.tg.mark();
    h.tg.message(KK_USER, "Сәлеметсіз бе!");
    const [greeting] = await messagesTo(h.tg, KK_USER, since);
    expect(greeting?.text).toContain(escapeHtml(kk("answer.greeting")));
    expect(greeting?.text).not.toContain(escapeHtml(kk("answer.declined")));
    expect(buttons(greeting?.reply_markup).length).toBeGreaterThan(0);

    since = h.tg.mark();
    h.tg.message(RU_USER, "Спасибо большое!");
    const [thanks] = await messagesTo(h.tg, RU_USER, since);
    expect(thanks?.text).toBe(escapeHtml(ru("answer.thanks")));
    expect(thanks?.reply_markup).toBeUndefined();
    expect(await h.bot.storage.unansweredQuestions()).toEqual([]);
  });

  it("escapes HTML typed in a question", async () => {
    const since = h.tg.mark();
    h.tg.message(RU_USER, '<b>Омск</b> & <script>alert("x")</script> форум?');
    const replies = await messagesTo(h.tg, RU_USER, since);
    // The fake server parses HTML strictly: a reply that went through is valid HTML.
    expect(replies.length).toBeGreaterThan(0);
    expect(h.tg.calls("sendMessage").filter((c) => c.seq >= since && !c.response?.ok)).toEqual([]);
  });

  it("handles a 4,000-character message", async () => {
    const since = h.tg.mark();
    const long = `${"Товарооборот между Россией и Казахстаном & <рост> ".repeat(80)}`.slice(
      0,
      4000,
    );
    expect(long).toHaveLength(4000);
    h.tg.message(RU_USER, long);
    const replies = await messagesTo(h.tg, RU_USER, since);
    for (const reply of replies) expect(reply.text.length).toBeLessThanOrEqual(4096);
    expect(h.tg.calls("sendMessage").filter((c) => c.seq >= since && !c.response?.ok)).toEqual([]);
  });

  it("answers an edited question again", async () => {
    const first = confidentQuestion("ru", 0);
    const second = confidentQuestion("ru", 1);
    let since = h.tg.mark();
    const update = h.tg.message(RU_USER, first.question);
    await messagesTo(h.tg, RU_USER, since);
    since = h.tg.mark();
    h.tg.editMessage(
      RU_USER,
      update.message ?? { message_id: 0, chat: { id: RU_USER } },
      second.question,
    );
    const [reply] = await messagesTo(h.tg, RU_USER, since);
    expect(reply?.text).toBe(expectedFirstMessage(second.question, "ru"));
  });

  it("answers stickers, photos and voice messages with a short hint", async () => {
    const since = h.tg.mark();
    h.tg.sticker(KK_USER);
    h.tg.photo(RU_USER);
    h.tg.voice(RU_USER);
    const [kkHint] = await messagesTo(h.tg, KK_USER, since);
    const ruHints = await messagesTo(h.tg, RU_USER, since, 2);
    expect(kkHint?.text).toBe(kk("nontext.hint"));
    expect(ruHints.map((m) => m.text)).toEqual([ru("nontext.hint"), ru("nontext.hint")]);
  });

  it("in groups answers commands, mentions and replies to it, and nothing else", async () => {
    const GROUP = -100200;
    const { question } = confidentQuestion("ru");
    let since = h.tg.mark();
    h.tg.groupMessage(RU_USER, GROUP, question);
    h.tg.command(RU_USER, "help", "", { chatId: GROUP, withBotName: true });
    const [help] = await messagesTo(h.tg, GROUP, since);
    expect(help?.text).toBe(ru("help.text", { bot: "fake_test_bot" }));

    since = h.tg.mark();
    h.tg.groupMessage(RU_USER, GROUP, question, { mention: true });
    const [byMention] = await messagesTo(h.tg, GROUP, since);
    expect(byMention?.text).toBe(expectedFirstMessage(question, "ru"));

    since = h.tg.mark();
    h.tg.groupMessage(KK_USER, GROUP, confidentQuestion("kk").question, {
      replyTo: "lastBotMessage",
    });
    const [byReply] = await messagesTo(h.tg, GROUP, since);
    expect(byReply?.text).toBe(expectedFirstMessage(confidentQuestion("kk").question, "kk"));

    // Exactly three messages went to the group: the plain question got nothing.
    await new Promise((resolve) => setTimeout(resolve, 100));
    expect(h.tg.sent(GROUP)).toHaveLength(3);
  });
});

describe("languages", () => {
  it("/lang offers kk, ru and automatic; a press stores the choice, edits the message and the chat's menu", async () => {
    let since = h.tg.mark();
    h.tg.command(RU_USER, "lang");
    const [prompt] = await messagesTo(h.tg, RU_USER, since);
    expect(buttons(prompt?.reply_markup).map((b) => b.callback_data)).toEqual([
      "lang:kk",
      "lang:ru",
      "lang:auto",
    ]);

    since = h.tg.mark();
    h.tg.press(RU_USER, { message_id: prompt?.message_id ?? 0, chat: { id: RU_USER } }, "lang:kk");
    const edit = await nextCall(h.tg, "editMessageText", since, RU_USER);
    expect(edit.payload.text).toBe(kk("lang.set_kk"));
    await nextCall(h.tg, "setMyCommands", since);
    expect(h.tg.commands({ type: "chat", chat_id: RU_USER })).toEqual(
      MENU.map((command) => ({
        command,
        description: kk(`commands.${command}`),
      })),
    );
    expect(h.tg.unansweredCallbackQueries()).toEqual([]);

    // The same press again changes nothing, and is no error.
    since = h.tg.mark();
    h.tg.press(RU_USER, { message_id: prompt?.message_id ?? 0, chat: { id: RU_USER } }, "lang:kk");
    await nextCall(h.tg, "answerCallbackQuery", since);
    await h.tg.waitFor("editMessageText", { since });
    expect(h.logs.filter((line) => line.includes(`"level":"error"`))).toEqual([]);

    // A Russian question now gets a Kazakh answer.
    const { question } = confidentQuestion("ru");
    since = h.tg.mark();
    h.tg.message(RU_USER, question);
    const [reply] = await messagesTo(h.tg, RU_USER, since);
    expect(reply?.text).toBe(expectedFirstMessage(question, "kk"));

    // Back to automatic: the chat's own menu goes.
    since = h.tg.mark();
    h.tg.press(
      RU_USER,
      { message_id: prompt?.message_id ?? 0, chat: { id: RU_USER } },
      "lang:auto",
    );
    await nextCall(h.tg, "deleteMyCommands", since);
    expect(h.tg.commands({ type: "chat", chat_id: RU_USER })).toBeUndefined();
  });

  it("without a choice, follows each message's language, then the last one, then language_code", async () => {
    const kkQ = confidentQuestion("kk").question;
    let since = h.tg.mark();
    h.tg.command(KK_USER, "help");
    const [help] = await messagesTo(h.tg, KK_USER, since);
    expect(help?.text).toBe(kk("help.text", { bot: "fake_test_bot" }));

    since = h.tg.mark();
    h.tg.message(RU_USER, kkQ);
    h.tg.command(RU_USER, "help");
    const [answer, helpAfter] = await messagesTo(h.tg, RU_USER, since, 2);
    expect(answer?.text).toBe(expectedFirstMessage(kkQ, "kk"));
    expect(helpAfter?.text).toBe(kk("help.text", { bot: "fake_test_bot" }));
  });

  it("keeps the language choice over a restart", async () => {
    let since = h.tg.mark();
    h.tg.command(RU_USER, "lang");
    const [prompt] = await messagesTo(h.tg, RU_USER, since);
    since = h.tg.mark();
    h.tg.press(RU_USER, { message_id: prompt?.message_id ?? 0, chat: { id: RU_USER } }, "lang:kk");
    await nextCall(h.tg, "setMyCommands", since);

    await h.restart();

    const { question } = confidentQuestion("ru");
    since = h.tg.mark();
    h.tg.message(RU_USER, question);
    const [reply] = await messagesTo(h.tg, RU_USER, since);
    expect(reply?.text).toBe(expectedFirstMessage(question, "kk"));
    // The restart saw no update twice: one edit for the one press.
    expect(h.tg.calls("editMessageText")).toHaveLength(1);
  });
});

describe("inline mode", () => {
  it("offers matching facts with citations in the query's language", async () => {
    const { kb } = knowledge();
    for (const lang of ["kk", "ru"] as const) {
      const { question, factId } = confidentQuestion(lang);
      const since = h.tg.mark();
      h.tg.inlineQuery(RU_USER, question);
      const call = await nextCall(h.tg, "answerInlineQuery", since);
      const results = call.payload.results as {
        title: string;
        input_message_content: { message_text: string; parse_mode: string };
      }[];
      expect(results.length).toBeGreaterThan(0);
      const fact = kb.factsById.get(factId);
      expect(results[0]?.title.slice(0, 50)).toBe(fact?.answer[lang].slice(0, 50));
      expect(results[0]?.input_message_content.parse_mode).toBe("HTML");
      expect(results[0]?.input_message_content.message_text).toContain("📰");
      expect(results[0]?.input_message_content.message_text).toContain(
        escapeHtml(fact?.citations[0]?.quote ?? "-"),
      );
    }
  });

  it("offers examples for an empty query and nothing for an out-of-scope one", async () => {
    let since = h.tg.mark();
    h.tg.inlineQuery(RU_USER, "");
    const empty = await nextCall(h.tg, "answerInlineQuery", since);
    expect((empty.payload.results as unknown[]).length).toBeGreaterThan(0);
    since = h.tg.mark();
    h.tg.inlineQuery(RU_USER, "рецепт борща");
    const none = await nextCall(h.tg, "answerInlineQuery", since);
    expect(none.payload.results).toEqual([]);
  });
});

describe("feedback", () => {
  it("stores 👍/👎 and kb:feedback lists the unanswered and down-voted questions, most frequent first", async () => {
    const { question } = confidentQuestion("ru");
    let since = h.tg.mark();
    h.tg.message(RU_USER, question);
    const [answer] = await messagesTo(h.tg, RU_USER, since);
    const [up, down] = buttons(answer?.reply_markup);
    const ref = { message_id: answer?.message_id ?? 0, chat: { id: RU_USER } };

    since = h.tg.mark();
    h.tg.press(RU_USER, ref, up?.callback_data ?? "");
    const thanks = await nextCall(h.tg, "answerCallbackQuery", since);
    expect(thanks.payload.text).toBe(ru("feedback.thanks_up"));
    await nextCall(h.tg, "editMessageReplyMarkup", since);
    expect(buttons(h.tg.getMessage(RU_USER, ref.message_id)?.reply_markup)[0]?.text).toBe("👍 ✓");

    since = h.tg.mark();
    h.tg.press(RU_USER, ref, down?.callback_data ?? "");
    await nextCall(h.tg, "editMessageReplyMarkup", since);

    const [first = "", second = ""] = declinedQuestions(2);
    for (const text of [first, `${first.toUpperCase()}?!`, second]) {
      since = h.tg.mark();
      h.tg.message(RU_USER, text);
      await messagesTo(h.tg, RU_USER, since);
    }
    await h.bot.stop();

    const { stdout } = await run("node", ["--import", "tsx", "src/cli/kb-feedback.ts", "--json"], {
      env: { ...process.env, DATA_DIR: h.dataDir },
      cwd: process.cwd(),
    });
    const report = JSON.parse(stdout) as {
      unanswered: { question: string; count: number }[];
      downvoted: { question: string; down: number; up: number }[];
    };
    expect(report.unanswered.map((r) => [r.question, r.count])).toEqual([
      [`${first.toUpperCase()}?!`, 2],
      [second, 1],
    ]);
    expect(report.downvoted.map((r) => [r.question, r.down, r.up])).toEqual([[question, 1, 0]]);

    const text = await run("node", ["--import", "tsx", "src/cli/kb-feedback.ts"], {
      env: { ...process.env, DATA_DIR: h.dataDir },
    });
    expect(text.stdout).toContain(`2×  [ru] ${first.toUpperCase()}?!`);
  });
});

describe("robustness", () => {
  it("waits out a 429 on sendMessage and delivers", async () => {
    const { question } = confidentQuestion("ru");
    h.tg.failNext("sendMessage", { code: 429, retryAfter: 1 });
    const since = h.tg.mark();
    const started = Date.now();
    h.tg.message(RU_USER, question);
    const [reply] = await messagesTo(h.tg, RU_USER, since, 1, 5000);
    expect(Date.now() - started).toBeGreaterThanOrEqual(900);
    expect(reply?.text).toBe(expectedFirstMessage(question, "ru"));
    const attempts = h.tg.calls("sendMessage").filter((c) => c.seq >= since);
    expect(attempts.map((c) => c.response?.ok)).toEqual([false, true]);
  });

  it("keeps going after a 403 (blocked) and a 500, and logs without the token", async () => {
    const { question } = confidentQuestion("ru");
    h.tg.block(RU_USER);
    let since = h.tg.mark();
    h.tg.message(RU_USER, question);
    await h.tg.waitFor((c) => c.method === "sendMessage" && c.response?.ok === false, { since });
    h.tg.unblock(RU_USER);

    h.tg.failNext("sendMessage", { code: 500, description: "Internal Server Error" });
    since = h.tg.mark();
    h.tg.message(KK_USER, question);
    const [reply] = await messagesTo(h.tg, KK_USER, since, 1, 8000);
    expect(reply?.text).toBe(expectedFirstMessage(question, "ru"));

    h.tg.failNext("answerInlineQuery", { code: 400, description: "Bad Request: query is too old" });
    since = h.tg.mark();
    h.tg.inlineQuery(RU_USER, question);
    await h.tg.waitFor("answerInlineQuery", { since });

    h.tg.failNext("getUpdates", { code: 500, description: "Internal Server Error" });
    since = h.tg.mark();
    h.tg.command(RU_USER, "help");
    await messagesTo(h.tg, RU_USER, since, 1, 8000);

    const logs = h.logs.join("\n");
    expect(logs).toContain("polling failed: 500");
    expect(logs).toContain("403");
    expect(logs).toContain("query is too old");
    expect(logs).not.toContain(TOKEN);
    expect(logs).not.toContain(TOKEN.split(":")[1]);
  }, 20_000);

  it("rate-limits a flood from one user: a burst passes, one notice, the rest dropped", async () => {
    const since = h.tg.mark();
    for (let i = 0; i < 30; i++) h.tg.command(RU_USER, "help");
    const messages = await messagesTo(h.tg, RU_USER, since, 21);
    await new Promise((resolve) => setTimeout(resolve, 200));
    const all = h.tg.sent(RU_USER).slice(-21);
    expect(messages).toHaveLength(21);
    expect(all.filter((m) => m.text === ru("ratelimit.slow_down"))).toHaveLength(1);
    expect(h.tg.calls("sendMessage").filter((c) => c.seq >= since)).toHaveLength(21);
  });

  it("/forget asks first, then deletes everything stored about the user", async () => {
    const { question } = confidentQuestion("ru");
    let since = h.tg.mark();
    h.tg.message(RU_USER, question);
    const [answer] = await messagesTo(h.tg, RU_USER, since);
    since = h.tg.mark();
    h.tg.press(
      RU_USER,
      { message_id: answer?.message_id ?? 0, chat: { id: RU_USER } },
      buttons(answer?.reply_markup)[1]?.callback_data ?? "",
    );
    await nextCall(h.tg, "answerCallbackQuery", since);

    since = h.tg.mark();
    h.tg.command(RU_USER, "forget");
    const [confirm] = await messagesTo(h.tg, RU_USER, since);
    expect(confirm?.text).toBe(ru("forget.confirm"));
    const ref = { message_id: confirm?.message_id ?? 0, chat: { id: RU_USER } };
    since = h.tg.mark();
    h.tg.press(RU_USER, ref, "forget:no");
    expect((await nextCall(h.tg, "editMessageText", since)).payload.text).toBe(
      ru("forget.cancelled"),
    );
    expect((await h.bot.storage.stats()).questions).toBe(1);

    since = h.tg.mark();
    h.tg.command(RU_USER, "forget");
    const [again] = await messagesTo(h.tg, RU_USER, since);
    since = h.tg.mark();
    h.tg.press(
      RU_USER,
      { message_id: again?.message_id ?? 0, chat: { id: RU_USER } },
      "forget:yes",
    );
    expect((await nextCall(h.tg, "editMessageText", since)).payload.text).toBe(ru("forget.done"));
    await h.bot.stop();

    const storage = new SqliteStorage({ dataDir: h.dataDir });
    try {
      const count = (sql: string) => storage.db.prepare(sql).pluck().get();
      expect(count(`SELECT COUNT(*) FROM users WHERE user_id = ${RU_USER}`)).toBe(0);
      expect(count(`SELECT COUNT(*) FROM questions WHERE user_id = ${RU_USER}`)).toBe(0);
      expect(count(`SELECT COUNT(*) FROM votes WHERE user_id = ${RU_USER}`)).toBe(0);
      expect(count(`SELECT COUNT(*) FROM sessions WHERE key LIKE '%:${RU_USER}'`)).toBe(0);
    } finally {
      await storage.close();
    }
  });
});
