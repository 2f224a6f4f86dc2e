import { describe, expect, it } from "vitest";
import { RateLimiter } from "../../src/bot/features/ratelimit.ts";
import { createI18n } from "../../src/bot/i18n.ts";
import { decideLang, langFromCode } from "../../src/bot/lang.ts";

describe("decideLang", () => {
  it("lets an explicit choice win over the message's language", () => {
    expect(decideLang({ pref: "kk", last: "ru" }, "ru", "ru", false)).toBe("kk");
    expect(decideLang({ pref: "ru", last: null }, "kk", "kk", false)).toBe("ru");
  });

  it("in auto follows the message, then the last language, then language_code", () => {
    expect(decideLang({ pref: "auto", last: "ru" }, "kk", "ru", false)).toBe("kk");
    expect(decideLang({ pref: "auto", last: "kk" }, null, "ru", false)).toBe("kk");
    expect(decideLang(null, null, "kk-KZ", false)).toBe("kk");
    expect(decideLang(null, null, "en", false)).toBe("ru");
    expect(decideLang(null, null, undefined, false)).toBe("ru");
  });

  it("answers inline queries in the query's language even after a choice", () => {
    expect(decideLang({ pref: "ru", last: null }, "kk", "ru", true)).toBe("kk");
    expect(decideLang({ pref: "ru", last: null }, null, "kk", true)).toBe("ru");
  });

  it("maps Telegram language codes", () => {
    expect(langFromCode("kk")).toBe("kk");
    expect(langFromCode("ru")).toBe("ru");
    expect(langFromCode("uk")).toBe("ru");
  });
});

describe("locales", () => {
  const i18n = createI18n();

  it("have the same keys in both languages (plural forms aside)", () => {
    const keys = (lang: string) => {
      const out = new Set<string>();
      const walk = (node: unknown, prefix: string) => {
        if (typeof node === "string") out.add(prefix.replace(/_(one|few|many|other)$/, ""));
        else
          for (const [k, v] of Object.entries(node as object))
            walk(v, prefix ? `${prefix}.${k}` : k);
      };
      walk(i18n.instance.getResourceBundle(lang, "translation"), "");
      return [...out].sort();
    };
    expect(keys("kk")).toEqual(keys("ru"));
  });

  it("use Russian plural forms and fixed translators per language", () => {
    const ru = i18n.t("ru");
    const kk = i18n.t("kk");
    expect(ru("start.facts", { count: 1 })).toBe("1 факт");
    expect(ru("start.facts", { count: 3 })).toBe("3 факта");
    expect(ru("start.facts", { count: 214 })).toBe("214 фактов");
    expect(ru("start.facts", { count: 21 })).toBe("21 факт");
    expect(kk("start.facts", { count: 214 })).toBe("214 факт");
    // The shared instance's language never changes.
    expect(i18n.instance.language).toBe("ru");
    expect(kk("lang.auto_button")).toBe("Автоматты");
  });
});

describe("RateLimiter", () => {
  it("allows a burst, warns once, drops, then refills", () => {
    let now = 0;
    const limiter = new RateLimiter({ burst: 3, perSecond: 1, now: () => now });
    expect([1, 2, 3].map(() => limiter.take(1))).toEqual(["ok", "ok", "ok"]);
    expect(limiter.take(1)).toBe("warn");
    expect(limiter.take(1)).toBe("drop");
    expect(limiter.take(2)).toBe("ok");
    now = 1000;
    expect(limiter.take(1)).toBe("ok");
    expect(limiter.take(1)).toBe("warn");
  });
});
