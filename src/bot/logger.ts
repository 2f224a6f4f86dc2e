import type { LogLevel } from "../config.ts";

export interface Logger {
  debug(message: string, extra?: unknown): void;
  info(message: string, extra?: unknown): void;
  warn(message: string, extra?: unknown): void;
  error(message: string, extra?: unknown): void;
}

const RANK: Record<LogLevel, number> = { debug: 10, info: 20, warn: 30, error: 40, silent: 100 };

/** Anything shaped like a bot token, whether or not we were told about it. */
const TOKEN_SHAPE = /\d{3,15}:[A-Za-z0-9_-]{30,50}/g;

export function redact(text: string, secrets: readonly string[] = []): string {
  let out = text;
  for (const secret of secrets) {
    if (secret.length >= 6) out = out.split(secret).join("[redacted]");
  }
  return out.replace(TOKEN_SHAPE, "[redacted]");
}

function describe(extra: unknown): string {
  if (extra === undefined) return "";
  if (extra instanceof Error) {
    // A stack trace helps at debug level; at other levels the message is enough.
    return ` ${extra.name}: ${extra.message}${extra.stack ? `\n${extra.stack.split("\n").slice(1).join("\n")}` : ""}`;
  }
  if (typeof extra === "string") return ` ${extra}`;
  try {
    return ` ${JSON.stringify(extra)}`;
  } catch {
    return ` ${String(extra)}`;
  }
}

export interface LoggerOptions {
  level: LogLevel;
  /** Strings never to print (the bot token); anything token-shaped is redacted as well. */
  secrets?: readonly string[];
  /** Where lines go; console.error by default, so stdout stays free for tools. */
  write?: (line: string) => void;
}

/** A tiny levelled logger that redacts the token from every line. */
export function createLogger(options: LoggerOptions): Logger {
  const threshold = RANK[options.level];
  const write = options.write ?? ((line: string) => console.error(line));
  const secrets = options.secrets ?? [];
  const log = (level: Exclude<LogLevel, "silent">) => (message: string, extra?: unknown) => {
    if (RANK[level] < threshold) return;
    const line = `${new Date().toISOString()} ${level.toUpperCase()} ${message}${describe(extra)}`;
    write(redact(line, secrets));
  };
  return { debug: log("debug"), info: log("info"), warn: log("warn"), error: log("error") };
}

export const silentLogger: Logger = createLogger({ level: "silent" });
