/**
 * A fake Telegram Bot API server for end-to-end tests (node:http only).
 *
 * Point a real grammY bot at it with
 *   new Bot(server.token, { client: { apiRoot: server.apiRoot } })
 * then inject updates (`server.message(...)`, `server.press(...)`, ...) and assert on the
 * recorded calls (`server.calls()`, `server.sent()`, `server.waitFor(...)`).
 *
 * Semantics follow the real Bot API where it matters for tests: long polling with offsets,
 * per-chat message ids, Telegram's validation errors (empty / too long text, HTML entities,
 * BUTTON_DATA_INVALID, "message is not modified", ...), 401 for a wrong token, injectable 429/403/5xx
 * faults and artificial latency. Unknown methods are recorded and answered `{ ok: true, result: true }`.
 */
import { EventEmitter } from "node:events";
import http from "node:http";
import type { AddressInfo } from "node:net";
import type {
  Chat,
  InlineKeyboardButton,
  InlineKeyboardMarkup,
  Message,
  MessageEntity,
  Update,
  User,
  UserFromGetMe,
} from "grammy/types";
import { BodyParseError, type Payload, parseBody } from "./body.ts";
import {
  EntityParseError,
  type FormattedText,
  formatText,
  type HtmlOptions,
  normaliseParseMode,
  utf16Length,
} from "./html.ts";

export type { Payload, UploadedFile } from "./body.ts";
export { EntityParseError, parseHtml } from "./html.ts";

// ---------------------------------------------------------------------------------------------
// Public types
// ---------------------------------------------------------------------------------------------

export interface ResponseParameters {
  retry_after?: number;
  migrate_to_chat_id?: number;
}

export type ApiOk = { ok: true; result: unknown };
export type ApiError = {
  ok: false;
  error_code: number;
  description: string;
  parameters?: ResponseParameters;
};
export type ApiResponse = ApiOk | ApiError;

/** One recorded Bot API request. `response` is filled in once the server has answered. */
export interface FakeCall {
  /** Monotonic sequence number (never reused, also not by reset()). */
  seq: number;
  method: string;
  payload: Payload;
  /** Arrival time, Date.now() ms. */
  at: number;
  response?: ApiResponse;
  respondedAt?: number;
  /** False for methods the fake does not implement (answered ok:true/true). */
  known: boolean;
  /** True when the response came from failNext(). */
  faulted: boolean;
  /** True when the client went away before a response was written (e.g. runner stopped). */
  aborted: boolean;
}

export interface SendMessagePayload {
  chat_id: number | string;
  text: string;
  parse_mode?: string;
  reply_markup?: unknown;
  [key: string]: unknown;
}

/**
 * A fault to inject with failNext(). `{ code: 429, retryAfter }` adds `parameters.retry_after`,
 * `{ drop: true }` destroys the connection without an answer (grammY sees an HttpError).
 */
export type Fault =
  | { code: 429; retryAfter: number; description?: string }
  | { code: 403; description?: string }
  | { code: number; description?: string; retryAfter?: number; migrateToChatId?: number }
  | { drop: true };

export interface FaultHandle {
  /** How many more matching calls will fail. */
  readonly remaining: number;
  cancel(): void;
}

export interface UserProfile {
  firstName?: string;
  lastName?: string;
  username?: string;
  /** `null` omits language_code from `from`, as for users whose client does not send one. */
  languageCode?: string | null;
  isPremium?: boolean;
}

/** Anything that identifies a message: a Message from a result/update, or just the ids. */
export interface MessageRef {
  message_id: number;
  chat: { id: number };
}

export interface MessageOptions extends UserProfile {
  /** Defaults to the user's private chat (chat id = user id). Negative ids are groups. */
  chatId?: number;
  replyTo?: MessageRef;
  entities?: MessageEntity[];
}

export interface GroupMessageOptions extends UserProfile {
  /** Chat title, remembered for the chat. */
  title?: string;
  /** Default: "supergroup" for ids below -1e12, else "group". */
  type?: "group" | "supergroup";
  /** Reply to this message, or to the bot's latest message in the chat with "lastBotMessage". */
  replyTo?: MessageRef | "lastBotMessage";
  /** Prefix the text with "@<bot username> " plus a mention entity. */
  mention?: boolean;
}

export interface PressOptions extends UserProfile {
  /** Skip the check that the button exists on the current version of the message. */
  force?: boolean;
}

export interface WaitOptions {
  timeoutMs?: number;
  /** Only consider calls with seq >= since (see mark()). Default 0: the whole log. */
  since?: number;
}

export interface SendTimesOptions {
  /** Methods counted as "sends". Default ["sendMessage"]. */
  methods?: string[];
  /** Only successful calls. Default false: every attempt that reached the server. */
  successfulOnly?: boolean;
}

export interface FakeTelegramOptions {
  /** Bot token the server accepts. Default "123456789:TEST-fake-telegram-token". */
  token?: string;
  /** Overrides for getMe; id defaults to the numeric token prefix. */
  bot?: Partial<UserFromGetMe>;
  /** Artificial latency per method in ms; key "*" applies to all others. */
  latencyMs?: Record<string, number>;
  /** language_code for users without an explicit one. Default "en". */
  defaultLanguageCode?: string;
  /** HTML validation options; strictAmpersand defaults to true. */
  html?: HtmlOptions;
}

// ---------------------------------------------------------------------------------------------
// Internals
// ---------------------------------------------------------------------------------------------

const DEFAULT_TOKEN = "123456789:TEST-fake-telegram-token";
const MAX_TEXT = 4096;
const MAX_CAPTION = 1024;
/** Update types Telegram does not deliver unless listed in allowed_updates. */
const OPT_IN_UPDATES = new Set(["chat_member", "message_reaction", "message_reaction_count"]);
const CHAT_ACTIONS = new Set([
  "typing",
  "upload_photo",
  "record_video",
  "upload_video",
  "record_voice",
  "upload_voice",
  "upload_document",
  "choose_sticker",
  "find_location",
  "record_video_note",
  "upload_video_note",
]);
const INLINE_BUTTON_ACTIONS = [
  "callback_data",
  "url",
  "web_app",
  "login_url",
  "switch_inline_query",
  "switch_inline_query_current_chat",
  "switch_inline_query_chosen_chat",
  "copy_text",
  "callback_game",
  "pay",
] as const;
const MEDIA_METHODS: Record<string, string> = {
  sendPhoto: "photo",
  sendDocument: "document",
  sendAudio: "audio",
  sendVideo: "video",
  sendAnimation: "animation",
  sendVoice: "voice",
  sendVideoNote: "video_note",
  sendSticker: "sticker",
};
const NOT_MODIFIED =
  "Bad Request: message is not modified: specified new message content and reply markup are exactly the same as a current content and reply markup of the message";
const QUERY_TOO_OLD =
  "Bad Request: query is too old and response timeout expired or query ID is invalid";

const ok = (result: unknown): ApiOk => ({ ok: true, result });
const fail = (code: number, description: string, parameters?: ResponseParameters): ApiError =>
  parameters
    ? { ok: false, error_code: code, description, parameters }
    : { ok: false, error_code: code, description };

const clone = <T>(v: T): T => structuredClone(v);

type ReplyMessage = NonNullable<Message["reply_to_message"]>;
/** A copy of a message suitable for reply_to_message (which never nests another reply). */
function asReply(message: Message): ReplyMessage {
  const copy = structuredClone(message);
  delete copy.reply_to_message;
  return copy as ReplyMessage;
}
const nowSec = (): number => Math.floor(Date.now() / 1000);

function toInt(v: unknown): number | undefined {
  if (typeof v === "number" && Number.isFinite(v)) return Math.trunc(v);
  if (typeof v === "string" && /^-?\d+$/.test(v.trim())) return Number(v.trim());
  return undefined;
}

function parseJsonIfString(v: unknown): unknown {
  if (typeof v !== "string") return v;
  try {
    return JSON.parse(v);
  } catch {
    return v;
  }
}

