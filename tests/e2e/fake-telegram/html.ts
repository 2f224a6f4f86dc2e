/**
 * Telegram-flavoured HTML parsing for the fake Bot API server.
 *
 * Mirrors the rules of TDLib's `parse_html` (the parser behind `parse_mode: "HTML"`) closely
 * enough for tests: supported tags, attribute syntax, `</>` closing the innermost tag, error
 * messages worded like Telegram's ("Unsupported start tag \"foo\" at byte offset 3", ...), and
 * entity offsets/lengths in UTF-16 code units.
 *
 * One deliberate difference: by default a bare `&` (or an unknown named entity such as `&nbsp;`)
 * is rejected, while real Telegram silently keeps it as literal text. Pass
 * `strictAmpersand: false` for Telegram's lenient behaviour.
 */

export interface ParsedEntity {
  type: string;
  offset: number;
  length: number;
  url?: string;
  language?: string;
  custom_emoji_id?: string;
  user?: { id: number; is_bot: boolean; first_name: string };
}

export interface FormattedText {
  text: string;
  entities: ParsedEntity[];
}

/** Thrown for markup Telegram would refuse; `message` is the part after "can't parse entities: ". */
export class EntityParseError extends Error {
  override name = "EntityParseError";
}

export interface HtmlOptions {
  /** Reject `&` that does not start `&lt;`, `&gt;`, `&amp;`, `&quot;` or a numeric entity. Default true. */
  strictAmpersand?: boolean;
}

const TAG_TYPES: Record<string, string> = {
  b: "bold",
  strong: "bold",
  i: "italic",
  em: "italic",
  u: "underline",
  ins: "underline",
  s: "strikethrough",
  strike: "strikethrough",
  del: "strikethrough",
  a: "text_link",
  code: "code",
  pre: "pre",
  "tg-spoiler": "spoiler",
  span: "spoiler",
  blockquote: "blockquote",
  "tg-emoji": "custom_emoji",
};

export const SUPPORTED_HTML_TAGS: readonly string[] = Object.keys(TAG_TYPES);

const NAMED_ENTITIES: Record<string, string> = { lt: "<", gt: ">", amp: "&", quot: '"' };

const isSpace = (c: string | undefined): boolean =>
  c === " " || c === "\t" || c === "\n" || c === "\r" || c === "\f" || c === "\v";

const byteOffset = (s: string, index: number): number => Buffer.byteLength(s.slice(0, index));

/** Length in UTF-16 code units, which is how Telegram measures text (4096 limit, entity offsets). */
export const utf16Length = (s: string): number => s.length;

interface EntityRead {
  value: string;
  next: number;
}

/** Reads an HTML entity starting at `input[i] === "&"`; returns undefined when it is not one. */
function readEntity(input: string, i: number): EntityRead | undefined {
  const rest = input.slice(i, i + 40);
  const numeric = /^&#(x[0-9a-fA-F]+|[0-9]+);?/.exec(rest);
  if (numeric?.[1] !== undefined) {
    const raw = numeric[1];
    const code = raw.startsWith("x") ? Number.parseInt(raw.slice(1), 16) : Number.parseInt(raw, 10);
    if (code >= 0xd800 && code <= 0xdfff) {
      throw new EntityParseError(
        "Text contains invalid Unicode characters after decoding HTML entities, check for unmatched surrogate code units",
      );
    }
    if (code > 0 && code <= 0x10ffff) {
      return { value: String.fromCodePoint(code), next: i + numeric[0].length };
    }
    return undefined;
  }
  const named = /^&([a-zA-Z]+);?/.exec(rest);
  const decoded = named?.[1] !== undefined ? NAMED_ENTITIES[named[1]] : undefined;
  if (named && decoded !== undefined) return { value: decoded, next: i + named[0].length };
  return undefined;
}

function decodeAttribute(raw: string): string {
  let out = "";
  for (let i = 0; i < raw.length; ) {
    if (raw[i] === "&") {
      const entity = readEntity(raw, i);
      if (entity) {
        out += entity.value;
        i = entity.next;
        continue;
      }
    }
    out += raw[i];
    i += 1;
  }
  return out;
}

