import { describe, expect, it } from "vitest";
import { composeDigest, MESSAGE_LIMIT, shortQuote } from "../../src/digest/compose.ts";
import { loadKnowledgeBase } from "../../src/knowledge/load.ts";
import { parseHtml } from "../e2e/fake-telegram/server.ts";
import { event, fact, makeKb } from "./fixtures.ts";
import { testI18n } from "./helpers.ts";

const i18n = testI18n();
const kb = loadKnowledgeBase();

describe("composeDigest", () => {
  it("splits the whole knowledge base into valid HTML messages within Telegram's limit, in both languages", () => {
    for (const lang of ["kk", "ru"] as const) {
      const parts = composeDigest(
        kb,
        kb.facts.map((f) => f.id),
        lang,
        i18n.t(lang),
        { kind: "weekly" },
      );
      expect(parts.length).toBeGreaterThan(1);
      const texts = parts.map((part) => {
        expect(part.length).toBeLessThanOrEqual(MESSAGE_LIMIT);
        return parseHtml(part).text; // throws on markup Telegram would refuse
      });
      const all = texts.join("\n");
      for (const f of kb.facts) {
        // Every fact once, in the subscriber's language, with its citation.
        expect(all.split(f.answer[lang]).length - 1, f.id).toBeGreaterThanOrEqual(1);
      }
      expect(all).toContain(i18n.t(lang)("digest.title_weekly"));
    }
  });

  it("writes each card in the subscriber's language: kk labels and text for kk, ru for ru", () => {
    const xvi = kb.facts.filter((f) => f.forum === "forum-xvi-omsk-2019").slice(0, 3);
    const ids = xvi.map((f) => f.id);
    const kk = parseHtml(composeDigest(kb, ids, "kk", i18n.t("kk")).join("\n")).text;
    const ru = parseHtml(composeDigest(kb, ids, "ru", i18n.t("ru")).join("\n")).text;
    expect(kk).toContain("Қазақстан мен Ресейдің XVI өңіраралық ынтымақтастық форумы");
    expect(kk).toContain("07.11.2019");
    expect(kk).toContain("Омбы");
    expect(kk).toContain(i18n.t("kk")("digest.participants"));
    expect(ru).toContain("XVI Форум межрегионального сотрудничества России и Казахстана");
    expect(ru).toContain("Омск");
    expect(ru).toContain(i18n.t("ru")("digest.participants"));
    for (const f of xvi) {
      expect(kk).toContain(f.answer.kk);
      expect(ru).toContain(f.answer.ru);
    }
    expect(kk).not.toContain(xvi[0]?.answer.ru);
  });

  it("escapes every piece of knowledge-base text", () => {
    const evil = makeKb(
      [
        event("e1", {
          name: { kk: "<b>kk</b> & co", ru: 'Форум <script>alert("x")</script> & "Ко"' },
          participants: { kk: ["A<B"], ru: ["A<B", "C&D"] },
          theme: { kk: "t<", ru: "тема > все" },
        }),
      ],
      [fact("f1", "e1", "trade", { answer: { kk: "x < y", ru: "5 < 7 & 8 > 3 <i>" } })],
    );
    const [part] = composeDigest(evil, ["f1"], "ru", i18n.t("ru"));
    expect(part).toBeDefined();
    expect(part).not.toContain("<script>");
    expect(part).toContain("&lt;script&gt;");
    expect(part).toContain('href="https://example.org/a?x=1&amp;y=2"');
    const parsed = parseHtml(part as string);
    expect(parsed.text).toContain('Форум <script>alert("x")</script> & "Ко"');
    expect(parsed.text).toContain("5 < 7 & 8 > 3 <i>");
    expect(parsed.text).toContain("A<B; C&D");
  });

  it("breaks between facts and repeats the event's name on a continued card", () => {
    const facts = Array.from({ length: 30 }, (_, i) =>
      fact(`f${i}`, "e1", i % 5 === 0 ? "documents" : "trade"),
    );
    const small = makeKb([event("e1", { date: "2020-02-03", year: 2020 })], facts);
    const parts = composeDigest(
      small,
      facts.map((f) => f.id),
      "ru",
      i18n.t("ru"),
      { limit: 700 },
    );
    expect(parts.length).toBeGreaterThan(3);
    const texts = parts.map((p) => {
      expect(p.length).toBeLessThanOrEqual(700);
      return parseHtml(p).text;
    });
    for (const text of texts.slice(1)) expect(text).toMatch(/Форум e1 \(ru\)/);
    expect(texts.slice(1).some((t) => t.includes(i18n.t("ru")("digest.continued")))).toBe(true);
    const joined = texts.join("\n");
    for (const f of facts) expect(joined.split(`Факт ${f.id}\n`).length - 1, f.id).toBe(1);
    // Documents come under their own heading, after the figures.
    expect(joined.indexOf(i18n.t("ru")("digest.documents"))).toBeGreaterThan(
      joined.indexOf("Факт f1\n"),
    );
    expect(joined).toContain("03.02.2020");
  });

  it("cites outlet, headline, date, link and a short verbatim quote", () => {
    const long = "слово ".repeat(100).trim();
    const small = makeKb(
      [event("e1")],
      [fact("f1", "e1", "trade", { citations: [{ source: "src-a", quote: long }] })],
    );
    const text = parseHtml(composeDigest(small, ["f1"], "ru", i18n.t("ru"))[0] as string);
    expect(text.text).toContain("Outlet A, «Headline A», 07.11.2019");
    expect(
      text.entities.some(
        (e) => e.type === "text_link" && e.url === "https://example.org/a?x=1&y=2",
      ),
    ).toBe(true);
    const quote = shortQuote(long);
    expect(quote.length).toBeLessThanOrEqual(221);
    expect(quote.endsWith("…")).toBe(true);
    expect(long.startsWith(quote.slice(0, -1))).toBe(true);
    expect(text.text).toContain(`«${quote}»`);
  });

  it("returns nothing for no items", () => {
    expect(composeDigest(kb, [], "ru", i18n.t("ru"))).toEqual([]);
  });
});
