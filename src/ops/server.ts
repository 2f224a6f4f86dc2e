import http from "node:http";
import type { AddressInfo } from "node:net";
import type { Logger } from "../bot/logger.ts";
import { PROMETHEUS_CONTENT_TYPE } from "./metrics.ts";

export interface HealthReport {
  ok: boolean;
  /** One entry per check: "ok" or why not. */
  checks: Record<string, string>;
}

/** Handles a webhook POST (grammY's webhookCallback with the "http" adapter). */
export type WebhookHandler = (req: http.IncomingMessage, res: http.ServerResponse) => unknown;

export interface OpsServerOptions {
  /** 0: any free port (tests); the one chosen is `port` once listening. */
  port: number;
  /** Default: every interface (what a container needs). */
  host?: string;
  health: () => Promise<HealthReport>;
  metrics: () => string;
  logger: Logger;
}

export interface OpsServer {
  /** The port it listens on. */
  readonly port: number;
  /** http://host:port of the server as a client on this machine reaches it. */
  readonly url: string;
  /** Serves POST `path` with `handler` from now on (the bot is ready for updates). */
  setWebhook(path: string, handler: WebhookHandler): void;
  /** Webhook requests get 503 from now on (Telegram delivers them again later). */
  stopWebhook(): void;
  /** Stops listening and closes the connections (after the requests in flight have ended). */
  close(): Promise<void>;
}

/** A webhook body larger than this is no Telegram update. */
const MAX_WEBHOOK_BYTES = 1024 * 1024;

function send(
  res: http.ServerResponse,
  status: number,
  body: string,
  type = "text/plain; charset=utf-8",
): void {
  if (res.headersSent) {
    if (!res.writableEnded) res.end();
    return;
  }
  res.writeHead(status, { "Content-Type": type, "Cache-Control": "no-store" });
  res.end(body);
}

/**
 * The bot's one HTTP server, on PORT: `GET /healthz`, `GET /metrics` and, in webhook mode, the
 * webhook (POST on the path of WEBHOOK_URL). node:http only. It starts before the bot is ready
 * (/healthz says 503 until it is), and the webhook is attached once the bot can take updates.
 */
export async function startOpsServer(options: OpsServerOptions): Promise<OpsServer> {
  const { logger } = options;
  let webhook: { path: string; handler: WebhookHandler } | undefined;
  let webhookStopped = false;

  const server = http.createServer((req, res) => {
    const url = new URL(req.url ?? "/", "http://localhost");
    const path = url.pathname;
    const method = req.method ?? "GET";
    const route = async () => {
      if (path === "/healthz") {
        if (method !== "GET" && method !== "HEAD") return send(res, 405, "method not allowed\n");
        let report: HealthReport;
        try {
          report = await options.health();
        } catch (error) {
          report = { ok: false, checks: { health: (error as Error).message } };
        }
        return send(
          res,
          report.ok ? 200 : 503,
          `${JSON.stringify({ status: report.ok ? "ok" : "unavailable", checks: report.checks })}\n`,
          "application/json",
        );
      }
      if (path === "/metrics") {
        if (method !== "GET" && method !== "HEAD") return send(res, 405, "method not allowed\n");
        return send(res, 200, options.metrics(), PROMETHEUS_CONTENT_TYPE);
      }
      if (webhook && path === webhook.path) {
        if (method !== "POST") return send(res, 405, "method not allowed\n");
        if (webhookStopped) return send(res, 503, "stopping\n");
        if (Number(req.headers["content-length"] ?? 0) > MAX_WEBHOOK_BYTES) {
          return send(res, 413, "too large\n");
        }
        try {
          await webhook.handler(req, res);
        } catch (error) {
          // grammY rejects a body that is no JSON; the update's own errors never get here
          // (the bot hands them to its error handler and answers 200).
          logger.warn(`webhook: ${(error as Error).message}`);
          return send(res, 400, "bad request\n");
        }
        if (!res.writableEnded) send(res, 200, "");
        return;
      }
      send(res, 404, "not found\n");
    };
    route().catch((error: unknown) => {
      logger.error("http: request failed", error);
      send(res, 500, "internal error\n");
    });
  });
  // Telegram and load balancers keep connections open; do not let them hold the process.
  server.keepAliveTimeout = 30_000;

  await new Promise<void>((resolve, reject) => {
    const onError = (error: NodeJS.ErrnoException) => {
      reject(
        error.code === "EADDRINUSE"
          ? new Error(
              `port ${options.port} is in use: set PORT to a free port (0: any), or PORT=off to run without the health and metrics server`,
            )
          : error,
      );
    };
    server.once("error", onError);
    server.listen(options.port, options.host, () => {
      server.off("error", onError);
      resolve();
    });
  });
  server.on("error", (error) => logger.error("http server error", error));
  const address = server.address() as AddressInfo;
  const host =
    !options.host || options.host === "0.0.0.0" || options.host === "::"
      ? "127.0.0.1"
      : options.host;

  let closing: Promise<void> | undefined;
  return {
    port: address.port,
    url: `http://${host.includes(":") ? `[${host}]` : host}:${address.port}`,
    setWebhook(path, handler) {
      webhook = { path, handler };
      webhookStopped = false;
    },
    stopWebhook() {
      webhookStopped = true;
    },
    close() {
      closing ??= new Promise<void>((resolve) => {
        const force = setTimeout(() => server.closeAllConnections(), 2000);
        force.unref();
        server.close(() => {
          clearTimeout(force);
          resolve();
        });
        server.closeIdleConnections();
      });
      return closing;
    },
  };
}
