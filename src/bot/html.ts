import { escapeHtml } from "../answer/render.ts";

export { escapeHtml };

/** Telegram's limit on a message's text, in UTF-16 code units. */
export const TELEGRAM_TEXT_LIMIT = 4096;

interface OpenTag {
  name: string;
  raw: string;
}

const TAG = /<\/?([a-zA-Z][\w-]*)[^>]*>/g;

/** Tags left open at the end of `html`, starting from those already open before it. */
function openTagsAfter(open: readonly OpenTag[], html: string): OpenTag[] {
  const stack = [...open];
  for (const match of html.matchAll(TAG)) {
    const raw = match[0];
    const name = (match[1] ?? "").toLowerCase();
    if (raw.startsWith("</")) {
      const at = stack.map((tag) => tag.name).lastIndexOf(name);
      if (at >= 0) stack.length = at;
    } else {
      stack.push({ name, raw });
    }
  }
  return stack;
}

const closeAll = (stack: readonly OpenTag[]) =>
  [...stack]
    .reverse()
    .map((tag) => `</${tag.name}>`)
    .join("");

/**
 * Positions where `html` may be cut: not inside a tag, an entity or a surrogate pair.
 * safe[i] tells whether a cut before index i is allowed.
 */
function safeCuts(html: string, end: number): boolean[] {
  const safe = new Array<boolean>(end + 1).fill(true);
  let i = 0;
  while (i < end) {
    const c = html[i];
    if (c === "<") {
      const close = html.indexOf(">", i);
      const stop = close < 0 ? html.length : close + 1;
      for (let k = i + 1; k < stop && k <= end; k++) safe[k] = false;
      i = stop;
    } else if (c === "&") {
      const entity = /^&(?:#x[0-9a-fA-F]+|#\d+|[a-zA-Z]+);/.exec(html.slice(i, i + 12));
      const stop = i + (entity ? entity[0].length : 1);
      for (let k = i + 1; k < stop && k <= end; k++) safe[k] = false;
      i = stop;
    } else {
      const code = html.charCodeAt(i);
      if (code >= 0xd800 && code <= 0xdbff && i + 1 <= end) safe[i + 1] = false;
      i += 1;
    }
  }
  return safe;
}

/** Where to cut `html` so that the first part is at most `budget` long: a paragraph, line or word end. */
function findCut(html: string, budget: number): number {
  const end = Math.min(budget, html.length);
  const safe = safeCuts(html, end);
  const half = Math.floor(end / 2);
  for (const separator of ["\n\n", "\n", " "]) {
    let at = html.lastIndexOf(separator, end - separator.length);
    while (at > 0 && !safe[at]) at = html.lastIndexOf(separator, at - 1);
    if (at >= half) return at + separator.length;
  }
  for (const separator of ["\n", " "]) {
    let at = html.lastIndexOf(separator, end - separator.length);
    while (at > 0 && !safe[at]) at = html.lastIndexOf(separator, at - 1);
    if (at > 0) return at + separator.length;
  }
  let cut = end;
  while (cut > 1 && !safe[cut]) cut -= 1;
  return Math.max(cut, 1);
}

/**
 * Splits Telegram HTML into messages of at most `limit` characters, at paragraph, then line,
 * then word boundaries, never inside a tag or an entity. Tags open at a cut are closed at the
 * end of one part and opened again at the start of the next.
 */
export function splitHtml(html: string, limit: number = TELEGRAM_TEXT_LIMIT): string[] {
  const text = html.trim();
  if (text.length <= limit) return text === "" ? [] : [text];
  const parts: string[] = [];
  let open: OpenTag[] = [];
  let rest = text;
  while (rest.length > 0) {
    const prefix = open.map((tag) => tag.raw).join("");
    const whole = prefix + rest;
    if (whole.length + closeAll(openTagsAfter(open, rest)).length <= limit) {
      parts.push(whole);
      break;
    }
    let budget = limit - prefix.length - closeAll(open).length - 16;
    if (budget < 64) {
      // Too deeply nested to carry the tags over: drop them for the rest of the message.
      open = [];
      continue;
    }
    for (;;) {
      const cut = findCut(rest, budget);
      const piece = rest.slice(0, cut).trimEnd();
      const after = openTagsAfter(open, piece);
      const message = prefix + piece + closeAll(after);
      if (message.length <= limit || budget <= 1) {
        if (piece.replace(/<[^>]*>/g, "").trim() !== "") parts.push(message);
        open = after;
        rest = rest.slice(cut).replace(/^\s+/, "");
        break;
      }
      budget -= message.length - limit;
    }
  }
  return parts;
}

const NAMED: Record<string, string> = { lt: "<", gt: ">", amp: "&", quot: '"' };

export function decodeEntities(text: string): string {
  return text.replace(/&(#x[0-9a-fA-F]+|#\d+|lt|gt|amp|quot);/g, (whole, name: string) => {
    if (name.startsWith("#x")) return String.fromCodePoint(Number.parseInt(name.slice(2), 16));
    if (name.startsWith("#")) return String.fromCodePoint(Number.parseInt(name.slice(1), 10));
    return NAMED[name] ?? whole;
  });
}

/** Telegram HTML to terminal text: links keep their address, quotes are marked, tags dropped. */
export function htmlToText(html: string): string {
  return decodeEntities(
    html
      .replace(/<a\s+href="([^"]*)"\s*>([\s\S]*?)<\/a>/gi, (_, href: string, label: string) => {
        const url = decodeEntities(href);
        const text = decodeEntities(label.replace(/<[^>]*>/g, ""));
        return escapeHtml(text === url ? url : `${text} (${url})`);
      })
      .replace(/<blockquote[^>]*>([\s\S]*?)<\/blockquote>/gi, (_, body: string) =>
        body
          .split("\n")
          .map((line) => `│ ${line}`)
          .join("\n"),
      )
      .replace(/<[^>]*>/g, ""),
  );
}
