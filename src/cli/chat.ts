/**
 * `npm run chat`: talk to the bot in the terminal, without Telegram or a token. It runs the same
 * bot (createBot, all its middleware and storage) and feeds it updates through
 * bot.handleUpdate; the Bot API calls it makes are answered in-process and printed as text.
 * Buttons are shown as numbered choices: type the number to press one. Works with piped stdin.
 */
import { userInfo } from "node:os";
import { createInterface } from "node:readline";
import dotenv from "dotenv";
import type { InlineKeyboardMarkup, Message, User } from "grammy/types";
import { createAnswerEngine } from "../answer/engine.ts";
import { htmlToText } from "../bot/html.ts";
import { createI18n, type Translate } from "../bot/i18n.ts";
import { createBot } from "../bot/index.ts";
import { LOCAL_TOKEN, type LocalCall, LocalTelegram } from "../bot/local-api.ts";
import { createLogger } from "../bot/logger.ts";
import { ConfigError, loadBaseConfig } from "../config.ts";
import { loadKnowledgeBase } from "../knowledge/load.ts";
import { openStorage } from "../storage/index.ts";

interface Choice {
  label: string;
  data: string;
  message: Message;
}

async function main(): Promise<void> {
  dotenv.config({ quiet: true });
  let base: ReturnType<typeof loadBaseConfig>;
  try {
    base = loadBaseConfig({ LOG_LEVEL: "warn", ...process.env });
  } catch (error) {
    if (error instanceof ConfigError) {
      console.error(`Cannot start the chat: ${error.message}`);
      process.exit(2);
    }
    throw error;
  }
  const logger = createLogger({ level: base.logLevel });
  const kb = loadKnowledgeBase();
  const engine = createAnswerEngine(kb);
  const i18n = createI18n();
  const storage = await openStorage(base);
  const telegram = new LocalTelegram();
  const bot = createBot(
    LOCAL_TOKEN,
    { kb, engine, storage, i18n, logger },
    { botInfo: telegram.botInfo, fetch: telegram.fetch, rateLimit: false },
  );

  const systemLang = (process.env.LC_ALL || process.env.LANG || "").toLowerCase();
  const name = (() => {
    try {
      return userInfo().username || "you";
    } catch {
      return "you";
    }
  })();
  const user: User = {
    id: 10_001,
    is_bot: false,
    first_name: name,
    language_code: systemLang.startsWith("kk") ? "kk" : "ru",
  };

  const tty = Boolean(process.stdin.isTTY && process.stdout.isTTY);
  const out = (line = "") => process.stdout.write(`${line}\n`);
  const kk = i18n.t("kk");
  const ru = i18n.t("ru");
  out(kk("cli.intro"));
  out(ru("cli.intro"));
  out();

  let choices: Choice[] = [];
  let t: Translate = ru;

  function showKeyboard(message: Message): void {
    const keyboard: InlineKeyboardMarkup | undefined = message.reply_markup;
    const buttons = keyboard?.inline_keyboard.flat() ?? [];
    const next: Choice[] = [];
    for (const button of buttons) {
      if ("callback_data" in button && button.callback_data) {
        next.push({ label: button.text, data: button.callback_data, message });
        out(`  [${next.length}] ${button.text}`);
      } else if ("url" in button && button.url) {
        out(`  🔗 ${button.text}: ${button.url}`);
      }
    }
    if (next.length > 0) choices = next;
  }

  function print(call: LocalCall): void {
    const p = call.payload;
    switch (call.method) {
      case "sendMessage": {
        out(htmlToText(String(p.text ?? "")));
        showKeyboard(call.result as Message);
        out();
        break;
      }
      case "editMessageText": {
        out(`(${t("cli.edited")}) ${htmlToText(String(p.text ?? ""))}`);
        if (typeof call.result === "object") showKeyboard(call.result as Message);
        out();
        break;
      }
      case "editMessageReplyMarkup": {
        const message = call.result as Message;
        if (typeof message === "object" && choices[0]?.message.message_id === message.message_id) {
          choices = [];
          showKeyboard(message);
          out();
        }
        break;
      }
      case "answerCallbackQuery":
        if (p.text) out(`💬 ${String(p.text)}\n`);
        break;
      case "answerInlineQuery": {
        const results = (p.results as { title?: string; description?: string }[] | undefined) ?? [];
        if (results.length === 0) {
          out(`${t("cli.inline_none")}\n`);
          break;
        }
        out(t("cli.inline_results"));
        for (const [i, result] of results.entries()) {
          out(
            `  ${i + 1}. ${result.title ?? ""}${result.description ? ` — ${result.description}` : ""}`,
          );
        }
        out();
        break;
      }
      default:
        break;
    }
  }

  const rl = createInterface({
    input: process.stdin,
    output: tty ? process.stdout : undefined,
    terminal: tty,
  });
  rl.setPrompt("> ");
  const prompt = () => {
    if (tty) rl.prompt();
  };
  prompt();
  for await (const raw of rl) {
    const line = raw.trim();
    if (line === "") {
      prompt();
      continue;
    }
    if (line === "/quit" || line === "/exit") break;
    if (!tty) out(`> ${line}`);

    let update: ReturnType<LocalTelegram["textUpdate"]>;
    if (/^\d{1,2}$/.test(line) && choices.length > 0) {
      const choice = choices[Number(line) - 1];
      if (!choice) {
        out(`${t("cli.no_choice")}\n`);
        prompt();
        continue;
      }
      const current = telegram.messages.get(
        `${choice.message.chat.id}:${choice.message.message_id}`,
      );
      update = telegram.pressUpdate(user, current ?? choice.message, choice.data);
    } else if (line.startsWith("@")) {
      // "@bot question", as typed in Telegram; "@ question" will do.
      let query = line.slice(1);
      if (query.startsWith(telegram.botInfo.username))
        query = query.slice(telegram.botInfo.username.length);
      update = telegram.inlineUpdate(user, query.trim());
    } else {
      update = telegram.textUpdate(user, line);
    }

    const since = telegram.calls.length;
    await bot.handleUpdate(update);
    const state = await storage.getUserLang(user.id);
    t = i18n.t(
      state?.pref === "kk" || (state?.pref !== "ru" && state?.last === "kk") ? "kk" : "ru",
    );
    for (const call of telegram.callsSince(since)) print(call);
    prompt();
  }
  rl.close();
  await storage.close();
}

main().catch((error: unknown) => {
  console.error(error instanceof Error ? error.message : String(error));
  process.exit(1);
});