function updateType(u: Update): string {
  return Object.keys(u).find((k) => k !== "update_id") ?? "unknown";
}

function defaultFaultDescription(code: number, retryAfter?: number): string {
  switch (code) {
    case 400:
      return "Bad Request";
    case 401:
      return "Unauthorized";
    case 403:
      return "Forbidden: bot was blocked by the user";
    case 404:
      return "Not Found";
    case 409:
      return "Conflict";
    case 429:
      return `Too Many Requests: retry after ${retryAfter ?? 1}`;
    case 500:
      return "Internal Server Error";
    case 502:
      return "Bad Gateway";
    default:
      return code >= 500 ? "Internal Server Error" : "Bad Request";
  }
}

interface StoredMessage {
  message: Message;
  fromBot: boolean;
  deleted: boolean;
}

interface ChatState {
  chat: Chat;
  messages: Map<number, StoredMessage>;
}

interface Poller {
  call: FakeCall;
  limit: number;
  timer: NodeJS.Timeout;
  resolve: (r: ApiResponse | undefined) => void;
}

interface FaultEntry {
  method: string;
  fault: Fault;
  remaining: number;
  filter?: (payload: Payload) => boolean;
}

interface QueryState {
  answered: boolean;
  answer?: Payload;
}

type HandlerResult = ApiResponse | undefined | Promise<ApiResponse | undefined>;
type Handler = (payload: Payload, call: FakeCall, res: http.ServerResponse) => HandlerResult;

// ---------------------------------------------------------------------------------------------
// Server
// ---------------------------------------------------------------------------------------------

export class FakeTelegram {
  /** e.g. "http://127.0.0.1:43123" — pass as grammY's client.apiRoot. */
  readonly apiRoot: string;
  readonly token: string;
  readonly botInfo: UserFromGetMe;
  /** Emits "request" (FakeCall on arrival), "call" (FakeCall once answered), "update" (Update pushed). */
  readonly events = new EventEmitter();

  private readonly server: http.Server;
  private readonly options: FakeTelegramOptions;
  private readonly handlers: Record<string, Handler>;
  private readonly canonical = new Map<string, string>();

  private log: FakeCall[] = [];
  private seq = 0;
  private faults: FaultEntry[] = [];
  private latency: Record<string, number>;
  private closed = false;

  private queue: Update[] = [];
  private nextUpdateId = 100_000_001;
  private allowedUpdates: Set<string> | undefined;
  private readonly pollers = new Set<Poller>();
  private flushScheduled = false;

  private chats = new Map<number, ChatState>();
  /** Per-chat message id counters survive reset() so ids never repeat within a server. */
  private readonly messageCounters = new Map<number, number>();
  private users = new Map<number, UserProfile>();
  private callbackQueries = new Map<string, QueryState>();
  private inlineQueries = new Map<string, QueryState>();
  private queryCounter = 0;
  private fileCounter = 0;
  private commandsByScope = new Map<string, unknown[]>();
  private menuButtons = new Map<string, unknown>();
  private webhook: { url: string; allowed_updates?: unknown; secret_token?: unknown } = { url: "" };
  private blocked = new Set<number>();

  private constructor(server: http.Server, apiRoot: string, options: FakeTelegramOptions) {
    this.server = server;
    this.apiRoot = apiRoot;
    this.options = options;
    this.token = options.token ?? DEFAULT_TOKEN;
    this.latency = { ...(options.latencyMs ?? {}) };
    const idFromToken = Number(this.token.split(":")[0]);
    this.botInfo = {
      id: Number.isSafeInteger(idFromToken) && idFromToken > 0 ? idFromToken : 123456789,
      is_bot: true,
      first_name: "Fake Test Bot",
      username: "fake_test_bot",
      can_join_groups: true,
      can_read_all_group_messages: false,
      supports_inline_queries: true,
      can_connect_to_business: false,
      has_main_web_app: false,
      has_topics_enabled: false,
      allows_users_to_create_topics: false,
      can_manage_bots: false,
      supports_join_request_queries: false,
      ...options.bot,
    };
    this.events.setMaxListeners(0);
    this.handlers = this.createHandlers();
    for (const name of Object.keys(this.handlers)) this.canonical.set(name.toLowerCase(), name);
    server.on("request", (req, res) => {
      this.handle(req, res).catch((error: unknown) => {
        this.write(res, fail(500, `Internal Server Error: fake server bug: ${String(error)}`));
      });
    });
  }

  /** Starts a server on 127.0.0.1 with a random free port. */
  static async start(options: FakeTelegramOptions = {}): Promise<FakeTelegram> {
    const server = http.createServer();
    await new Promise<void>((resolve, reject) => {
      server.once("error", reject);
      server.listen(0, "127.0.0.1", () => {
        server.off("error", reject);
        resolve();
      });
    });
    const { port } = server.address() as AddressInfo;
    return new FakeTelegram(server, `http://127.0.0.1:${port}`, options);
  }

  // -------------------------------------------------------------------------------------------
  // Lifecycle
  // -------------------------------------------------------------------------------------------

