import { describe, expect, it } from "vitest";
import { escapeHtml, htmlToText, splitHtml } from "../../src/bot/html.ts";
import { parseHtml } from "../e2e/fake-telegram/html.ts";

const visible = (html: string) => parseHtml(html).text;
/** What a reader sees, spacing aside (a cut drops the spaces around it). */
const words = (text: string) => text.replace(/\s+/g, " ").trim();

describe("splitHtml", () => {
  it("leaves a message within the limit alone", () => {
    expect(splitHtml("<b>a</b> b")).toEqual(["<b>a</b> b"]);
    expect(splitHtml("  ")).toEqual([]);
  });

  it("cuts at paragraph ends, each part valid Telegram HTML within the limit, nothing lost", () => {
    const paragraphs = Array.from(
      { length: 40 },
      (_, i) => `<b>${i}.</b> ${escapeHtml("Товарооборот & <инвестиции> ").repeat(8)}`,
    );
    const html = paragraphs.join("\n\n");
    const parts = splitHtml(html, 1000);
    expect(parts.length).toBeGreaterThan(5);
    for (const part of parts) {
      expect(part.length).toBeLessThanOrEqual(1000);
      expect(() => parseHtml(part)).not.toThrow();
      expect(part.startsWith("<b>")).toBe(true);
    }
    expect(words(parts.map(visible).join("\n\n"))).toBe(words(visible(html)));
  });

  it("closes tags open at a cut and opens them again in the next part", () => {
    const html = `<blockquote><i>${"слово ".repeat(600)}</i></blockquote>`;
    const parts = splitHtml(html, 1000);
    expect(parts.length).toBeGreaterThan(3);
    for (const part of parts) {
      expect(part.length).toBeLessThanOrEqual(1000);
      expect(part.startsWith("<blockquote><i>")).toBe(true);
      expect(part.endsWith("</i></blockquote>")).toBe(true);
      expect(() => parseHtml(part)).not.toThrow();
    }
    expect(words(parts.map(visible).join(" ")).split(" ")).toHaveLength(600);
  });

  it("never cuts inside an entity, a link or a surrogate pair, even without spaces", () => {
    const html = `<a href="https://example.org/${"x".repeat(50)}">${"&amp;😀".repeat(2000)}</a>`;
    const parts = splitHtml(html, 500);
    for (const part of parts) {
      expect(part.length).toBeLessThanOrEqual(500);
      expect(() => parseHtml(part)).not.toThrow();
    }
    expect(parts.map(visible).join("")).toBe(visible(html));
  });

  it("keeps parts under Telegram's 4096 by default", () => {
    const html = escapeHtml('<&>" '.repeat(3000));
    const parts = splitHtml(html);
    expect(parts.length).toBeGreaterThan(1);
    for (const part of parts) expect(part.length).toBeLessThanOrEqual(4096);
  });
});

describe("escapeHtml and htmlToText", () => {
  it("escapes the four special characters", () => {
    expect(escapeHtml(`<b>"A & B"</b>`)).toBe("&lt;b&gt;&quot;A &amp; B&quot;&lt;/b&gt;");
  });

  it("turns Telegram HTML into terminal text, links with their address", () => {
    expect(htmlToText(`<b>Омск</b> &amp; <a href="http://k.ru/?a=1&amp;b=2">kremlin</a>`)).toBe(
      "Омск & kremlin (http://k.ru/?a=1&b=2)",
    );
    expect(htmlToText(`<blockquote>a\nb</blockquote>`)).toBe("│ a\n│ b");
  });
});