interface OpenTag {
  tag: string;
  start: number;
  attrs: Record<string, string>;
  /** Set when a nested <code class="language-x"> turned this <pre> into a pre with language. */
  language?: string;
}

/** Parses Telegram HTML into plain text + entities, or throws EntityParseError. */
export function parseHtml(input: string, options: HtmlOptions = {}): FormattedText {
  const strictAmpersand = options.strictAmpersand ?? true;
  const n = input.length;
  const stack: OpenTag[] = [];
  const entities: ParsedEntity[] = [];
  let text = "";
  let i = 0;

  while (i < n) {
    const c = input[i] as string;
    if (c === "&") {
      const entity = readEntity(input, i);
      if (entity) {
        text += entity.value;
        i = entity.next;
        continue;
      }
      if (strictAmpersand) {
        throw new EntityParseError(
          `Unescaped "&" at byte offset ${byteOffset(input, i)}; write it as "&amp;" (strict mode of the fake server)`,
        );
      }
      text += c;
      i += 1;
      continue;
    }
    if (c !== "<") {
      text += c;
      i += 1;
      continue;
    }

    const tagStart = i;
    const at = byteOffset(input, tagStart);
    if (input[i + 1] === "/") {
      // End tag.
      let j = i + 2;
      while (j < n && !isSpace(input[j]) && input[j] !== ">") j += 1;
      const name = input.slice(i + 2, j).toLowerCase();
      while (j < n && isSpace(input[j])) j += 1;
      const open = stack.pop();
      if (open === undefined) throw new EntityParseError(`Unexpected end tag at byte offset ${at}`);
      if (j >= n || input[j] !== ">") {
        throw new EntityParseError(`Unclosed end tag at byte offset ${at}`);
      }
      if (name !== "" && name !== open.tag) {
        throw new EntityParseError(
          `Unmatched end tag at byte offset ${at}, expected "</${open.tag}>", found "</${name}>"`,
        );
      }
      closeTag(open, text.length, stack, entities);
      i = j + 1;
      continue;
    }

    // Start tag.
    let j = i + 1;
    while (j < n && !isSpace(input[j]) && input[j] !== ">") j += 1;
    if (j >= n) throw new EntityParseError(`Unclosed start tag at byte offset ${at}`);
    const name = input.slice(i + 1, j).toLowerCase();
    if (!(name in TAG_TYPES)) {
      throw new EntityParseError(`Unsupported start tag "${name}" at byte offset ${at}`);
    }
    const attrs: Record<string, string> = {};
    for (;;) {
      while (j < n && isSpace(input[j])) j += 1;
      if (j >= n) throw new EntityParseError(`Unclosed start tag "${name}" at byte offset ${at}`);
      if (input[j] === ">") {
        j += 1;
        break;
      }
      const attrStart = j;
      while (j < n && !isSpace(input[j]) && input[j] !== "=" && input[j] !== ">") j += 1;
      const attrName = input.slice(attrStart, j).toLowerCase();
      if (attrName === "") {
        throw new EntityParseError(
          `Empty attribute name in the tag "${name}" at byte offset ${at}`,
        );
      }
      while (j < n && isSpace(input[j])) j += 1;
      if (input[j] !== "=") {
        attrs[attrName] = "";
        continue;
      }
      j += 1;
      while (j < n && isSpace(input[j])) j += 1;
      if (j >= n) throw new EntityParseError(`Unclosed start tag "${name}" at byte offset ${at}`);
      const quote = input[j];
      if (quote === '"' || quote === "'") {
        const end = input.indexOf(quote, j + 1);
        if (end < 0) throw new EntityParseError(`Unclosed start tag at byte offset ${at}`);
        attrs[attrName] = decodeAttribute(input.slice(j + 1, end));
        j = end + 1;
      } else {
        const valueStart = j;
        while (j < n && /[A-Za-z0-9.-]/.test(input[j] as string)) j += 1;
        if (j >= n) {
          throw new EntityParseError(
            `Unexpected end of name token at byte offset ${byteOffset(input, valueStart)}`,
          );
        }
        attrs[attrName] = input.slice(valueStart, j);
      }
    }
    if (name === "span" && attrs.class !== "tg-spoiler") {
      throw new EntityParseError(`Tag "span" must have class "tg-spoiler" at byte offset ${at}`);
    }
    stack.push({ tag: name, start: text.length, attrs });
    i = j;
  }

  const unclosed = stack.at(-1);
  if (unclosed !== undefined) {
    throw new EntityParseError(`Can't find end tag corresponding to start tag "${unclosed.tag}"`);
  }
  return { text, entities: sortEntities(entities) };
}

