import { autoRetry } from "@grammyjs/auto-retry";
import { type RunnerHandle, run } from "@grammyjs/runner";
import { Bot, GrammyError, HttpError, InlineKeyboard, InputFile } from "grammy";
import type { Message, Update } from "grammy/types";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import {
  type ApiResponse,
  buttonData,
  type FakeTelegram,
  startFakeTelegram,
} from "./fake-telegram/server.ts";

let server: FakeTelegram;
let runner: RunnerHandle | undefined;

beforeEach(async () => {
  server = await startFakeTelegram();
});

afterEach(async () => {
  if (runner?.isRunning()) await runner.stop();
  runner = undefined;
  await server.close();
});

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

function makeBot(): Bot {
  return new Bot(server.token, { client: { apiRoot: server.apiRoot } });
}

/** Raw HTTP call, bypassing grammY, to observe exactly what the server answers. */
async function raw(
  method: string,
  payload: Record<string, unknown> = {},
  token = server.token,
): Promise<{ status: number; body: ApiResponse }> {
  const res = await fetch(`${server.apiRoot}/bot${token}/${method}`, {
    method: "POST",
    headers: { "content-type": "application/json" },
    body: JSON.stringify(payload),
  });
  return { status: res.status, body: (await res.json()) as ApiResponse };
}

function updatesOf(r: { body: ApiResponse }): Update[] {
  if (!r.body.ok) throw new Error(`expected ok, got ${r.body.error_code} ${r.body.description}`);
  return r.body.result as Update[];
}

async function rejection(promise: Promise<unknown>): Promise<GrammyError> {
  try {
    await promise;
  } catch (error) {
    if (error instanceof GrammyError) return error;
    throw error;
  }
  throw new Error("expected the call to fail");
}

describe("getUpdates long polling", () => {
  it("redelivers updates until they are confirmed by offset, never after", async () => {
    const a = server.message(1, "a");
    const b = server.message(1, "b");
    expect(b.update_id).toBe(a.update_id + 1);

    const first = updatesOf(await raw("getUpdates", { timeout: 0 }));
    expect(first.map((u) => u.message?.text)).toEqual(["a", "b"]);
    // No offset given: nothing confirmed, the same updates come again.
    const again = updatesOf(await raw("getUpdates", { offset: 0, timeout: 0 }));
    expect(again.map((u) => u.update_id)).toEqual([a.update_id, b.update_id]);

    // Confirm "a"; limit 1 returns only "b".
    const onlyB = updatesOf(
      await raw("getUpdates", { offset: a.update_id + 1, limit: 1, timeout: 0 }),
    );
    expect(onlyB.map((u) => u.update_id)).toEqual([b.update_id]);
    expect(server.pendingUpdates().map((u) => u.update_id)).toEqual([b.update_id]);

    // Confirm "b": queue empty, nothing redelivered even with an older offset afterwards.
    expect(updatesOf(await raw("getUpdates", { offset: b.update_id + 1, timeout: 0 }))).toEqual([]);
    expect(updatesOf(await raw("getUpdates", { offset: a.update_id, timeout: 0 }))).toEqual([]);
    expect(server.pendingUpdates()).toEqual([]);

    const c = server.message(1, "c");
    const onlyC = updatesOf(await raw("getUpdates", { offset: b.update_id + 1, timeout: 0 }));
    expect(onlyC.map((u) => u.message?.text)).toEqual(["c"]);
    expect(updatesOf(await raw("getUpdates", { offset: c.update_id + 1, timeout: 0 }))).toEqual([]);
  });

  it("holds a poll open and answers it as soon as an update is pushed", async () => {
    const started = Date.now();
    let settled = false;
    const poll = raw("getUpdates", { timeout: 10 }).finally(() => {
      settled = true;
    });
    await server.waitForRequest("getUpdates");
    await sleep(150);
    expect(settled).toBe(false);
    expect(server.pendingPolls).toBe(1);

    const pushed = server.message(5, "wake up");
    const updates = updatesOf(await poll);
    const elapsed = Date.now() - started;
    expect(updates.map((u) => u.update_id)).toEqual([pushed.update_id]);
    expect(elapsed).toBeGreaterThanOrEqual(140);
    expect(elapsed).toBeLessThan(2000);
  });

  it("answers an empty list once the timeout passes", async () => {
    const started = Date.now();
    const updates = updatesOf(await raw("getUpdates", { timeout: 1 }));
    const elapsed = Date.now() - started;
    expect(updates).toEqual([]);
    expect(elapsed).toBeGreaterThanOrEqual(950);
    expect(elapsed).toBeLessThan(2500);
  });

  it("terminates an older poll with 409 when a second poller arrives", async () => {
    const older = raw("getUpdates", { timeout: 5 });
    await sleep(50);
    const newer = await raw("getUpdates", { timeout: 0 });
    const old = await older;
    expect(newer.body.ok).toBe(true);
    expect(old.status).toBe(409);
    expect(old.body).toMatchObject({ ok: false, error_code: 409 });
  });

  it("ends pending long polls with an empty result on close()", async () => {
    const started = Date.now();
    const poll = raw("getUpdates", { timeout: 30 });
    await sleep(50);
    await server.close();
    const r = await poll;
    expect(r.body).toEqual({ ok: true, result: [] });
    expect(Date.now() - started).toBeLessThan(1500);
  });
});

