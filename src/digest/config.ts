import { Cron } from "croner";
import { type PacingOptions, TELEGRAM_PACING } from "./pacing.ts";
import { DEFAULT_DIGEST_CRON, DEFAULT_DIGEST_TZ, isValidTimeZone } from "./schedule.ts";

/** Throws when the cron pattern is invalid. */
export function validateCron(pattern: string): void {
  const job = new Cron(pattern, { paused: true });
  job.stop();
}

export interface DigestConfig {
  /** When the bot's scheduler runs deliverDue (croner pattern, in `timeZone`). */
  cron: string;
  /** Zone of the weekly day and hour subscribers choose, and of the cron pattern. */
  timeZone: string;
  /** Telegram's limits, or false (tests, benchmarks against a fake server). */
  pacing: PacingOptions | false;
}

/** Reads DIGEST_CRON, DIGEST_TZ and DIGEST_PACING; throws an Error with a one-line message. */
export function parseDigestEnv(env: NodeJS.ProcessEnv = process.env): DigestConfig {
  const cron = env.DIGEST_CRON?.trim() || DEFAULT_DIGEST_CRON;
  try {
    validateCron(cron);
  } catch (error) {
    throw new Error(
      `DIGEST_CRON must be a cron pattern such as "*/5 * * * *", got "${cron}" (${(error as Error).message})`,
    );
  }
  const timeZone = env.DIGEST_TZ?.trim() || DEFAULT_DIGEST_TZ;
  if (!isValidTimeZone(timeZone)) {
    throw new Error(`DIGEST_TZ must be an IANA time zone such as Asia/Almaty, got "${timeZone}"`);
  }
  const raw = (env.DIGEST_PACING?.trim() || "on").toLowerCase();
  let pacing: PacingOptions | false;
  if (["on", "true", "1", "telegram"].includes(raw)) pacing = TELEGRAM_PACING;
  else if (["off", "false", "0"].includes(raw)) pacing = false;
  else if (/^\d+(\.\d+)?$/.test(raw) && Number(raw) > 0)
    pacing = { ...TELEGRAM_PACING, perSecond: Number(raw) };
  else {
    throw new Error(
      `DIGEST_PACING must be "on" (Telegram's limits), "off", or messages per second, got "${raw}"`,
    );
  }
  return { cron, timeZone, pacing };
}
