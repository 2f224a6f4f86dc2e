import { readFileSync } from "node:fs";
import { join } from "node:path";
import i18next, { type i18n as I18nInstance } from "i18next";
import type { Translate } from "../answer/render.ts";
import { LANGS, type Lang } from "../knowledge/schema.ts";

export type { Translate };

export const DEFAULT_LOCALES_DIR = new URL("../../locales/", import.meta.url).pathname;

export interface I18n {
  readonly instance: I18nInstance;
  /** A translate function fixed to one language; cheap, safe to call per update. */
  t(lang: Lang): Translate;
}

/**
 * One i18next instance for the whole process, loaded synchronously from locales/*.json.
 * Never call changeLanguage on it: each update gets its own fixed `t`.
 * Interpolated values are not escaped here; HTML callers escape them (escapeHtml).
 */
export function createI18n(localesDir: string = DEFAULT_LOCALES_DIR): I18n {
  const resources: Record<string, { translation: Record<string, unknown> }> = {};
  for (const lang of LANGS) {
    const file = join(localesDir, `${lang}.json`);
    resources[lang] = { translation: JSON.parse(readFileSync(file, "utf8")) };
  }
  const instance = i18next.createInstance();
  void instance.init({
    resources,
    lng: "ru",
    fallbackLng: "ru",
    supportedLngs: [...LANGS],
    initAsync: false,
    returnNull: false,
    interpolation: { escapeValue: false },
  });
  const cache = new Map<Lang, Translate>();
  return {
    instance,
    t(lang: Lang): Translate {
      let fixed = cache.get(lang);
      if (!fixed) {
        const bound = instance.getFixedT(lang);
        // Strings without interpolation are looked up once (the resources never change).
        const plain = new Map<string, string>();
        fixed = (key, options) => {
          if (options) return String(bound(key, options));
          let text = plain.get(key);
          if (text === undefined) {
            text = String(bound(key));
            plain.set(key, text);
          }
          return text;
        };
        cache.set(lang, fixed);
      }
      return fixed;
    },
  };
}
