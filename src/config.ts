import { resolve } from "node:path";
import { z } from "zod";
import { type DigestConfig, parseDigestEnv } from "./digest/config.ts";

export const LOG_LEVELS = ["debug", "info", "warn", "error", "silent"] as const;
export type LogLevel = (typeof LOG_LEVELS)[number];

export const DEFAULT_API_ROOT = "https://api.telegram.org";

/** A bot token as @BotFather issues it: the bot's numeric id, a colon, 35 url-safe characters. */
export const BOT_TOKEN_PATTERN = /^\d{3,15}:[A-Za-z0-9_-]{30,50}$/;

export interface Config {
  botToken: string;
  /** Root of the Bot API, without a trailing slash (a local Bot API server, or the fake one in tests). */
  apiRoot: string;
  /** Absolute directory holding the embedded database and other state. */
  dataDir: string;
  adminIds: number[];
  logLevel: LogLevel;
  /** DIGEST_CRON, DIGEST_TZ, DIGEST_PACING (defaults when absent). */
  digest?: DigestConfig;
  /** DATABASE_URL (postgres://…): PostgreSQL instead of SQLite in dataDir. */
  databaseUrl?: string | undefined;
  /**
   * The HTTP server for /healthz, /metrics and the webhook (PORT, default 8080; 0 picks a free
   * port). Undefined: no server (PORT=off, and tests that build a Config by hand).
   */
  http?: HttpConfig | undefined;
  /** WEBHOOK_URL and WEBHOOK_SECRET: updates by webhook instead of long polling. */
  webhook?: WebhookConfig | undefined;
}

export interface HttpConfig {
  port: number;
  /** Interface to listen on; default all. */
  host?: string;
}

export interface WebhookConfig {
  /** The public https URL Telegram posts updates to (setWebhook). */
  url: string;
  /** Telegram sends it in X-Telegram-Bot-Api-Secret-Token; other requests get 401. */
  secret: string;
  /** The path of `url`, served by the bot's HTTP server (a reverse proxy forwards it as is). */
  path: string;
}

export const DEFAULT_PORT = 8080;
/** Telegram's rule for secret_token: 1-256 characters A-Z, a-z, 0-9, _ and -. */
export const WEBHOOK_SECRET_PATTERN = /^[A-Za-z0-9_-]{1,256}$/;
const LOOPBACK_HOSTS = new Set(["localhost", "127.0.0.1", "[::1]"]);
const RESERVED_PATHS = new Set(["/healthz", "/metrics"]);

/** Raised for a bad environment; `message` is one line meant for the person starting the bot. */
export class ConfigError extends Error {
  override name = "ConfigError";
}

const blankToUndefined = (value: unknown) =>
  typeof value === "string" && value.trim() === "" ? undefined : value;

const baseSchema = z.object({
  TELEGRAM_API_ROOT: z.preprocess(
    blankToUndefined,
    z
      .url({ protocol: /^https?$/, error: "TELEGRAM_API_ROOT must be an http(s) URL" })
      .default(DEFAULT_API_ROOT)
      .transform((url) => url.replace(/\/+$/, "")),
  ),
  DATA_DIR: z.preprocess(blankToUndefined, z.string().default("./data")),
  ADMIN_IDS: z.preprocess(
    blankToUndefined,
    z
      .string()
      .default("")
      .transform((list, ctx) => {
        const ids: number[] = [];
        for (const part of list.split(",").map((item) => item.trim())) {
          if (part === "") continue;
          if (!/^\d{1,15}$/.test(part)) {
            ctx.addIssue({
              code: "custom",
              message: `ADMIN_IDS must be comma-separated Telegram user ids, got "${part}"`,
            });
            return z.NEVER;
          }
          ids.push(Number(part));
        }
        return ids;
      }),
  ),
  DATABASE_URL: z.preprocess(
    blankToUndefined,
    z
      .string()
      .trim()
      .refine((url) => /^postgres(ql)?:\/\/[^\s]+$/.test(url), {
        message:
          "DATABASE_URL must be a PostgreSQL URL such as postgres://user:password@host:5432/database",
      })
      .optional(),
  ),
  LOG_LEVEL: z.preprocess(
    (value) => (typeof value === "string" ? value.trim().toLowerCase() || undefined : value),
    z
      .enum(LOG_LEVELS, { error: `LOG_LEVEL must be one of ${LOG_LEVELS.join(", ")}` })
      .default("info"),
  ),
});

