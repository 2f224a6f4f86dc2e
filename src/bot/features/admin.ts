import { Composer } from "grammy";
import type { DeliveryReport } from "../../digest/deliver.ts";
import type { DigestService } from "../../digest/service.ts";
import type { DigestStats } from "../../digest/store.ts";
import type { KnowledgeBase } from "../../knowledge/load.ts";
import type { Lang } from "../../knowledge/schema.ts";
import type { Storage, StorageStats } from "../../storage/types.ts";
import type { BotContext } from "../context.ts";
import { escapeHtml } from "../html.ts";
import type { Translate } from "../i18n.ts";

export interface AdminDeps {
  adminIds: readonly number[];
  storage: Storage;
  kb: KnowledgeBase;
  digest: DigestService;
  logger?: { error(message: string, extra?: unknown): void };
}

export function statsText(
  kb: KnowledgeBase,
  storage: StorageStats,
  digest: DigestStats,
  lang: Lang,
  t: Translate,
): string {
  const events = Object.entries(digest.byScope.event)
    .map(([id, n]) => `${kb.eventsById.get(id)?.name[lang] ?? id}: ${n}`)
    .join("; ");
  const topics = Object.entries(digest.byScope.topics)
    .sort((a, b) => b[1] - a[1])
    .map(([topic, n]) => `${t(`subscribe.topic_${topic}`)}: ${n}`)
    .join("; ");
  const lines = [
    `<b>${escapeHtml(t("admin.stats_title"))}</b>`,
    t("admin.users", { count: storage.users }),
    t("admin.questions_week", {
      answered: storage.answeredLastWeek,
      declined: storage.declinedLastWeek,
    }),
    t("admin.subscribers", { chats: digest.subscribers, subs: digest.activeSubscriptions }),
    t("admin.by_scope", {
      all: digest.byScope.all,
      events: Object.values(digest.byScope.event).reduce((a, b) => a + b, 0),
      topics: Object.keys(digest.byScope.topics).length > 0 ? topics : "0",
    }),
    ...(events ? [t("admin.by_event", { events })] : []),
    t("admin.by_cadence", { new: digest.byCadence.new, weekly: digest.byCadence.weekly }),
    t("admin.deliveries", {
      week: digest.messagesSentWeek,
      total: digest.messagesSent,
      items: digest.itemsDeliveredWeek,
    }),
    t("admin.failures", {
      retrying: digest.retrying,
      pending: digest.pending,
      failed: digest.failed,
      unreachable: digest.deactivated.unreachable,
      unsubscribed: digest.deactivated.unsubscribed,
    }),
  ];
  return lines.map((line, index) => (index === 0 ? line : escapeHtml(line))).join("\n");
}

export function reportText(report: DeliveryReport, t: Translate): string {
  return t("admin.digest_done", {
    sent: report.messagesSent,
    editions: report.editions,
    chats: report.chats,
    deactivated: report.deactivatedChats,
    later: report.retryLater,
    locked: report.lockedChats,
    failed: report.failed,
    seconds: (report.durationMs / 1000).toFixed(1),
  });
}

/**
 * /stats and /digest_now for ADMIN_IDS. For anyone else the commands fall through to the
 * usual handling (the "unknown command" reply), as if they did not exist.
 */
export function adminFeature(deps: AdminDeps): Composer<BotContext> {
  const composer = new Composer<BotContext>();
  const admins = composer.filter(
    (ctx) => ctx.from !== undefined && deps.adminIds.includes(ctx.from.id),
  );

  admins.command("stats", async (ctx) => {
    const now = Date.now();
    const [storage, digest] = await Promise.all([
      deps.storage.stats(new Date(now)),
      deps.digest.store.stats(now),
    ]);
    await ctx.reply(statsText(deps.kb, storage, digest, ctx.lang, ctx.t), { parse_mode: "HTML" });
  });

  // The run may take minutes (30 messages a second): it goes on in the background and the
  // report follows when it ends, so that the admin's chat is not held up meanwhile.
  admins.command("digest_now", async (ctx) => {
    await ctx.reply(ctx.t("admin.digest_started"));
    const chatId = ctx.chat.id;
    const t = ctx.t;
    const api = ctx.api;
    void deps.digest
      .deliverDue()
      .then((report) => api.sendMessage(chatId, reportText(report, t)))
      .catch((error: unknown) => {
        deps.logger?.error("digest_now failed", error);
        return api.sendMessage(chatId, t("admin.digest_failed")).catch(() => {});
      });
  });

  return composer;
}
