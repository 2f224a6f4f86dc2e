/**
 * Request-body decoding for the fake Bot API server: JSON (what grammY sends for ordinary calls),
 * application/x-www-form-urlencoded, multipart/form-data (grammY's file uploads) and query strings.
 */

export type Payload = Record<string, unknown>;

/** Placeholder stored in the payload in place of an uploaded file. */
export interface UploadedFile {
  uploaded: true;
  filename: string;
  size: number;
  contentType?: string;
}

export class BodyParseError extends Error {
  override name = "BodyParseError";
}

/** Keys whose values are always strings even when they look like numbers or booleans. */
const STRING_KEYS = new Set([
  "text",
  "caption",
  "query",
  "description",
  "short_description",
  "name",
  "title",
  "url",
  "callback_query_id",
  "inline_query_id",
  "inline_message_id",
  "emoji",
  "action",
  "parse_mode",
  "language_code",
  "secret_token",
  "next_offset",
  "callback_data",
  "data",
]);

/** Form values arrive as strings; coerce them the way the Bot API would interpret them. */
export function coerceFormValue(key: string, value: string): unknown {
  if (STRING_KEYS.has(key)) return value;
  const trimmed = value.trim();
  if (trimmed.startsWith("{") || trimmed.startsWith("[")) {
    try {
      return JSON.parse(trimmed);
    } catch {
      return value;
    }
  }
  if (/^-?\d{1,15}$/.test(trimmed)) return Number(trimmed);
  if (trimmed === "true") return true;
  if (trimmed === "false") return false;
  return value;
}

function fromEntries(entries: Iterable<[string, string]>): Payload {
  const out: Payload = {};
  for (const [k, v] of entries) out[k] = coerceFormValue(k, v);
  return out;
}

function parseMultipart(body: Buffer, boundary: string): Payload {
  const delimiter = Buffer.from(`--${boundary}`);
  const fields: Array<[string, string]> = [];
  const files = new Map<string, UploadedFile>();
  let pos = body.indexOf(delimiter);
  while (pos >= 0) {
    const start = pos + delimiter.length;
    if (body.subarray(start, start + 2).toString() === "--") break;
    const next = body.indexOf(delimiter, start);
    if (next < 0) break;
    let part = body.subarray(start, next);
    if (part.subarray(0, 2).toString() === "\r\n") part = part.subarray(2);
    if (part.subarray(-2).toString() === "\r\n") part = part.subarray(0, -2);
    const headerEnd = part.indexOf("\r\n\r\n");
    if (headerEnd >= 0) {
      const headers = part.subarray(0, headerEnd).toString("utf8");
      const content = part.subarray(headerEnd + 4);
      const name = /name="([^"]*)"/i.exec(headers)?.[1];
      const filename = /filename="?([^";\r\n]*)"?/i.exec(headers)?.[1];
      const contentType = /content-type:\s*([^\r\n;]+)/i.exec(headers)?.[1];
      if (name !== undefined) {
        if (filename !== undefined) {
          files.set(name, {
            uploaded: true,
            filename,
            size: content.length,
            ...(contentType ? { contentType } : {}),
          });
        } else {
          fields.push([name, content.toString("utf8")]);
        }
      }
    }
    pos = next;
  }
  const payload = fromEntries(fields);
  // Replace "attach://<id>" references (also nested, e.g. in media groups) by the file info.
  const resolve = (v: unknown): unknown => {
    if (typeof v === "string" && v.startsWith("attach://")) return files.get(v.slice(9)) ?? v;
    if (Array.isArray(v)) return v.map(resolve);
    if (v !== null && typeof v === "object") {
      return Object.fromEntries(Object.entries(v).map(([k, x]) => [k, resolve(x)]));
    }
    return v;
  };
  for (const [k, v] of Object.entries(payload)) payload[k] = resolve(v);
  return payload;
}

/** Decodes a request body (plus query-string parameters) into a payload object. */
export function parseBody(
  contentType: string | undefined,
  body: Buffer,
  query: URLSearchParams,
): Payload {
  const payload = fromEntries(query.entries());
  if (body.length === 0) return payload;
  const type = (contentType ?? "").toLowerCase();
  if (type.includes("application/json") || (type === "" && body[0] === 0x7b)) {
    let parsed: unknown;
    try {
      parsed = JSON.parse(body.toString("utf8"));
    } catch {
      throw new BodyParseError("Bad Request: can't parse JSON object");
    }
    if (parsed === null || typeof parsed !== "object" || Array.isArray(parsed)) {
      throw new BodyParseError("Bad Request: JSON object expected");
    }
    return { ...payload, ...(parsed as Payload) };
  }
  if (type.includes("application/x-www-form-urlencoded")) {
    return { ...payload, ...fromEntries(new URLSearchParams(body.toString("utf8")).entries()) };
  }
  if (type.includes("multipart/form-data")) {
    const boundary = /boundary=(?:"([^"]+)"|([^;]+))/i.exec(contentType ?? "");
    const b = boundary?.[1] ?? boundary?.[2];
    if (b === undefined) throw new BodyParseError("Bad Request: multipart boundary is missing");
    return { ...payload, ...parseMultipart(body, b.trim()) };
  }
  throw new BodyParseError(`Bad Request: unsupported content type ${contentType ?? ""}`);
}
