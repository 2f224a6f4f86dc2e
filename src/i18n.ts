import { readFileSync } from "node:fs";
import i18next, { type TFunction } from "i18next";
import { LANGS, type Lang } from "./knowledge/schema.ts";

const LOCALES_DIR = new URL("../locales/", import.meta.url).pathname;

function readLocale(lang: Lang): Record<string, unknown> {
  return JSON.parse(readFileSync(`${LOCALES_DIR}${lang}.json`, "utf8")) as Record<string, unknown>;
}

/**
 * One shared i18next instance, initialised synchronously from the JSON files. Each reply
 * takes its own fixed-language `t`, so concurrent updates never switch each other's language.
 */
export const i18n = i18next.createInstance();
void i18n.init({
  initAsync: false,
  lng: "ru",
  fallbackLng: "ru",
  supportedLngs: [...LANGS],
  resources: Object.fromEntries(LANGS.map((lang) => [lang, { translation: readLocale(lang) }])),
  interpolation: { escapeValue: false },
  returnNull: false,
});

export function translator(lang: Lang): TFunction {
  return i18n.getFixedT(lang);
}