describe("protocol", () => {
  it("rejects a wrong token with 401 Unauthorized", async () => {
    const r = await raw("getMe", {}, "999:wrong-token");
    expect(r.status).toBe(401);
    expect(r.body).toEqual({ ok: false, error_code: 401, description: "Unauthorized" });
    const good = await raw("getMe");
    expect(good.body).toMatchObject({ ok: true, result: { id: 123456789, is_bot: true } });
  });

  it("records unknown methods and answers them with true", async () => {
    const bot = makeBot();
    await expect(bot.api.setMyDescription("Cooperation bot")).resolves.toBe(true);
    expect(server.unknownCalls().map((c) => [c.method, c.payload.description])).toEqual([
      ["setMyDescription", "Cooperation bot"],
    ]);
    expect(server.calls("setMyDescription")[0]?.known).toBe(false);
  });

  it("accepts form-urlencoded bodies and multipart uploads", async () => {
    const res = await fetch(`${server.apiRoot}/bot${server.token}/sendMessage`, {
      method: "POST",
      headers: { "content-type": "application/x-www-form-urlencoded" },
      body: new URLSearchParams({ chat_id: "77", text: "12345" }).toString(),
    });
    const body = (await res.json()) as ApiResponse;
    expect(body).toMatchObject({
      ok: true,
      result: { chat: { id: 77, type: "private" }, text: "12345" },
    });

    const bot = makeBot();
    const doc = await bot.api.sendDocument(77, new InputFile(Buffer.from("hello"), "report.txt"), {
      caption: "<b>Report</b>",
      parse_mode: "HTML",
    });
    expect(doc.document?.file_name).toBe("report.txt");
    expect(doc.caption).toBe("Report");
    expect(doc.caption_entities).toEqual([{ type: "bold", offset: 0, length: 6 }]);
    expect(server.calls("sendDocument")[0]?.payload.document).toMatchObject({
      uploaded: true,
      filename: "report.txt",
      size: 5,
    });
  });
});

