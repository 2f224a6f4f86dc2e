import type { InlineKeyboardMarkup, Message, Update, User, UserFromGetMe } from "grammy/types";

/** Who the bot is when there is no Telegram (npm run chat, tests). */
export const LOCAL_BOT_INFO: UserFromGetMe = {
  id: 1,
  is_bot: true,
  first_name: "KZ–RU cooperation bot",
  username: "kzru_cooperation_bot",
  can_join_groups: true,
  can_read_all_group_messages: false,
  supports_inline_queries: true,
  can_connect_to_business: false,
  has_main_web_app: false,
  has_topics_enabled: false,
  allows_users_to_create_topics: false,
  can_manage_bots: false,
  supports_join_request_queries: false,
};

/** A token for local use: never sent anywhere. */
export const LOCAL_TOKEN = "1:local";

export interface LocalCall {
  method: string;
  payload: Record<string, unknown>;
  result: unknown;
}

/**
 * Stands in for the Bot API inside this process: given to grammY as `client.fetch`, it answers
 * every call (also those made inside conversations, which build their own Api) and records it.
 * Messages the bot sends are kept, so that buttons under them can be pressed.
 */
export class LocalTelegram {
  readonly calls: LocalCall[] = [];
  readonly messages = new Map<string, Message>();
  private nextMessageId = 1;
  private nextUpdateId = 1;
  private nextQueryId = 1;

  constructor(readonly botInfo: UserFromGetMe = LOCAL_BOT_INFO) {}

  readonly fetch = (async (input: string | URL | Request, init?: RequestInit) => {
    const url = typeof input === "string" ? input : input instanceof URL ? input.href : input.url;
    const method = url.slice(url.lastIndexOf("/") + 1);
    const body = init?.body;
    const payload =
      typeof body === "string" && body !== "" ? (JSON.parse(body) as Record<string, unknown>) : {};
    const result = this.respond(method, payload);
    this.calls.push({ method, payload, result });
    return new Response(JSON.stringify({ ok: true, result }), {
      headers: { "content-type": "application/json" },
    });
  }) as typeof fetch;

  private key(chatId: unknown, messageId: unknown): string {
    return `${chatId}:${messageId}`;
  }

  private respond(method: string, payload: Record<string, unknown>): unknown {
    const botUser: User = {
      id: this.botInfo.id,
      is_bot: true,
      first_name: this.botInfo.first_name,
      username: this.botInfo.username,
    };
    switch (method) {
      case "getMe":
        return this.botInfo;
      case "sendMessage": {
        const chatId = Number(payload.chat_id);
        const message = {
          message_id: this.nextMessageId++,
          date: Math.floor(Date.now() / 1000),
          chat:
            chatId < 0
              ? { id: chatId, type: "group", title: "group" }
              : { id: chatId, type: "private", first_name: "user" },
          from: botUser,
          text: String(payload.text ?? ""),
          ...(payload.reply_markup
            ? { reply_markup: payload.reply_markup as InlineKeyboardMarkup }
            : {}),
        } as Message;
        this.messages.set(this.key(chatId, message.message_id), message);
        return message;
      }
      case "editMessageText":
      case "editMessageReplyMarkup": {
        const key = this.key(payload.chat_id, payload.message_id);
        const old = this.messages.get(key);
        if (!old) return true;
        const updated = {
          ...old,
          ...(method === "editMessageText" ? { text: String(payload.text ?? "") } : {}),
          reply_markup: payload.reply_markup as InlineKeyboardMarkup | undefined,
        } as Message;
        if (!payload.reply_markup) delete (updated as { reply_markup?: unknown }).reply_markup;
        this.messages.set(key, updated);
        return updated;
      }
      default:
        return true;
    }
  }

  /** Calls recorded from index `since` on. */
  callsSince(since: number): LocalCall[] {
    return this.calls.slice(since);
  }

  textUpdate(user: User, text: string): Update {
    const command = /^\/\S+/.exec(text);
    return {
      update_id: this.nextUpdateId++,
      message: {
        message_id: this.nextMessageId++,
        date: Math.floor(Date.now() / 1000),
        chat: { id: user.id, type: "private", first_name: user.first_name },
        from: user,
        text,
        ...(command
          ? { entities: [{ type: "bot_command", offset: 0, length: command[0].length }] }
          : {}),
      },
    } as Update;
  }

  pressUpdate(user: User, message: Message, data: string): Update {
    return {
      update_id: this.nextUpdateId++,
      callback_query: {
        id: String(this.nextQueryId++),
        from: user,
        chat_instance: "local",
        message,
        data,
      },
    } as Update;
  }

  inlineUpdate(user: User, query: string): Update {
    return {
      update_id: this.nextUpdateId++,
      inline_query: {
        id: String(this.nextQueryId++),
        from: user,
        query,
        offset: "",
        chat_type: "sender",
      },
    } as Update;
  }

  stickerUpdate(user: User): Update {
    return {
      update_id: this.nextUpdateId++,
      message: {
        message_id: this.nextMessageId++,
        date: Math.floor(Date.now() / 1000),
        chat: { id: user.id, type: "private", first_name: user.first_name },
        from: user,
        sticker: {
          file_id: "local-sticker",
          file_unique_id: "local-sticker",
          type: "regular",
          width: 512,
          height: 512,
          is_animated: false,
          is_video: false,
          emoji: "👍",
        },
      },
    } as Update;
  }
}