const TOKEN_HELP =
  "get one from @BotFather and put BOT_TOKEN=123456789:ABC... in .env (see .env.example), " +
  "or try the bot offline without a token: npm run chat";

function firstIssue(error: z.ZodError): string {
  const issue = error.issues[0];
  return issue ? issue.message : "invalid configuration";
}

/** Everything but the token: what `npm run chat` and the tools need. */
export function loadBaseConfig(
  env: NodeJS.ProcessEnv = process.env,
): Omit<Config, "botToken" | "apiRoot"> & { apiRoot: string } {
  const parsed = baseSchema.safeParse(env);
  if (!parsed.success) throw new ConfigError(firstIssue(parsed.error));
  let digest: DigestConfig;
  try {
    digest = parseDigestEnv(env);
  } catch (error) {
    throw new ConfigError((error as Error).message);
  }
  return {
    apiRoot: parsed.data.TELEGRAM_API_ROOT,
    dataDir: resolve(parsed.data.DATA_DIR),
    adminIds: parsed.data.ADMIN_IDS,
    logLevel: parsed.data.LOG_LEVEL,
    digest,
    databaseUrl: parsed.data.DATABASE_URL,
  };
}

/** PORT, WEBHOOK_URL and WEBHOOK_SECRET: what only the bot (`npm start`) needs. */
export function loadServerConfig(env: NodeJS.ProcessEnv = process.env): {
  http: HttpConfig | undefined;
  webhook: WebhookConfig | undefined;
} {
  const rawPort = env.PORT?.trim().toLowerCase() ?? "";
  let http: HttpConfig | undefined;
  if (rawPort === "") http = { port: DEFAULT_PORT };
  else if (["off", "none", "false", "no"].includes(rawPort)) http = undefined;
  else if (/^\d{1,5}$/.test(rawPort) && Number(rawPort) <= 65535) http = { port: Number(rawPort) };
  else {
    throw new ConfigError(
      `PORT must be a port number (default ${DEFAULT_PORT}; 0: any free port) or "off", got "${env.PORT}"`,
    );
  }

  const rawUrl = env.WEBHOOK_URL?.trim() ?? "";
  if (rawUrl === "") return { http, webhook: undefined };
  let url: URL;
  try {
    url = new URL(rawUrl);
  } catch {
    throw new ConfigError(
      `WEBHOOK_URL must be an https URL such as https://bot.example.org/telegram, got "${rawUrl}"`,
    );
  }
  const loopback = LOOPBACK_HOSTS.has(url.hostname);
  if (url.protocol !== "https:" && !(url.protocol === "http:" && loopback)) {
    throw new ConfigError(
      `WEBHOOK_URL must be an https URL (Telegram only calls https; http only for localhost and a local Bot API server), got "${rawUrl}"`,
    );
  }
  if (RESERVED_PATHS.has(url.pathname)) {
    throw new ConfigError(`WEBHOOK_URL cannot use the path ${url.pathname}: the bot serves it`);
  }
  const secret = env.WEBHOOK_SECRET?.trim() ?? "";
  if (secret === "") {
    throw new ConfigError(
      "WEBHOOK_SECRET is not set: with WEBHOOK_URL it is required (1-256 characters A-Z, a-z, 0-9, _ and -; e.g. openssl rand -hex 32)",
    );
  }
  if (!WEBHOOK_SECRET_PATTERN.test(secret)) {
    throw new ConfigError(
      "WEBHOOK_SECRET must be 1-256 characters A-Z, a-z, 0-9, _ and - (e.g. openssl rand -hex 32)",
    );
  }
  if (!http) {
    throw new ConfigError("PORT=off cannot be used with WEBHOOK_URL: the webhook needs a port");
  }
  return { http, webhook: { url: url.toString(), secret, path: url.pathname } };
}

/**
 * Reads and validates the bot's environment. Throws a ConfigError whose message is a single
 * line telling what to set.
 */
export function loadConfig(env: NodeJS.ProcessEnv = process.env): Config {
  const token = env.BOT_TOKEN?.trim() ?? "";
  if (token === "") throw new ConfigError(`BOT_TOKEN is not set: ${TOKEN_HELP}`);
  if (!BOT_TOKEN_PATTERN.test(token)) {
    throw new ConfigError(
      `BOT_TOKEN does not look like a bot token (expected digits, a colon and 35 characters): ${TOKEN_HELP}`,
    );
  }
  return { botToken: token, ...loadBaseConfig(env), ...loadServerConfig(env) };
}