function closeTag(open: OpenTag, end: number, stack: OpenTag[], out: ParsedEntity[]): void {
  const length = end - open.start;
  const type = TAG_TYPES[open.tag] as string;
  if (open.tag === "code") {
    const parent = stack.at(-1);
    const lang = /^language-(.+)$/.exec(open.attrs.class ?? "")?.[1];
    if (parent?.tag === "pre" && lang !== undefined && parent.start === open.start) {
      parent.language = lang;
      return;
    }
  }
  if (length <= 0) return;
  const base = { offset: open.start, length };
  switch (open.tag) {
    case "a": {
      const href = open.attrs.href;
      if (href === undefined || href === "") return;
      const userId = /^tg:\/\/user\?id=(\d+)$/.exec(href)?.[1];
      if (userId !== undefined) {
        out.push({
          type: "text_mention",
          ...base,
          user: { id: Number(userId), is_bot: false, first_name: "" },
        });
      } else {
        out.push({ type: "text_link", ...base, url: href });
      }
      return;
    }
    case "pre":
      out.push(
        open.language !== undefined
          ? { type: "pre", ...base, language: open.language }
          : { type: "pre", ...base },
      );
      return;
    case "blockquote":
      out.push({
        type: "expandable" in open.attrs ? "expandable_blockquote" : "blockquote",
        ...base,
      });
      return;
    case "tg-emoji":
      out.push({ type, ...base, custom_emoji_id: open.attrs["emoji-id"] ?? "" });
      return;
    default:
      out.push({ type, ...base });
  }
}

function sortEntities(entities: ParsedEntity[]): ParsedEntity[] {
  return entities.sort((a, b) => a.offset - b.offset || b.length - a.length);
}

/** Trims leading/trailing whitespace the way Telegram does, shifting entities accordingly. */
export function trimFormatted({ text, entities }: FormattedText): FormattedText {
  const trimmedStart = text.replace(/^\s+/, "");
  const lead = text.length - trimmedStart.length;
  const trimmed = trimmedStart.replace(/\s+$/, "");
  const out: ParsedEntity[] = [];
  for (const e of entities) {
    const start = Math.max(0, e.offset - lead);
    const end = Math.min(trimmed.length, e.offset - lead + e.length);
    if (end > start) out.push({ ...e, offset: start, length: end - start });
  }
  return { text: trimmed, entities: out };
}

export type ParseModeName = "HTML" | "MarkdownV2" | "Markdown";

export function normaliseParseMode(mode: unknown): ParseModeName | undefined | "invalid" {
  if (mode === undefined || mode === null || mode === "") return undefined;
  if (typeof mode !== "string") return "invalid";
  switch (mode.toLowerCase()) {
    case "html":
      return "HTML";
    case "markdownv2":
      return "MarkdownV2";
    case "markdown":
      return "Markdown";
    default:
      return "invalid";
  }
}

/**
 * Turns (text, parse_mode, explicit entities) into what Telegram would store.
 * HTML is parsed and validated; Markdown/MarkdownV2 are passed through unvalidated.
 */
export function formatText(
  raw: string,
  parseMode: ParseModeName | undefined,
  explicitEntities: unknown,
  options: HtmlOptions = {},
): FormattedText {
  const entities = Array.isArray(explicitEntities) ? (explicitEntities as ParsedEntity[]) : [];
  // As in the Bot API, explicit `entities` take precedence over `parse_mode`.
  if (parseMode === "HTML" && entities.length === 0) return trimFormatted(parseHtml(raw, options));
  return trimFormatted({ text: raw, entities: entities.map((e) => ({ ...e })) });
}
