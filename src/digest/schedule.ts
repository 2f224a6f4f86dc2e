/**
 * Weekly slots in a time zone (Asia/Almaty by default, UTC+5 since March 2024): "Monday at
 * 09:00 in Kazakhstan" as instants. Plain Intl, so that the zone rules are the runtime's.
 */

export const DEFAULT_DIGEST_TZ = "Asia/Almaty";
export const DEFAULT_DIGEST_CRON = "*/5 * * * *";

const HOUR_MS = 60 * 60 * 1000;

const formatters = new Map<string, Intl.DateTimeFormat>();
function formatter(timeZone: string): Intl.DateTimeFormat {
  let f = formatters.get(timeZone);
  if (!f) {
    f = new Intl.DateTimeFormat("en-US", {
      timeZone,
      hourCycle: "h23",
      year: "numeric",
      month: "numeric",
      day: "numeric",
      hour: "numeric",
      minute: "numeric",
      second: "numeric",
      weekday: "short",
    });
    formatters.set(timeZone, f);
  }
  return f;
}

/** Whether the runtime knows the zone ("Asia/Almaty", "UTC", "+05:00" style offsets too). */
export function isValidTimeZone(timeZone: string): boolean {
  try {
    formatter(timeZone);
    return true;
  } catch {
    return false;
  }
}

export interface ZonedTime {
  year: number;
  month: number;
  day: number;
  hour: number;
  minute: number;
  second: number;
  /** 0 = Sunday … 6 = Saturday. */
  weekday: number;
}

const WEEKDAYS = ["Sun", "Mon", "Tue", "Wed", "Thu", "Fri", "Sat"];

/** Wall-clock time of an instant in a zone. */
export function zonedTime(ms: number, timeZone: string): ZonedTime {
  const parts: Record<string, string> = {};
  for (const part of formatter(timeZone).formatToParts(new Date(ms))) parts[part.type] = part.value;
  return {
    year: Number(parts.year),
    month: Number(parts.month),
    day: Number(parts.day),
    hour: Number(parts.hour) % 24,
    minute: Number(parts.minute),
    second: Number(parts.second),
    weekday: WEEKDAYS.indexOf(parts.weekday ?? ""),
  };
}

/** The zone's offset from UTC at an instant, ms (Almaty: +5 h). */
export function zoneOffsetMs(ms: number, timeZone: string): number {
  const z = zonedTime(ms, timeZone);
  const asUtc = Date.UTC(z.year, z.month - 1, z.day, z.hour, z.minute, z.second);
  return asUtc - Math.floor(ms / 1000) * 1000;
}

/** The instant when the zone's clocks show this date and hour (day may overflow the month). */
export function zonedToInstant(
  year: number,
  month: number,
  day: number,
  hour: number,
  timeZone: string,
): number {
  const wall = Date.UTC(year, month - 1, day, hour);
  const first = wall - zoneOffsetMs(wall, timeZone);
  const second = wall - zoneOffsetMs(first, timeZone);
  return second;
}

/**
 * The most recent instant, at or before `now`, when it was `day` (0 = Sunday) at `hour`:00 in
 * the zone.
 */
export function latestWeeklySlot(now: number, day: number, hour: number, timeZone: string): number {
  const z = zonedTime(now, timeZone);
  const back = (z.weekday - day + 7) % 7;
  let slot = zonedToInstant(z.year, z.month, z.day - back, hour, timeZone);
  if (slot > now) slot = zonedToInstant(z.year, z.month, z.day - back - 7, hour, timeZone);
  return slot;
}

/** The first slot after `now`. */
export function nextWeeklySlot(now: number, day: number, hour: number, timeZone: string): number {
  const latest = latestWeeklySlot(now, day, hour, timeZone);
  const z = zonedTime(latest + HOUR_MS / 2, timeZone);
  return zonedToInstant(z.year, z.month, z.day + 7, hour, timeZone);
}
