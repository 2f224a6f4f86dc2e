import type { ConversationFlavor } from "@grammyjs/conversations";
import type { Context } from "grammy";
import type { AnswerEngine } from "../answer/types.ts";
import type { Config } from "../config.ts";
import type { DigestService } from "../digest/service.ts";
import type { KnowledgeBase } from "../knowledge/load.ts";
import type { Lang } from "../knowledge/schema.ts";
import type { LangPref, Storage } from "../storage/types.ts";
import type { I18n, Translate } from "./i18n.ts";
import type { Logger } from "./logger.ts";

/** Per-update language state, set by the language middleware. */
export interface LangFlavor {
  /** Language of this update's replies. */
  lang: Lang;
  /** The user's /lang choice ("auto" until they choose). */
  langPref: LangPref;
  /** Translate in `ctx.lang`. */
  t: Translate;
  /** Switches this update's reply language (rebinding `t`). */
  useLang(lang: Lang): void;
}

/** Context of the outside middleware tree. */
export type BotContext = ConversationFlavor<Context & LangFlavor>;

/** Context inside conversations: a fresh one, without the outside flavors (pass the language in). */
export type ConvContext = Context;

/** What feature composers are built from. */
export interface BotDeps {
  kb: KnowledgeBase;
  engine: AnswerEngine;
  storage: Storage;
  i18n: I18n;
  logger: Logger;
  /** Digests (/subscribe, /mysubs, /unsubscribe); absent: those commands are off. */
  digests?: DigestService;
  /** ADMIN_IDS: who may use /stats and /digest_now. */
  adminIds?: readonly number[];
}

export type BotConfig = Pick<Config, "adminIds">;