  /** Ends pending long polls (with an empty result) and closes the server and all connections. */
  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    for (const poller of [...this.pollers]) this.finishPoller(poller, ok([]));
    await new Promise<void>((resolve) => {
      const force = setTimeout(() => this.server.closeAllConnections(), 100);
      this.server.close(() => {
        clearTimeout(force);
        resolve();
      });
      this.server.closeIdleConnections();
    });
  }

  /**
   * Forgets recorded calls, pending updates, faults, latency overrides, stored messages, users,
   * queries, commands, webhook and blocks. Keeps update_id and message_id counters monotonic so a
   * bot that keeps polling across reset() is not confused. Pending long polls stay open.
   */
  reset(): void {
    this.log = [];
    this.faults = [];
    this.latency = { ...(this.options.latencyMs ?? {}) };
    this.queue = [];
    this.allowedUpdates = undefined;
    this.chats = new Map();
    this.users = new Map();
    this.callbackQueries = new Map();
    this.inlineQueries = new Map();
    this.commandsByScope = new Map();
    this.menuButtons = new Map();
    this.webhook = { url: "" };
    this.blocked = new Set();
  }

  // -------------------------------------------------------------------------------------------
  // Recording and waiting
  // -------------------------------------------------------------------------------------------

  /** Recorded calls in arrival order, optionally only those of one method. */
  calls(method?: string): FakeCall[] {
    return method === undefined ? [...this.log] : this.log.filter((c) => c.method === method);
  }

  /** Calls to methods the fake does not implement (they were answered ok:true/true). */
  unknownCalls(): FakeCall[] {
    return this.log.filter((c) => !c.known);
  }

  /** Payloads of successful sendMessage calls, optionally for one chat. */
  sent(chatId?: number | string): SendMessagePayload[] {
    return this.successful("sendMessage", chatId).map((c) => c.payload as SendMessagePayload);
  }

  /** Messages returned by successful sendMessage calls (as sent; see botMessages() for edits). */
  sentMessages(chatId?: number | string): Message[] {
    return this.successful("sendMessage", chatId).map((c) =>
      clone((c.response as ApiOk).result as Message),
    );
  }

  /** The value to pass as `since` to only consider calls recorded from now on. */
  mark(): number {
    return this.seq;
  }

  /**
   * Resolves with the first answered call (seq >= since) matching the method name or predicate,
   * looking at already recorded calls first and then waiting for new ones. Rejects after
   * timeoutMs (default 3000) with a summary of the recent calls.
   */
  waitFor(
    match: string | ((call: FakeCall) => boolean),
    options: WaitOptions = {},
  ): Promise<FakeCall> {
    const { timeoutMs = 3000, since = 0 } = options;
    const predicate = typeof match === "string" ? (c: FakeCall) => c.method === match : match;
    const accept = (c: FakeCall) =>
      c.seq >= since && (c.response !== undefined || c.aborted) && predicate(c);
    const existing = this.log.find(accept);
    if (existing) return Promise.resolve(existing);
    return new Promise((resolve, reject) => {
      const onCall = (c: FakeCall) => {
        if (!accept(c)) return;
        cleanup();
        resolve(c);
      };
      const timer = setTimeout(() => {
        cleanup();
        reject(
          new Error(
            `FakeTelegram.waitFor(${typeof match === "string" ? match : "predicate"}) timed out after ${timeoutMs} ms. Recent calls:\n${this.describeCalls(since)}`,
          ),
        );
      }, timeoutMs);
      const cleanup = () => {
        clearTimeout(timer);
        this.events.off("call", onCall);
      };
      this.events.on("call", onCall);
    });
  }

  /**
   * Like waitFor, but resolves as soon as a matching request *arrives* (before it is answered),
   * e.g. `waitForRequest("getUpdates")` to know the bot is now long-polling.
   */
  waitForRequest(
    match: string | ((call: FakeCall) => boolean),
    options: WaitOptions = {},
  ): Promise<FakeCall> {
    const { timeoutMs = 3000, since = 0 } = options;
    const predicate = typeof match === "string" ? (c: FakeCall) => c.method === match : match;
    const accept = (c: FakeCall) => c.seq >= since && predicate(c);
    const existing = this.log.find(accept);
    if (existing) return Promise.resolve(existing);
    return new Promise((resolve, reject) => {
      const onRequest = (c: FakeCall) => {
        if (!accept(c)) return;
        cleanup();
        resolve(c);
      };
      const timer = setTimeout(() => {
        cleanup();
        reject(new Error(`FakeTelegram.waitForRequest timed out after ${timeoutMs} ms`));
      }, timeoutMs);
      const cleanup = () => {
        clearTimeout(timer);
        this.events.off("request", onRequest);
      };
      this.events.on("request", onRequest);
    });
  }

  /** Number of getUpdates requests currently held open. */
  get pendingPolls(): number {
    return this.pollers.size;
  }

  /** Waits for a successful sendMessage to chatId (optionally with matching text); returns the Message. */
  async waitForSent(
    chatId: number | string,
    options: WaitOptions & { text?: string | RegExp } = {},
  ): Promise<Message> {
    const { text } = options;
    const call = await this.waitFor((c) => {
      if (c.method !== "sendMessage" || !c.response?.ok) return false;
      if (String(c.payload.chat_id) !== String(chatId)) return false;
      const got = ((c.response.result as Message).text ?? "") as string;
      return text === undefined || (typeof text === "string" ? got === text : text.test(got));
    }, options);
    return clone((call.response as ApiOk).result as Message);
  }

  /** Human-readable list of calls since `since`, for assertion messages. */
  describeCalls(since = 0): string {
    return this.log
      .filter((c) => c.seq >= since)
      .slice(-25)
      .map((c) => {
        const r = c.response;
        const outcome =
          r === undefined
            ? c.aborted
              ? "aborted"
              : "pending"
            : r.ok
              ? "ok"
              : `${r.error_code} ${r.description}`;
        const body = JSON.stringify(c.payload);
        return `  #${c.seq} ${c.method} ${body.length > 160 ? `${body.slice(0, 160)}…` : body} -> ${outcome}`;
      })
      .join("\n");
  }

  // -------------------------------------------------------------------------------------------
  // Pacing
  // -------------------------------------------------------------------------------------------

  /** Arrival timestamps (ms) of send calls, grouped by String(chat_id). */
  sendTimes(options: SendTimesOptions = {}): Map<string, number[]> {
    const methods = new Set(options.methods ?? ["sendMessage"]);
    const out = new Map<string, number[]>();
    for (const c of this.log) {
      if (!methods.has(c.method)) continue;
      if (options.successfulOnly && !c.response?.ok) continue;
      const key = String(c.payload.chat_id);
      const list = out.get(key) ?? [];
      list.push(c.at);
      out.set(key, list);
    }
    return out;
  }

  /** Smallest gap (ms) between consecutive sends to one chat; Infinity with fewer than two sends. */
  minGapMs(chatId: number | string, options: SendTimesOptions = {}): number {
    const times = this.sendTimes(options).get(String(chatId)) ?? [];
    let min = Number.POSITIVE_INFINITY;
    for (let i = 1; i < times.length; i += 1)
      min = Math.min(min, (times[i] as number) - (times[i - 1] as number));
    return min;
  }

  /** Maximum number of sends within any sliding window of windowMs (one chat, or all chats). */
  maxSendsInWindow(
    windowMs: number,
    options: SendTimesOptions & { chatId?: number | string } = {},
  ): number {
    const byChat = this.sendTimes(options);
    const times =
      options.chatId !== undefined
        ? (byChat.get(String(options.chatId)) ?? [])
        : [...byChat.values()].flat().sort((a, b) => a - b);
    let best = 0;
    let lo = 0;
    for (let hi = 0; hi < times.length; hi += 1) {
      while ((times[hi] as number) - (times[lo] as number) >= windowMs) lo += 1;
      best = Math.max(best, hi - lo + 1);
    }
    return best;
  }

  // -------------------------------------------------------------------------------------------
  // Fault injection and latency
  // -------------------------------------------------------------------------------------------

  /**
   * Makes the next `times` calls of `method` (that match `filter`, if given) fail with `fault`.
   * method "*" matches every method except getUpdates. Faults are consumed in FIFO order.
   */
  failNext(
    method: string,
    fault: Fault,
    times = 1,
    filter?: (payload: Payload) => boolean,
  ): FaultHandle {
    const entry: FaultEntry = filter
      ? { method, fault, remaining: times, filter }
      : { method, fault, remaining: times };
    this.faults.push(entry);
    return {
      get remaining() {
        return entry.remaining;
      },
      cancel: () => {
        entry.remaining = 0;
      },
    };
  }

  /** Adds artificial latency (ms) before answering `method` ("*" = default for all methods). */
  setLatency(method: string, ms: number): void {
    this.latency[method] = ms;
  }

  /** Every send to this chat fails with 403 (blocked by the user / kicked from the group). */
  block(chatId: number): void {
    this.blocked.add(chatId);
  }

  unblock(chatId: number): void {
    this.blocked.delete(chatId);
  }

  // -------------------------------------------------------------------------------------------
  // State inspection
  // -------------------------------------------------------------------------------------------

  /** Current state (after edits) of a stored message; undefined if unknown or deleted. */
  getMessage(chatId: number, messageId: number): Message | undefined {
    const stored = this.chats.get(chatId)?.messages.get(messageId);
    return stored && !stored.deleted ? clone(stored.message) : undefined;
  }

  /** Current state of the bot's non-deleted messages in a chat, oldest first. */
  botMessages(chatId: number): Message[] {
    const chat = this.chats.get(chatId);
    if (!chat) return [];
    return [...chat.messages.values()]
      .filter((m) => m.fromBot && !m.deleted)
      .map((m) => clone(m.message));
  }

  /** The bot's latest non-deleted message in a chat. */
  lastBotMessage(chatId: number): Message | undefined {
    return this.botMessages(chatId).at(-1);
  }

  /** "user: …" / "bot: …" lines of a chat's current history, handy in assertion messages. */
  transcript(chatId: number): string {
    const chat = this.chats.get(chatId);
    if (!chat) return "";
    return [...chat.messages.values()]
      .filter((m) => !m.deleted)
      .map((m) => {
        const content =
          m.message.text ??
          m.message.caption ??
          (m.message.sticker
            ? "[sticker]"
            : m.message.photo
              ? "[photo]"
              : m.message.voice
                ? "[voice]"
                : "[message]");
        return `${m.fromBot ? "bot" : "user"}: ${content}`;
      })
      .join("\n");
  }

  /** Updates pushed but not yet confirmed through getUpdates' offset. */
  pendingUpdates(): Update[] {
    return clone(this.queue);
  }

  /** Ids of callback queries (from press()) the bot has not answered yet. */
  unansweredCallbackQueries(): string[] {
    return [...this.callbackQueries.entries()].filter(([, q]) => !q.answered).map(([id]) => id);
  }

  /** Commands stored by setMyCommands for a scope (default {type:"default"}) and language. */
  commands(scope?: unknown, languageCode?: string): unknown[] | undefined {
    const stored = this.commandsByScope.get(this.commandsKey(scope, languageCode));
    return stored ? clone(stored) : undefined;
  }

  /** Menu button stored by setChatMenuButton (chat id, or undefined for the default button). */
  menuButton(chatId?: number): unknown {
    return clone(this.menuButtons.get(chatId === undefined ? "default" : String(chatId)));
  }

  get webhookUrl(): string {
    return this.webhook.url;
  }

  // -------------------------------------------------------------------------------------------
  // Injecting updates
  // -------------------------------------------------------------------------------------------

  /**
   * Queues an update (update_id is always assigned by the server) and wakes waiting long polls.
   * Messages inside it are remembered so the bot can reply to / edit / press them.
   */
  pushUpdate(update: Omit<Update, "update_id"> | Update): Update {
    const full = { ...clone(update), update_id: this.nextUpdateId } as Update;
    this.nextUpdateId += 1;
    for (const m of [
      full.message,
      full.edited_message,
      full.channel_post,
      full.edited_channel_post,
    ]) {
      if (m) this.storeIncoming(m as Message);
    }
    this.queue.push(clone(full));
    this.scheduleFlush();
    this.events.emit("update", full);
    return full;
  }

  /** Registers (or updates) a user profile used by the update builders; returns the User. */
  user(userId: number, profile: UserProfile = {}): User {
    const merged: UserProfile = { ...(this.users.get(userId) ?? {}) };
    if (profile.firstName !== undefined) merged.firstName = profile.firstName;
    if (profile.lastName !== undefined) merged.lastName = profile.lastName;
    if (profile.username !== undefined) merged.username = profile.username;
    if (profile.languageCode !== undefined) merged.languageCode = profile.languageCode;
    if (profile.isPremium !== undefined) merged.isPremium = profile.isPremium;
    this.users.set(userId, merged);
    const chat = this.chats.get(userId);
    if (chat) chat.chat = this.privateChat(userId);
    return this.userObject(userId);
  }

  /** A user's text message (private chat unless opts.chatId). "/cmd" texts get a bot_command entity. */
  message(userId: number, text: string, opts: MessageOptions = {}): Update {
    const chatId = opts.chatId ?? userId;
    const entities = opts.entities ?? this.autoEntities(text);
    const msg = this.baseMessage(userId, chatId, opts, chatId < 0 ? {} : undefined);
    msg.text = text;
    if (entities.length > 0) msg.entities = entities;
    if (opts.replyTo) msg.reply_to_message = this.resolveRef(opts.replyTo);
    return this.pushUpdate({ message: msg } as Omit<Update, "update_id">);
  }

  /** "/command args" with a bot_command entity (in groups "/command@botname" when withBotName). */
  command(
    userId: number,
    command: string,
    args = "",
    opts: MessageOptions & { withBotName?: boolean } = {},
  ): Update {
    const name = command.replace(/^\//, "");
    const head = `/${name}${opts.withBotName ? `@${this.botInfo.username}` : ""}`;
    const text = args ? `${head} ${args}` : head;
    const entities: MessageEntity[] = [{ type: "bot_command", offset: 0, length: head.length }];
    return this.message(userId, text, { ...opts, entities: opts.entities ?? entities });
  }

  /** A message in a group/supergroup (chatId < 0), optionally replying to the bot and/or @mentioning it. */
  groupMessage(
    userId: number,
    chatId: number,
    text: string,
    opts: GroupMessageOptions = {},
  ): Update {
    if (chatId >= 0) throw new Error(`groupMessage: group chat ids are negative, got ${chatId}`);
    let fullText = text;
    const entities: MessageEntity[] = [];
    if (opts.mention) {
      const mention = `@${this.botInfo.username}`;
      fullText = `${mention} ${text}`;
      entities.push({ type: "mention", offset: 0, length: mention.length });
    }
    for (const e of this.autoEntities(fullText)) entities.push(e);
    const msg = this.baseMessage(userId, chatId, opts, { title: opts.title, type: opts.type });
    msg.text = fullText;
    if (entities.length > 0) msg.entities = entities;
    if (opts.replyTo !== undefined) {
      const last = opts.replyTo === "lastBotMessage" ? this.lastBotMessage(chatId) : undefined;
      if (opts.replyTo === "lastBotMessage" && !last) {
        throw new Error(`groupMessage: no bot message to reply to in chat ${chatId}`);
      }
      msg.reply_to_message = last ? asReply(last) : this.resolveRef(opts.replyTo as MessageRef);
    }
    return this.pushUpdate({ message: msg } as Omit<Update, "update_id">);
  }

  /**
   * The user presses an inline button with `callbackData` on a message the bot sent. Uses the
   * message's current state and throws if no such button is on it (unless opts.force).
   */
  press(
    userId: number,
    sentMessage: MessageRef,
    callbackData: string,
    opts: PressOptions = {},
  ): Update {
    this.user(userId, opts);
    const stored = this.chats.get(sentMessage.chat.id)?.messages.get(sentMessage.message_id);
    let message: Message;
    if (stored && !stored.deleted) {
      message = clone(stored.message);
    } else if (opts.force) {
      message = clone(sentMessage as Message);
    } else {
      throw new Error(
        `press: message ${sentMessage.message_id} in chat ${sentMessage.chat.id} is unknown or deleted`,
      );
    }
    if (!opts.force) {
      const buttons = (message.reply_markup?.inline_keyboard ?? []).flat();
      if (!buttons.some((b) => "callback_data" in b && b.callback_data === callbackData)) {
        const available = buttons.flatMap((b) => ("callback_data" in b ? [b.callback_data] : []));
        throw new Error(
          `press: message ${message.message_id} has no button with callback_data ${JSON.stringify(callbackData)} (has ${JSON.stringify(available)})`,
        );
      }
    }
    const id = this.nextQueryId();
    this.callbackQueries.set(id, { answered: false });
    return this.pushUpdate({
      callback_query: {
        id,
        from: this.userObject(userId),
        message,
        chat_instance: `${Math.abs(message.chat.id) * 7 + 1000003}`,
        data: callbackData,
      },
    } as Omit<Update, "update_id">);
  }

  /** An inline query "@bot query" from a user. */
  inlineQuery(
    userId: number,
    query: string,
    opts: UserProfile & {
      offset?: string;
      chatType?: "sender" | "private" | "group" | "supergroup" | "channel";
    } = {},
  ): Update {
    this.user(userId, opts);
    const id = this.nextQueryId();
    this.inlineQueries.set(id, { answered: false });
    return this.pushUpdate({
      inline_query: {
        id,
        from: this.userObject(userId),
        query,
        offset: opts.offset ?? "",
        chat_type: opts.chatType ?? "sender",
      },
    } as Omit<Update, "update_id">);
  }

  /** The user edits one of their earlier messages (edited_message update). */
  editMessage(
    userId: number,
    original: MessageRef,
    newText: string,
    opts: UserProfile = {},
  ): Update {
    const stored = this.chats.get(original.chat.id)?.messages.get(original.message_id);
    if (!stored || stored.fromBot) {
      throw new Error(
        `editMessage: message ${original.message_id} in chat ${original.chat.id} is not a known user message`,
      );
    }
    this.user(userId, opts);
    const msg = clone(stored.message);
    msg.text = newText;
    const entities = this.autoEntities(newText);
    if (entities.length > 0) msg.entities = entities;
    else delete msg.entities;
    (msg as Message & { edit_date: number }).edit_date = nowSec();
    stored.message = clone(msg);
    return this.pushUpdate({ edited_message: msg } as Omit<Update, "update_id">);
  }

  /** A sticker message. */
  sticker(
    userId: number,
    opts: MessageOptions & { emoji?: string; setName?: string } = {},
  ): Update {
    const msg = this.baseMessage(userId, opts.chatId ?? userId, opts);
    const file = this.fakeFile();
    msg.sticker = {
      ...file,
      type: "regular",
      width: 512,
      height: 512,
      is_animated: false,
      is_video: false,
      emoji: opts.emoji ?? "👍",
      ...(opts.setName ? { set_name: opts.setName } : {}),
    };
    return this.pushUpdate({ message: msg } as Omit<Update, "update_id">);
  }

  /** A photo message (three sizes), optionally with a caption. */
  photo(userId: number, opts: MessageOptions & { caption?: string } = {}): Update {
    const msg = this.baseMessage(userId, opts.chatId ?? userId, opts);
    msg.photo = [
      { ...this.fakeFile(), width: 90, height: 67, file_size: 1_200 },
      { ...this.fakeFile(), width: 320, height: 240, file_size: 15_000 },
      { ...this.fakeFile(), width: 1280, height: 960, file_size: 120_000 },
    ];
    if (opts.caption !== undefined) msg.caption = opts.caption;
    return this.pushUpdate({ message: msg } as Omit<Update, "update_id">);
  }

  /** A voice message. */
  voice(userId: number, opts: MessageOptions & { duration?: number } = {}): Update {
    const msg = this.baseMessage(userId, opts.chatId ?? userId, opts);
    msg.voice = {
      ...this.fakeFile(),
      duration: opts.duration ?? 3,
      mime_type: "audio/ogg",
      file_size: 9_000,
    };
    return this.pushUpdate({ message: msg } as Omit<Update, "update_id">);
  }

  /** A document message. */
  document(
    userId: number,
    opts: MessageOptions & { fileName?: string; mimeType?: string; caption?: string } = {},
  ): Update {
    const msg = this.baseMessage(userId, opts.chatId ?? userId, opts);
    msg.document = {
      ...this.fakeFile(),
      file_name: opts.fileName ?? "file.pdf",
      mime_type: opts.mimeType ?? "application/pdf",
      file_size: 42_000,
    };
    if (opts.caption !== undefined) msg.caption = opts.caption;
    return this.pushUpdate({ message: msg } as Omit<Update, "update_id">);
  }

  /** my_chat_member update: e.g. "kicked" when a user blocks the bot (does not call block()). */
  myChatMember(userId: number, newStatus: "member" | "kicked", opts: UserProfile = {}): Update {
    this.user(userId, opts);
    const bot: User = {
      id: this.botInfo.id,
      is_bot: true,
      first_name: this.botInfo.first_name,
      username: this.botInfo.username,
    };
    const member = (status: string) =>
      status === "kicked" ? { status, user: bot, until_date: 0 } : { status, user: bot };
    return this.pushUpdate({
      my_chat_member: {
        chat: this.chatState(userId).chat,
        from: this.userObject(userId),
        date: nowSec(),
        old_chat_member: member(newStatus === "kicked" ? "member" : "kicked"),
        new_chat_member: member(newStatus),
      },
    } as unknown as Omit<Update, "update_id">);
  }

  // -------------------------------------------------------------------------------------------
  // HTTP plumbing
  // -------------------------------------------------------------------------------------------

  private async handle(req: http.IncomingMessage, res: http.ServerResponse): Promise<void> {
    const url = new URL(req.url ?? "/", "http://fake.invalid");
    const match = /^\/bot([^/]*)\/([A-Za-z0-9_]+)\/?$/.exec(url.pathname);
    const body = await readBody(req);
    if (!match) {
      this.write(res, fail(404, "Not Found"));
      return;
    }
    const [, token, rawMethod] = match as unknown as [string, string, string];
    if (decodeURIComponent(token) !== this.token) {
      this.write(res, fail(401, "Unauthorized"));
      return;
    }
    const method = this.canonical.get(rawMethod.toLowerCase()) ?? rawMethod;
    const handler = this.handlers[method];
    let payload: Payload;
    let parseError: string | undefined;
    try {
      payload = parseBody(req.headers["content-type"], body, url.searchParams);
    } catch (error) {
      payload = {};
      parseError = error instanceof BodyParseError ? error.message : String(error);
    }
    const call: FakeCall = {
      seq: this.seq,
      method,
      payload,
      at: Date.now(),
      known: handler !== undefined,
      faulted: false,
      aborted: false,
    };
    this.seq += 1;
    this.log.push(call);
    this.events.emit("request", call);

    const delay = this.latency[method] ?? this.latency["*"] ?? 0;
    if (delay > 0) await new Promise((r) => setTimeout(r, delay));

    let response: ApiResponse | undefined;
    const fault = parseError === undefined ? this.takeFault(method, payload) : undefined;
    if (parseError !== undefined) {
      response = fail(400, parseError);
    } else if (fault && "drop" in fault) {
      call.faulted = true;
      call.aborted = true;
      res.socket?.destroy();
    } else if (fault) {
      call.faulted = true;
      const retryAfter = "retryAfter" in fault ? fault.retryAfter : undefined;
      const migrate = "migrateToChatId" in fault ? fault.migrateToChatId : undefined;
      const parameters: ResponseParameters = {};
      if (retryAfter !== undefined) parameters.retry_after = retryAfter;
      if (migrate !== undefined) parameters.migrate_to_chat_id = migrate;
      response = fail(
        fault.code,
        fault.description ?? defaultFaultDescription(fault.code, retryAfter),
        Object.keys(parameters).length > 0 ? parameters : undefined,
      );
    } else if (handler) {
      response = await handler(payload, call, res);
    } else {
      response = ok(true);
    }

    if (response === undefined) {
      call.aborted = true;
    } else {
      call.response = response;
      call.respondedAt = Date.now();
      if (res.destroyed || res.writableEnded) call.aborted = true;
      else this.write(res, response);
    }
    this.events.emit("call", call);
  }

  private write(res: http.ServerResponse, response: ApiResponse): void {
    if (res.destroyed || res.writableEnded) return;
    const status = response.ok
      ? 200
      : response.error_code >= 400 && response.error_code < 600
        ? response.error_code
        : 500;
    const body = JSON.stringify(response);
    res.writeHead(status, {
      "content-type": "application/json",
      "content-length": Buffer.byteLength(body),
    });
    res.end(body);
  }

  private takeFault(method: string, payload: Payload): Fault | undefined {
    for (const f of this.faults) {
      if (f.remaining <= 0) continue;
      const methodMatches = f.method === method || (f.method === "*" && method !== "getUpdates");
      if (!methodMatches) continue;
      if (f.filter && !f.filter(payload)) continue;
      f.remaining -= 1;
      return f.fault;
    }
    return undefined;
  }

  private successful(method: string, chatId?: number | string): FakeCall[] {
    return this.log.filter(
      (c) =>
        c.method === method &&
        c.response?.ok === true &&
        (chatId === undefined || String(c.payload.chat_id) === String(chatId)),
    );
  }

  // -------------------------------------------------------------------------------------------
  // Long polling
  // -------------------------------------------------------------------------------------------

  private deliverable(limit: number): Update[] {
    const allowed = this.allowedUpdates;
    return this.queue
      .filter((u) => {
        const type = updateType(u);
        return allowed ? allowed.has(type) : !OPT_IN_UPDATES.has(type);
      })
      .slice(0, limit)
      .map(clone);
  }

  private confirm(offset: number): void {
    if (offset > 0) this.queue = this.queue.filter((u) => u.update_id >= offset);
    else if (offset < 0) this.queue = this.queue.slice(offset);
  }

  private scheduleFlush(): void {
    if (this.flushScheduled) return;
    this.flushScheduled = true;
    setImmediate(() => {
      this.flushScheduled = false;
      for (const poller of [...this.pollers]) {
        const ready = this.deliverable(poller.limit);
        if (ready.length > 0) this.finishPoller(poller, ok(ready));
      }
    });
  }

  private finishPoller(poller: Poller, response: ApiResponse): void {
    if (!this.pollers.delete(poller)) return;
    clearTimeout(poller.timer);
    poller.resolve(response);
  }

  private getUpdates(p: Payload, call: FakeCall, res: http.ServerResponse): HandlerResult {
    if (this.webhook.url) {
      return fail(
        409,
        "Conflict: can't use getUpdates method while webhook is active; use deleteWebhook to delete the webhook first",
      );
    }
    const offset = toInt(p.offset) ?? 0;
    const limit = Math.min(100, Math.max(1, toInt(p.limit) ?? 100));
    const timeout = Math.max(0, Number(p.timeout ?? 0) || 0);
    const allowed = parseJsonIfString(p.allowed_updates);
    if (Array.isArray(allowed)) {
      this.allowedUpdates = allowed.length > 0 ? new Set(allowed.map(String)) : undefined;
    }
    this.confirm(offset);
    for (const other of [...this.pollers]) {
      this.finishPoller(
        other,
        fail(
          409,
          "Conflict: terminated by other getUpdates request; make sure that only one bot instance is running",
        ),
      );
    }
    const ready = this.deliverable(limit);
    if (ready.length > 0 || timeout === 0 || this.closed) return ok(ready);
    return new Promise((resolve) => {
      const poller: Poller = {
        call,
        limit,
        resolve,
        timer: setTimeout(() => this.finishPoller(poller, ok([])), timeout * 1000),
      };
      this.pollers.add(poller);
      res.on("close", () => {
        if (!this.pollers.delete(poller)) return;
        clearTimeout(poller.timer);
        resolve(undefined);
      });
    });
  }

  // -------------------------------------------------------------------------------------------
  // Chats, users, messages
  // -------------------------------------------------------------------------------------------

  private userObject(userId: number): User {
    const p = this.users.get(userId) ?? {};
    const language =
      p.languageCode === undefined ? (this.options.defaultLanguageCode ?? "en") : p.languageCode;
    const user: User = { id: userId, is_bot: false, first_name: p.firstName ?? `User${userId}` };
    if (p.lastName !== undefined) user.last_name = p.lastName;
    if (p.username !== undefined) user.username = p.username;
    if (language !== null) user.language_code = language;
    if (p.isPremium) user.is_premium = true;
    return user;
  }

  private chatState(
    chatId: number,
    hint: { title?: string; type?: "group" | "supergroup" } = {},
  ): ChatState {
    let state = this.chats.get(chatId);
    if (!state) {
      let chat: Chat;
      if (chatId > 0) {
        chat = this.privateChat(chatId);
      } else {
        const type = hint.type ?? (chatId < -1_000_000_000_000 ? "supergroup" : "group");
        const title = hint.title ?? `Test ${type} ${chatId}`;
        chat = type === "supergroup" ? { id: chatId, type, title } : { id: chatId, type, title };
      }
      state = { chat, messages: new Map() };
      this.chats.set(chatId, state);
    } else if (hint.title !== undefined && state.chat.type !== "private") {
      state.chat = { ...state.chat, title: hint.title };
    }
    return state;
  }

  private privateChat(userId: number): Chat {
    const u = this.userObject(userId);
    const chat: Chat = { id: userId, type: "private", first_name: u.first_name };
    if (u.last_name !== undefined) chat.last_name = u.last_name;
    if (u.username !== undefined) chat.username = u.username;
    return chat;
  }

  private nextMessageId(chatId: number): number {
    const next = (this.messageCounters.get(chatId) ?? 0) + 1;
    this.messageCounters.set(chatId, next);
    return next;
  }

  private baseMessage(
    userId: number,
    chatId: number,
    profile: UserProfile,
    hint?: { title?: string | undefined; type?: "group" | "supergroup" | undefined },
  ): Message {
    this.user(userId, profile);
    const cleanHint: { title?: string; type?: "group" | "supergroup" } = {};
    if (hint?.title !== undefined) cleanHint.title = hint.title;
    if (hint?.type !== undefined) cleanHint.type = hint.type;
    const chat = this.chatState(chatId, cleanHint).chat;
    return {
      message_id: this.nextMessageId(chatId),
      from: this.userObject(userId),
      chat: clone(chat),
      date: nowSec(),
    } as Message;
  }

  private storeIncoming(message: Message): void {
    const state = this.chatState(message.chat.id);
    const existing = state.messages.get(message.message_id);
    if (existing) {
      existing.message = clone(message);
      return;
    }
    state.messages.set(message.message_id, {
      message: clone(message),
      fromBot: false,
      deleted: false,
    });
    const counter = this.messageCounters.get(message.chat.id) ?? 0;
    if (message.message_id > counter) this.messageCounters.set(message.chat.id, message.message_id);
  }

  private resolveRef(ref: MessageRef): ReplyMessage {
    const stored = this.chats.get(ref.chat.id)?.messages.get(ref.message_id);
    return asReply(stored ? stored.message : (ref as Message));
  }

  private autoEntities(text: string): MessageEntity[] {
    const command = /^\/[A-Za-z0-9_]{1,32}(@[A-Za-z0-9_]+)?/.exec(text);
    return command ? [{ type: "bot_command", offset: 0, length: command[0].length }] : [];
  }

  private fakeFile(): { file_id: string; file_unique_id: string } {
    this.fileCounter += 1;
    const n = this.fileCounter.toString(36).padStart(6, "0");
    return { file_id: `AgACAgIAAxkBAAI${n}fake`, file_unique_id: `AQAD${n}` };
  }

  private nextQueryId(): string {
    this.queryCounter += 1;
    return String(4_000_000_000_000_000 + this.queryCounter * 7919);
  }

  private commandsKey(scope: unknown, languageCode: unknown): string {
    const s = parseJsonIfString(scope) ?? { type: "default" };
    return `${JSON.stringify(s)}|${typeof languageCode === "string" ? languageCode : ""}`;
  }

  private botUser(): User {
    return {
      id: this.botInfo.id,
      is_bot: true,
      first_name: this.botInfo.first_name,
      username: this.botInfo.username,
    };
  }

  // -------------------------------------------------------------------------------------------
  // Validation helpers
  // -------------------------------------------------------------------------------------------

  /** Resolves chat_id to a numeric id; username strings resolve against known chats. */
  private resolveChat(raw: unknown): number | ApiError {
    if (raw === undefined || raw === null || raw === "")
      return fail(400, "Bad Request: chat_id is empty");
    const id = toInt(raw);
    if (id !== undefined && id !== 0) return id;
    if (typeof raw === "string" && raw.startsWith("@")) {
      const name = raw.slice(1).toLowerCase();
      for (const [chatId, s] of this.chats) {
        if (s.chat.username?.toLowerCase() === name) return chatId;
      }
    }
    return fail(400, "Bad Request: chat not found");
  }

  private blockedError(chatId: number): ApiError | undefined {
    if (!this.blocked.has(chatId)) return undefined;
    return fail(
      403,
      chatId > 0
        ? "Forbidden: bot was blocked by the user"
        : "Forbidden: bot was kicked from the group chat",
    );
  }

  /** Parses text/caption per parse_mode; returns Telegram's error for invalid input. */
  private formatted(
    raw: unknown,
    parseMode: unknown,
    entities: unknown,
    kind: "text" | "caption",
  ): FormattedText | ApiError {
    const mode = normaliseParseMode(parseMode);
    if (mode === "invalid") return fail(400, "Bad Request: unsupported parse_mode");
    const input = raw === undefined || raw === null ? "" : String(raw);
    if (kind === "text" && input.trim() === "")
      return fail(400, "Bad Request: message text is empty");
    let result: FormattedText;
    try {
      result = formatText(input, mode, parseJsonIfString(entities), this.options.html);
    } catch (error) {
      if (error instanceof EntityParseError)
        return fail(400, `Bad Request: can't parse entities: ${error.message}`);
      throw error;
    }
    if (kind === "text" && result.text === "")
      return fail(400, "Bad Request: message text is empty");
    const max = kind === "text" ? MAX_TEXT : MAX_CAPTION;
    if (utf16Length(result.text) > max) {
      return fail(
        400,
        kind === "text"
          ? "Bad Request: message is too long"
          : "Bad Request: message caption is too long",
      );
    }
    return result;
  }

  /** Validates reply_markup; returns the inline keyboard to store (if any) or an error. */
  private replyMarkup(
    raw: unknown,
    inlineOnly: boolean,
  ): { inline?: InlineKeyboardMarkup } | ApiError {
    const markup = parseJsonIfString(raw);
    if (markup === undefined || markup === null) return {};
    if (typeof markup !== "object")
      return fail(400, "Bad Request: can't parse reply keyboard markup JSON object");
    if (!("inline_keyboard" in markup)) {
      if (inlineOnly) return fail(400, "Bad Request: inline keyboard expected");
      return {};
    }
    const rows = (markup as { inline_keyboard: unknown }).inline_keyboard;
    if (!Array.isArray(rows) || rows.some((r) => !Array.isArray(r))) {
      return fail(
        400,
        'Bad Request: field "inline_keyboard" of the InlineKeyboardMarkup should be an Array of Arrays',
      );
    }
    for (const row of rows as unknown[][]) {
      for (const button of row) {
        if (button === null || typeof button !== "object") {
          return fail(
            400,
            "Bad Request: can't parse inline keyboard button: InlineKeyboardButton should be an Object",
          );
        }
        const b = button as Record<string, unknown>;
        if (typeof b.text !== "string") {
          return fail(
            400,
            'Bad Request: can\'t parse inline keyboard button: Field "text" must be of type String',
          );
        }
        if (!INLINE_BUTTON_ACTIONS.some((k) => b[k] !== undefined)) {
          return fail(
            400,
            "Bad Request: can't parse inline keyboard button: Text buttons are unallowed in the inline keyboard",
          );
        }
        if (b.callback_data !== undefined) {
          const bytes =
            typeof b.callback_data === "string" ? Buffer.byteLength(b.callback_data) : -1;
          if (bytes < 1 || bytes > 64) return fail(400, "Bad Request: BUTTON_DATA_INVALID");
        }
        if (b.url !== undefined && (typeof b.url !== "string" || b.url.trim() === "")) {
          return fail(400, "Bad Request: BUTTON_URL_INVALID");
        }
      }
    }
    return { inline: clone(markup as InlineKeyboardMarkup) };
  }

  private replyTarget(p: Payload, chatId: number): { message?: ReplyMessage } | ApiError {
    const params = parseJsonIfString(p.reply_parameters) as
      | { message_id?: unknown; chat_id?: unknown; allow_sending_without_reply?: unknown }
      | undefined;
    const messageId = toInt(params?.message_id ?? p.reply_to_message_id);
    if (messageId === undefined) return {};
    const allowMissing = Boolean(
      params?.allow_sending_without_reply ?? p.allow_sending_without_reply,
    );
    let targetChat = chatId;
    if (params?.chat_id !== undefined) {
      const resolved = this.resolveChat(params.chat_id);
      if (typeof resolved !== "number") return resolved;
      targetChat = resolved;
    }
    const stored = this.chats.get(targetChat)?.messages.get(messageId);
    if (!stored || stored.deleted) {
      return allowMissing ? {} : fail(400, "Bad Request: message to be replied not found");
    }
    return { message: asReply(stored.message) };
  }

  private storeBotMessage(chatId: number, msg: Message): Message {
    this.chatState(chatId).messages.set(msg.message_id, {
      message: clone(msg),
      fromBot: true,
      deleted: false,
    });
    return msg;
  }

  /** Common part of sendMessage and media sends. */
  private newBotMessage(p: Payload, chatId: number, extra: (msg: Message) => void): ApiResponse {
    const markup = this.replyMarkup(p.reply_markup, false);
    if ("ok" in markup) return markup;
    const reply = this.replyTarget(p, chatId);
    if ("ok" in reply) return reply;
    const msg = {
      message_id: this.nextMessageId(chatId),
      from: this.botUser(),
      chat: clone(this.chatState(chatId).chat),
      date: nowSec(),
    } as Message;
    if (reply.message) msg.reply_to_message = reply.message;
    extra(msg);
    if (markup.inline) msg.reply_markup = markup.inline;
    return ok(clone(this.storeBotMessage(chatId, msg)));
  }

  private editTarget(p: Payload): { chatId: number; stored: StoredMessage } | ApiError | "inline" {
    if (p.inline_message_id !== undefined) return "inline";
    const chatId = this.resolveChat(p.chat_id);
    if (typeof chatId !== "number") return chatId;
    const messageId = toInt(p.message_id);
    if (messageId === undefined)
      return fail(400, "Bad Request: message identifier is not specified");
    const stored = this.chats.get(chatId)?.messages.get(messageId);
    if (!stored || stored.deleted) return fail(400, "Bad Request: message to edit not found");
    if (!stored.fromBot) return fail(400, "Bad Request: message can't be edited");
    return { chatId, stored };
  }

  // -------------------------------------------------------------------------------------------
  // Method handlers
  // -------------------------------------------------------------------------------------------

  private createHandlers(): Record<string, Handler> {
    const handlers: Record<string, Handler> = {
      getMe: () => ok(clone(this.botInfo)),
      logOut: () => ok(true),
      close: () => ok(true),

      getUpdates: (p, call, res) => this.getUpdates(p, call, res),

      setWebhook: (p) => {
        const url = typeof p.url === "string" ? p.url : "";
        if (url !== "" && !url.startsWith("https://")) {
          return fail(400, "Bad Request: bad webhook: An HTTPS URL must be provided for webhook");
        }
        if (p.drop_pending_updates === true) this.queue = [];
        this.webhook = {
          url,
          allowed_updates: parseJsonIfString(p.allowed_updates),
          secret_token: p.secret_token,
        };
        for (const poller of [...this.pollers]) {
          this.finishPoller(poller, fail(409, "Conflict: terminated by setWebhook request"));
        }
        return ok(true);
      },

      deleteWebhook: (p) => {
        if (p.drop_pending_updates === true) this.queue = [];
        this.webhook = { url: "" };
        return ok(true);
      },

      getWebhookInfo: () => {
        const info: Record<string, unknown> = {
          url: this.webhook.url,
          has_custom_certificate: false,
          pending_update_count: this.queue.length,
        };
        if (this.webhook.url && Array.isArray(this.webhook.allowed_updates)) {
          info.allowed_updates = this.webhook.allowed_updates;
        }
        return ok(info);
      },

      sendMessage: (p) => {
        const chatId = this.resolveChat(p.chat_id);
        if (typeof chatId !== "number") return chatId;
        const blocked = this.blockedError(chatId);
        if (blocked) return blocked;
        const text = this.formatted(p.text, p.parse_mode, p.entities, "text");
        if ("ok" in text) return text;
        return this.newBotMessage(p, chatId, (msg) => {
          msg.text = text.text;
          if (text.entities.length > 0) msg.entities = text.entities as MessageEntity[];
          const preview = parseJsonIfString(p.link_preview_options);
          if (preview && typeof preview === "object") {
            (msg as Message & { link_preview_options?: unknown }).link_preview_options = preview;
          }
        });
      },

      editMessageText: (p) => {
        const text = this.formatted(p.text, p.parse_mode, p.entities, "text");
        if ("ok" in text) return text;
        const markup = this.replyMarkup(p.reply_markup, true);
        if ("ok" in markup) return markup;
        const target = this.editTarget(p);
        if (target === "inline") return ok(true);
        if ("ok" in target) return target;
        const current = target.stored.message;
        if (current.text === undefined)
          return fail(400, "Bad Request: there is no text in the message to edit");
        const newEntities = text.entities.length > 0 ? text.entities : undefined;
        const same =
          current.text === text.text &&
          JSON.stringify(current.entities ?? null) === JSON.stringify(newEntities ?? null) &&
          JSON.stringify(current.reply_markup ?? null) === JSON.stringify(markup.inline ?? null);
        if (same) return fail(400, NOT_MODIFIED);
        const next = clone(current);
        next.text = text.text;
        if (newEntities) next.entities = newEntities as MessageEntity[];
        else delete next.entities;
        // Like Telegram: editing without reply_markup removes the inline keyboard.
        if (markup.inline) next.reply_markup = markup.inline;
        else delete next.reply_markup;
        (next as Message & { edit_date: number }).edit_date = nowSec();
        target.stored.message = clone(next);
        return ok(next);
      },

      editMessageReplyMarkup: (p) => {
        const markup = this.replyMarkup(p.reply_markup, true);
        if ("ok" in markup) return markup;
        const target = this.editTarget(p);
        if (target === "inline") return ok(true);
        if ("ok" in target) return target;
        const current = target.stored.message;
        if (
          JSON.stringify(current.reply_markup ?? null) === JSON.stringify(markup.inline ?? null)
        ) {
          return fail(400, NOT_MODIFIED);
        }
        const next = clone(current);
        if (markup.inline) next.reply_markup = markup.inline;
        else delete next.reply_markup;
        (next as Message & { edit_date: number }).edit_date = nowSec();
        target.stored.message = clone(next);
        return ok(next);
      },

      deleteMessage: (p) => {
        const chatId = this.resolveChat(p.chat_id);
        if (typeof chatId !== "number") return chatId;
        const messageId = toInt(p.message_id);
        const stored =
          messageId === undefined ? undefined : this.chats.get(chatId)?.messages.get(messageId);
        if (!stored || stored.deleted) return fail(400, "Bad Request: message to delete not found");
        stored.deleted = true;
        return ok(true);
      },

      answerCallbackQuery: (p) => {
        const id = String(p.callback_query_id ?? "");
        const query = this.callbackQueries.get(id);
        if (!query || query.answered) return fail(400, QUERY_TOO_OLD);
        if (typeof p.text === "string" && p.text.length > 200)
          return fail(400, "Bad Request: MESSAGE_TOO_LONG");
        query.answered = true;
        query.answer = clone(p);
        return ok(true);
      },

      answerInlineQuery: (p) => {
        const id = String(p.inline_query_id ?? "");
        const query = this.inlineQueries.get(id);
        if (!query || query.answered) return fail(400, QUERY_TOO_OLD);
        const results = parseJsonIfString(p.results);
        if (!Array.isArray(results))
          return fail(400, 'Bad Request: field "results" must be an Array');
        if (results.length > 50) return fail(400, "Bad Request: RESULTS_TOO_MUCH");
        const ids = new Set<string>();
        for (const r of results as Array<Record<string, unknown>>) {
          const rid = String(r.id ?? "");
          if (rid === "" || Buffer.byteLength(rid) > 64)
            return fail(400, "Bad Request: RESULT_ID_INVALID");
          if (ids.has(rid)) return fail(400, "Bad Request: RESULT_ID_DUPLICATE");
          ids.add(rid);
          const content = r.input_message_content as Record<string, unknown> | undefined;
          if (content && "message_text" in content) {
            const text = this.formatted(
              content.message_text,
              content.parse_mode,
              content.entities,
              "text",
            );
            if ("ok" in text) return text;
          }
          const markup = this.replyMarkup(r.reply_markup, true);
          if ("ok" in markup) return markup;
        }
        query.answered = true;
        query.answer = clone(p);
        return ok(true);
      },

      setMyCommands: (p) => {
        const commands = parseJsonIfString(p.commands);
        if (!Array.isArray(commands))
          return fail(400, 'Bad Request: field "commands" must be an Array');
        if (commands.length > 100) return fail(400, "Bad Request: too many commands");
        for (const c of commands as Array<Record<string, unknown>>) {
          if (typeof c.command !== "string" || !/^[a-z0-9_]{1,32}$/.test(c.command)) {
            return fail(400, "Bad Request: BOT_COMMAND_INVALID");
          }
          if (
            typeof c.description !== "string" ||
            c.description.trim() === "" ||
            c.description.length > 256
          ) {
            return fail(400, "Bad Request: BOT_COMMAND_DESCRIPTION_INVALID");
          }
        }
        this.commandsByScope.set(this.commandsKey(p.scope, p.language_code), clone(commands));
        return ok(true);
      },

      getMyCommands: (p) =>
        ok(clone(this.commandsByScope.get(this.commandsKey(p.scope, p.language_code)) ?? [])),

      deleteMyCommands: (p) => {
        this.commandsByScope.delete(this.commandsKey(p.scope, p.language_code));
        return ok(true);
      },

      sendChatAction: (p) => {
        const chatId = this.resolveChat(p.chat_id);
        if (typeof chatId !== "number") return chatId;
        const blocked = this.blockedError(chatId);
        if (blocked) return blocked;
        if (typeof p.action !== "string" || !CHAT_ACTIONS.has(p.action)) {
          return fail(400, "Bad Request: wrong parameter action in request");
        }
        return ok(true);
      },

      setChatMenuButton: (p) => {
        const chatId = p.chat_id === undefined ? undefined : this.resolveChat(p.chat_id);
        if (chatId !== undefined && typeof chatId !== "number") return chatId;
        const button = parseJsonIfString(p.menu_button) ?? { type: "default" };
        this.menuButtons.set(chatId === undefined ? "default" : String(chatId), clone(button));
        return ok(true);
      },

      getChatMenuButton: (p) => {
        const key = p.chat_id === undefined ? "default" : String(toInt(p.chat_id));
        return ok(
          clone(
            this.menuButtons.get(key) ?? this.menuButtons.get("default") ?? { type: "commands" },
          ),
        );
      },

      getChat: (p) => {
        const chatId = this.resolveChat(p.chat_id);
        if (typeof chatId !== "number") return chatId;
        return ok({
          ...clone(this.chatState(chatId).chat),
          accent_color_id: 0,
          max_reaction_count: 11,
        });
      },
    };

    for (const [method, field] of Object.entries(MEDIA_METHODS)) {
      handlers[method] = (p) => {
        const chatId = this.resolveChat(p.chat_id);
        if (typeof chatId !== "number") return chatId;
        const blocked = this.blockedError(chatId);
        if (blocked) return blocked;
        const media = p[field];
        if (media === undefined || media === null || media === "") {
          return fail(400, `Bad Request: there is no ${field.replace("_", " ")} in the request`);
        }
        const caption =
          p.caption === undefined
            ? undefined
            : this.formatted(p.caption, p.parse_mode, p.caption_entities, "caption");
        if (caption && "ok" in caption) return caption;
        return this.newBotMessage(p, chatId, (msg) => {
          const file = this.fakeFile();
          const m = msg as unknown as Record<string, unknown>;
          if (field === "photo") {
            m.photo = [
              { ...file, width: 320, height: 240, file_size: 15_000 },
              { ...this.fakeFile(), width: 1280, height: 960, file_size: 120_000 },
            ];
          } else if (field === "sticker") {
            m.sticker = {
              ...file,
              type: "regular",
              width: 512,
              height: 512,
              is_animated: false,
              is_video: false,
            };
          } else {
            const name =
              typeof media === "object" && "filename" in media ? String(media.filename) : undefined;
            m[field] = {
              ...file,
              ...(name ? { file_name: name } : {}),
              file_size: 1_000,
              duration: 1,
            };
          }
          if (caption && caption.text !== "") {
            msg.caption = caption.text;
            if (caption.entities.length > 0)
              msg.caption_entities = caption.entities as MessageEntity[];
          }
        });
      };
    }
    return handlers;
  }
}

/** Starts a fake Bot API server on 127.0.0.1 (random port). */
export function startFakeTelegram(options: FakeTelegramOptions = {}): Promise<FakeTelegram> {
  return FakeTelegram.start(options);
}

function readBody(req: http.IncomingMessage): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    req.on("data", (chunk: Buffer) => chunks.push(chunk));
    req.on("end", () => resolve(Buffer.concat(chunks)));
    req.on("error", reject);
  });
}

/** Convenience: the callback_data of every inline button on a message, row by row. */
export function buttonData(message: Pick<Message, "reply_markup">): string[] {
  return (message.reply_markup?.inline_keyboard ?? [])
    .flat()
    .flatMap((b: InlineKeyboardButton) =>
      "callback_data" in b && b.callback_data !== undefined ? [b.callback_data] : [],
    );
}
