import { pino } from "pino";
import type { LogLevel } from "../config.ts";

/**
 * The bot's logger: four levels, a message and an optional extra (an Error, a string, or an
 * object of fields). Call sites only know this interface; behind it is pino, writing one JSON
 * object per line to standard error (stdout stays free for tools such as `npm run ask`).
 *
 * What goes in: never the token (every line is redacted, see `redact`), never a message's text
 * at info level or above — question texts are logged at debug only. Errors from the Bot API are
 * logged without their request payload (which holds the text sent).
 */
export interface Logger {
  debug(message: string, extra?: unknown): void;
  info(message: string, extra?: unknown): void;
  warn(message: string, extra?: unknown): void;
  error(message: string, extra?: unknown): void;
}

/** Anything shaped like a bot token, whether or not we were told about it. */
const TOKEN_SHAPE = /\d{3,15}:[A-Za-z0-9_-]{30,50}/g;

export function redact(text: string, secrets: readonly string[] = []): string {
  let out = text;
  for (const secret of secrets) {
    if (secret.length >= 6) out = out.split(secret).join("[redacted]");
  }
  return out.replace(TOKEN_SHAPE, "[redacted]");
}

export interface LoggerOptions {
  level: LogLevel;
  /** Strings never to print (the bot token); anything token-shaped is redacted as well. */
  secrets?: readonly string[];
  /**
   * Where lines go (one JSON object each, without the newline); standard error by default,
   * written synchronously so that nothing is lost when the process exits right after.
   */
  write?: (line: string) => void;
}

/**
 * An Error as a log field: name, message, stack, and Telegram's error_code, description and
 * method when present — but not grammY's `payload` (the request, with the message text).
 */
function serializeError(error: Error): Record<string, unknown> {
  const out: Record<string, unknown> = {
    type: error.name,
    message: error.message,
  };
  const fields = error as Error & {
    error_code?: unknown;
    description?: unknown;
    method?: unknown;
    code?: unknown;
  };
  if (fields.error_code !== undefined) out.error_code = fields.error_code;
  if (fields.description !== undefined) out.description = fields.description;
  if (typeof fields.method === "string") out.method = fields.method;
  if (typeof fields.code === "string" || typeof fields.code === "number") out.code = fields.code;
  if (error.stack) out.stack = error.stack;
  if (error.cause instanceof Error) out.cause = serializeError(error.cause);
  return out;
}

/** The extra argument as pino's merge object. */
function fields(extra: unknown): Record<string, unknown> | undefined {
  if (extra === undefined) return undefined;
  if (extra instanceof Error) return { err: serializeError(extra) };
  if (typeof extra === "object" && extra !== null && !Array.isArray(extra)) {
    const out: Record<string, unknown> = {};
    for (const [key, value] of Object.entries(extra)) {
      out[key] = value instanceof Error ? serializeError(value) : value;
    }
    return out;
  }
  return { detail: extra };
}

/** A levelled JSON logger (pino) that redacts the token from every line. */
export function createLogger(options: LoggerOptions): Logger {
  const secrets = options.secrets ?? [];
  const sink = options.write;
  const destination = sink
    ? {
        write(chunk: string) {
          sink(redact(chunk.replace(/\n$/, ""), secrets));
        },
      }
    : (() => {
        const stderr = pino.destination({ dest: 2, sync: true });
        return {
          write(chunk: string) {
            stderr.write(redact(chunk, secrets));
          },
        };
      })();
  const log = pino(
    {
      level: options.level,
      timestamp: pino.stdTimeFunctions.isoTime,
      formatters: { level: (label) => ({ level: label }) },
      // Errors are serialized by serializeError above (without grammY's request payload).
      serializers: { err: (value: unknown) => value },
    },
    destination,
  );
  const method =
    (level: "debug" | "info" | "warn" | "error") => (message: string, extra?: unknown) => {
      if (!log.isLevelEnabled(level)) return;
      const merge = fields(extra);
      if (merge) log[level](merge, message);
      else log[level](message);
    };
  return {
    debug: method("debug"),
    info: method("info"),
    warn: method("warn"),
    error: method("error"),
  };
}

export const silentLogger: Logger = createLogger({ level: "silent", write: () => {} });