describe("a real grammY bot", () => {
  it("replies through @grammyjs/runner, shows a keyboard and handles a button press", async () => {
    const bot = makeBot();
    bot.command("start", (ctx) =>
      ctx.reply("Сәлем! <b>Choose a language</b>", {
        parse_mode: "HTML",
        reply_markup: new InlineKeyboard().text("Қазақша", "lang:kk").text("Русский", "lang:ru"),
      }),
    );
    bot.callbackQuery(/^lang:(kk|ru)$/, async (ctx) => {
      await ctx.answerCallbackQuery({ text: "OK" });
      await ctx.editMessageText(`Language: ${ctx.match[1]}`);
    });
    bot.on("message:text", (ctx) => ctx.reply(`echo: ${ctx.message.text}`));
    runner = run(bot);

    const startUpdate = server.command(42, "start", "", {
      languageCode: "kk",
      firstName: "Aigerim",
    });
    expect(startUpdate.message?.from).toEqual({
      id: 42,
      is_bot: false,
      first_name: "Aigerim",
      language_code: "kk",
    });
    const menu = await server.waitForSent(42);
    expect(menu.text).toBe("Сәлем! Choose a language");
    expect(menu.entities).toEqual([{ type: "bold", offset: 7, length: 17 }]);
    expect(menu.chat).toMatchObject({ id: 42, type: "private", first_name: "Aigerim" });
    expect(menu.from?.is_bot).toBe(true);
    expect(menu.message_id).toBe((startUpdate.message?.message_id ?? 0) + 1);
    expect(buttonData(menu)).toEqual(["lang:kk", "lang:ru"]);

    server.message(42, "hello");
    const echo = await server.waitForSent(42, { text: "echo: hello" });
    expect(echo.message_id).toBe(menu.message_id + 2);

    expect(() => server.press(42, menu, "lang:xx")).toThrow(/no button/);
    const since = server.mark();
    server.press(42, menu, "lang:kk");
    const edit = await server.waitFor("editMessageText", { since });
    expect(edit.response?.ok).toBe(true);
    const edited = server.getMessage(42, menu.message_id);
    expect(edited?.text).toBe("Language: kk");
    expect(edited?.reply_markup).toBeUndefined();
    expect(server.unansweredCallbackQueries()).toEqual([]);
    expect(server.calls("answerCallbackQuery")[0]?.payload.text).toBe("OK");

    await runner.stop();
    expect(server.calls("getMe")).toHaveLength(1);
    const offsets = server.calls("getUpdates").map((c) => Number(c.payload.offset ?? 0));
    expect(offsets.length).toBeGreaterThanOrEqual(3);
    expect([...offsets].sort((x, y) => x - y)).toEqual(offsets);
    expect(server.transcript(42).split("\n")).toEqual([
      "user: /start",
      "bot: Language: kk",
      "user: hello",
      "bot: echo: hello",
    ]);
  });

  it("autoRetry survives an injected 429 (retry_after 1) and the reply is delivered", async () => {
    const bot = makeBot();
    bot.api.config.use(autoRetry());
    bot.on("message:text", (ctx) => ctx.reply(`got ${ctx.message.text}`));
    server.failNext("sendMessage", { code: 429, retryAfter: 1 });
    runner = run(bot);

    server.message(9, "ping");
    const delivered = await server.waitForSent(9, { timeoutMs: 5000 });
    expect(delivered.text).toBe("got ping");

    const attempts = server.calls("sendMessage");
    expect(attempts).toHaveLength(2);
    expect(attempts[0]?.response).toEqual({
      ok: false,
      error_code: 429,
      description: "Too Many Requests: retry after 1",
      parameters: { retry_after: 1 },
    });
    expect(attempts[0]?.faulted).toBe(true);
    expect(attempts[1]?.response?.ok).toBe(true);
    expect((attempts[1]?.at ?? 0) - (attempts[0]?.at ?? 0)).toBeGreaterThanOrEqual(950);
    expect(server.sent(9).map((p) => p.text)).toEqual(["got ping"]);
  });

  it("surfaces an injected 403 as a GrammyError only for the filtered chat", async () => {
    const bot = makeBot();
    bot.api.config.use(autoRetry());
    server.failNext("sendMessage", { code: 403 }, 1, (p) => p.chat_id === 555);

    await expect(bot.api.sendMessage(556, "other chat")).resolves.toMatchObject({
      text: "other chat",
    });
    const error = await rejection(bot.api.sendMessage(555, "blocked?"));
    expect(error.error_code).toBe(403);
    expect(error.description).toBe("Forbidden: bot was blocked by the user");
    expect(server.calls("sendMessage")).toHaveLength(2); // 403 is not retried
    expect(server.sent(555)).toEqual([]);
    // The fault was consumed once: the next send to 555 goes through.
    await expect(bot.api.sendMessage(555, "now fine")).resolves.toMatchObject({ text: "now fine" });

    server.block(600);
    const blocked = await rejection(bot.api.sendMessage(600, "x"));
    expect(blocked.error_code).toBe(403);
  });

  it("can drop connections and fail any method with '*'", async () => {
    const bot = makeBot();
    server.failNext("sendMessage", { drop: true });
    await expect(bot.api.sendMessage(1, "lost")).rejects.toBeInstanceOf(HttpError);
    expect(server.calls("sendMessage")[0]).toMatchObject({ faulted: true, aborted: true });

    const handle = server.failNext("*", { code: 500 }, 2);
    const first = await rejection(bot.api.getMe());
    expect([first.error_code, first.description]).toEqual([500, "Internal Server Error"]);
    expect(handle.remaining).toBe(1);
    handle.cancel();
    await expect(bot.api.getMe()).resolves.toMatchObject({ username: "fake_test_bot" });
    expect(server.sent()).toEqual([]);
  });

  it("applies artificial latency per method", async () => {
    const bot = makeBot();
    server.setLatency("sendMessage", 200);
    const started = Date.now();
    await bot.api.sendMessage(1, "slow");
    expect(Date.now() - started).toBeGreaterThanOrEqual(190);
    const fastStart = Date.now();
    await bot.api.sendChatAction(1, "typing");
    expect(Date.now() - fastStart).toBeLessThan(150);
  });

  it("reports per-chat send timestamps for pacing assertions", async () => {
    const bot = makeBot();
    await bot.api.sendMessage(1, "one");
    await sleep(120);
    await bot.api.sendMessage(1, "two");
    await bot.api.sendMessage(2, "other");
    const times = server.sendTimes();
    expect(times.get("1")).toHaveLength(2);
    expect(times.get("2")).toHaveLength(1);
    expect(server.minGapMs(1)).toBeGreaterThanOrEqual(100);
    expect(server.minGapMs(2)).toBe(Number.POSITIVE_INFINITY);
    expect(server.maxSendsInWindow(100, { chatId: 1 })).toBe(1);
    expect(server.maxSendsInWindow(1000)).toBe(3);
  });
});

