import type { Api, RawApi } from "grammy";
import type { BotCommand } from "grammy/types";
import { LANGS, type Lang } from "../knowledge/schema.ts";
import type { I18n } from "./i18n.ts";

export const COMMANDS = [
  "start",
  "help",
  "lang",
  "sources",
  "forums",
  "subscribe",
  "mysubs",
  "unsubscribe",
  "forget",
] as const;

export function commandList(i18n: I18n, lang: Lang): BotCommand[] {
  const t = i18n.t(lang);
  return COMMANDS.map((command) => ({ command, description: t(`commands.${command}`) }));
}

/** The menus: Russian by default, and one per language for users whose Telegram is in it. */
export async function setCommandMenus(api: Api<RawApi>, i18n: I18n): Promise<void> {
  await api.setMyCommands(commandList(i18n, "ru"));
  for (const lang of LANGS) {
    await api.setMyCommands(commandList(i18n, lang), { language_code: lang });
  }
}
