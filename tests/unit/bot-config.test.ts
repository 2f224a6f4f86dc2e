import { describe, expect, it } from "vitest";
import { createLogger, redact } from "../../src/bot/logger.ts";
import { ConfigError, loadConfig } from "../../src/config.ts";

const TOKEN = "123456789:AAHk2bQbZ0Ng-example_token_abcdefgh";

describe("loadConfig", () => {
  it("reads a valid environment with defaults", () => {
    const config = loadConfig({ BOT_TOKEN: TOKEN });
    expect(config).toMatchObject({
      botToken: TOKEN,
      apiRoot: "https://api.telegram.org",
      adminIds: [],
      logLevel: "info",
    });
    expect(config.dataDir.endsWith("/data")).toBe(true);
  });

  it("reads the optional settings", () => {
    const config = loadConfig({
      BOT_TOKEN: ` ${TOKEN} `,
      TELEGRAM_API_ROOT: "http://127.0.0.1:8081/",
      DATA_DIR: "/tmp/x",
      ADMIN_IDS: "1, 22,333",
      LOG_LEVEL: "DEBUG",
    });
    expect(config).toMatchObject({
      botToken: TOKEN,
      apiRoot: "http://127.0.0.1:8081",
      dataDir: "/tmp/x",
      adminIds: [1, 22, 333],
      logLevel: "debug",
    });
  });

  it.each([
    [{}, /BOT_TOKEN is not set.*npm run chat/],
    [{ BOT_TOKEN: "  " }, /BOT_TOKEN is not set/],
    [{ BOT_TOKEN: "hello" }, /BOT_TOKEN does not look like a bot token.*npm run chat/],
    [{ BOT_TOKEN: TOKEN, ADMIN_IDS: "1,bob" }, /ADMIN_IDS .*"bob"/],
    [{ BOT_TOKEN: TOKEN, LOG_LEVEL: "loud" }, /LOG_LEVEL must be one of/],
    [{ BOT_TOKEN: TOKEN, TELEGRAM_API_ROOT: "ftp://x" }, /TELEGRAM_API_ROOT/],
  ])("rejects %j with one clear line", (env, message) => {
    try {
      loadConfig(env);
      expect.unreachable();
    } catch (error) {
      expect(error).toBeInstanceOf(ConfigError);
      expect((error as Error).message).toMatch(message);
      expect((error as Error).message).not.toContain("\n");
    }
  });
});

describe("logger", () => {
  it("redacts the token and anything token-shaped, and respects the level", () => {
    const lines: string[] = [];
    const logger = createLogger({ level: "info", secrets: [TOKEN], write: (l) => lines.push(l) });
    logger.debug(`hidden ${TOKEN}`);
    logger.info(`calling https://api.telegram.org/bot${TOKEN}/getMe`);
    logger.error("failed", new Error(`fetch bot${TOKEN}/sendMessage`));
    expect(lines).toHaveLength(2);
    expect(lines.join("\n")).not.toContain(TOKEN);
    expect(lines.join("\n")).not.toContain("AAHk2bQbZ0Ng");
    expect(lines[0]).toContain("[redacted]");
    expect(redact("7:short")).toBe("7:short");
  });
});
