import { Api, type Transformer } from "grammy";
import type { I18n } from "../bot/i18n.ts";
import type { Logger } from "../bot/logger.ts";
import type { Config } from "../config.ts";
import type { KnowledgeBase } from "../knowledge/load.ts";
import type { Storage } from "../storage/types.ts";
import { parseDigestEnv } from "./config.ts";
import { openDigestStore } from "./open.ts";
import { DigestService } from "./service.ts";

/**
 * The bot process's digest service: its store on the bot's storage, a plain Api of its own
 * (429s and retries are the delivery path's, paced), and the knowledge base's items recorded
 * (new ones are "new material" from now on). Undefined, with a warning, for a storage without
 * digests.
 */
export async function createDigestService(
  config: Pick<Config, "botToken" | "apiRoot" | "digest">,
  deps: {
    storage: Storage;
    kb: KnowledgeBase;
    i18n: I18n;
    logger: Logger;
    /** Installed on the digest's Api (metrics of Bot API errors). */
    apiTransformers?: Transformer[];
  },
): Promise<DigestService | undefined> {
  const settings = config.digest ?? parseDigestEnv({});
  let store: Awaited<ReturnType<typeof openDigestStore>>;
  try {
    store = await openDigestStore(deps.storage);
  } catch (error) {
    deps.logger.warn(`digests are off: ${(error as Error).message}`);
    return undefined;
  }
  const api = new Api(config.botToken, { apiRoot: config.apiRoot, timeoutSeconds: 30 });
  for (const transformer of deps.apiTransformers ?? []) api.config.use(transformer);
  const service = new DigestService({
    store,
    api,
    kb: deps.kb,
    i18n: deps.i18n,
    timeZone: settings.timeZone,
    pacing: settings.pacing,
    logger: deps.logger,
  });
  const added = await service.sync();
  if (added > 0) deps.logger.debug(`digests: ${added} new item(s) in the knowledge base`);
  return service;
}
