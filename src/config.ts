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
}

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
  };
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
  return { botToken: token, ...loadBaseConfig(env) };
}