describe("Telegram validation", () => {
  it("rejects malformed HTML and accepts properly escaped text", async () => {
    const bot = makeBot();
    const cases: Array<[string, string]> = [
      ["<foo>bar</foo>", 'Unsupported start tag "foo" at byte offset 0'],
      ["<b>bold", 'Can\'t find end tag corresponding to start tag "b"'],
      ["<b><i>x</b></i>", 'Unmatched end tag at byte offset 7, expected "</i>", found "</b>"'],
      ["1 < 2", 'Unsupported start tag "" at byte offset 2'],
      ["Q&A", 'Unescaped "&"'],
      ["</b>", "Unexpected end tag at byte offset 0"],
    ];
    for (const [text, message] of cases) {
      const error = await rejection(bot.api.sendMessage(1, text, { parse_mode: "HTML" }));
      expect(error.error_code).toBe(400);
      expect(error.description).toContain(`Bad Request: can't parse entities: ${message}`);
    }

    const ok = await bot.api.sendMessage(
      1,
      '&lt;foo&gt; &amp; &quot;x&quot; <b>bold</b> <a href="https://example.kz/?a=1&amp;b=2">link</a>',
      { parse_mode: "HTML" },
    );
    expect(ok.text).toBe('<foo> & "x" bold link');
    expect(ok.entities).toEqual([
      { type: "bold", offset: 12, length: 4 },
      { type: "text_link", offset: 17, length: 4, url: "https://example.kz/?a=1&b=2" },
    ]);
    // Without parse_mode the same characters are plain text.
    await expect(bot.api.sendMessage(1, "<foo> & Q&A")).resolves.toMatchObject({
      text: "<foo> & Q&A",
    });
    expect(server.sent(1)).toHaveLength(2);
  });

  it("enforces the 4096 UTF-16 code unit limit after entity parsing", async () => {
    const bot = makeBot();
    const tooLong = await rejection(bot.api.sendMessage(1, "a".repeat(4097)));
    expect(tooLong.error_code).toBe(400);
    expect(tooLong.description).toBe("Bad Request: message is too long");

    await expect(bot.api.sendMessage(1, "a".repeat(4096))).resolves.toMatchObject({
      message_id: 1,
    });
    // Tags do not count ...
    const html = await bot.api.sendMessage(1, `<b>${"a".repeat(4096)}</b>`, { parse_mode: "HTML" });
    expect(html.text).toHaveLength(4096);
    // ... decoded entities count once each ...
    const decoded = await rejection(
      bot.api.sendMessage(1, "&amp;".repeat(4097), { parse_mode: "HTML" }),
    );
    expect(decoded.description).toBe("Bad Request: message is too long");
    // ... and astral characters count twice.
    const emoji = await rejection(bot.api.sendMessage(1, "😀".repeat(2049)));
    expect(emoji.description).toBe("Bad Request: message is too long");

    const empty = await rejection(bot.api.sendMessage(1, "   "));
    expect(empty.description).toBe("Bad Request: message text is empty");
  });

  it("rejects callback_data longer than 64 bytes and text-only inline buttons", async () => {
    const bot = makeBot();
    const ok = await bot.api.sendMessage(1, "fits", {
      reply_markup: new InlineKeyboard().text("x", "d".repeat(64)),
    });
    expect(buttonData(ok)).toEqual(["d".repeat(64)]);

    const tooLong = await rejection(
      bot.api.sendMessage(1, "too long", {
        reply_markup: new InlineKeyboard().text("x", "d".repeat(65)),
      }),
    );
    expect(tooLong.description).toBe("Bad Request: BUTTON_DATA_INVALID");
    // 33 Cyrillic letters are 66 bytes.
    const cyrillic = await rejection(
      bot.api.sendMessage(1, "bytes", {
        reply_markup: new InlineKeyboard().text("x", "ж".repeat(33)),
      }),
    );
    expect(cyrillic.description).toBe("Bad Request: BUTTON_DATA_INVALID");
    const textOnly = await rejection(
      bot.api.sendMessage(1, "no action", {
        reply_markup: { inline_keyboard: [[{ text: "x" } as never]] },
      }),
    );
    expect(textOnly.description).toContain("Text buttons are unallowed in the inline keyboard");
  });

  it("knows edits, deletions and answered queries", async () => {
    const bot = makeBot();
    const msg = await bot.api.sendMessage(3, "v1", {
      reply_markup: new InlineKeyboard().text("a", "a"),
    });
    const notModified = await rejection(
      bot.api.editMessageText(3, msg.message_id, "v1", {
        reply_markup: new InlineKeyboard().text("a", "a"),
      }),
    );
    expect(notModified.description).toMatch(/^Bad Request: message is not modified/);
    const edited = (await bot.api.editMessageText(3, msg.message_id, "v2")) as Message;
    expect(edited.text).toBe("v2");
    expect(edited.reply_markup).toBeUndefined();

    await expect(bot.api.deleteMessage(3, msg.message_id)).resolves.toBe(true);
    const gone = await rejection(bot.api.editMessageText(3, msg.message_id, "v3"));
    expect(gone.description).toBe("Bad Request: message to edit not found");
    const missingReply = await rejection(
      bot.api.sendMessage(3, "reply", { reply_parameters: { message_id: 999 } }),
    );
    expect(missingReply.description).toBe("Bad Request: message to be replied not found");

    const query = server.inlineQuery(8, "astana");
    const id = query.inline_query?.id ?? "";
    await expect(bot.api.answerInlineQuery(id, [])).resolves.toBe(true);
    const twice = await rejection(bot.api.answerInlineQuery(id, []));
    expect(twice.description).toMatch(/query is too old/);

    await expect(bot.api.setMyCommands([{ command: "start", description: "Start" }])).resolves.toBe(
      true,
    );
    await expect(bot.api.getMyCommands()).resolves.toEqual([
      { command: "start", description: "Start" },
    ]);
    const badCommand = await rejection(
      bot.api.setMyCommands([{ command: "Start", description: "x" }]),
    );
    expect(badCommand.description).toBe("Bad Request: BOT_COMMAND_INVALID");
    const badAction = await rejection(bot.api.sendChatAction(3, "dancing" as "typing"));
    expect(badAction.description).toBe("Bad Request: wrong parameter action in request");
  });

  it("builds realistic group, media and edited-message updates", async () => {
    const bot = makeBot();
    const botMsg = await bot.api.sendMessage(-100, "bot says");
    const group = server.groupMessage(11, -100, "what about Omsk?", {
      mention: true,
      replyTo: "lastBotMessage",
      title: "Cooperation chat",
    });
    expect(group.message?.chat).toEqual({ id: -100, type: "group", title: "Cooperation chat" });
    expect(group.message?.text).toBe("@fake_test_bot what about Omsk?");
    expect(group.message?.entities).toEqual([{ type: "mention", offset: 0, length: 14 }]);
    expect(group.message?.reply_to_message?.message_id).toBe(botMsg.message_id);
    expect(group.message?.reply_to_message?.from?.is_bot).toBe(true);

    const superGroup = server.groupMessage(11, -1001234567890, "/help@fake_test_bot");
    expect(superGroup.message?.chat.type).toBe("supergroup");
    expect(superGroup.message?.entities).toEqual([{ type: "bot_command", offset: 0, length: 19 }]);

    const original = server.message(12, "Astana", { languageCode: "ru" });
    const edit = server.editMessage(12, original.message as Message, "Almaty");
    expect(edit.edited_message?.message_id).toBe(original.message?.message_id);
    expect(edit.edited_message?.text).toBe("Almaty");
    expect(typeof edit.edited_message?.edit_date).toBe("number");

    expect(server.sticker(12).message?.sticker?.emoji).toBe("👍");
    expect(server.photo(12, { caption: "map" }).message?.photo).toHaveLength(3);
    expect(server.voice(12, { duration: 7 }).message?.voice?.duration).toBe(7);
    expect(server.pendingUpdates()).toHaveLength(7);
  });
});
