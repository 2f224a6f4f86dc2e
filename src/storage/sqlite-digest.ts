import type Database from "better-sqlite3";
import type {
  DigestStats,
  DigestStore,
  EditionDraft,
  InsertEditionResult,
  NewSubscription,
  OutboxMessage,
  SubscriptionPatch,
} from "../digest/store.ts";
import type { Subscription } from "../digest/types.ts";
import type { Lang } from "../knowledge/schema.ts";
import { type SubscriptionRow, scopeColumns, toSubscription } from "./digest-rows.ts";
import type { Migration } from "./sqlite-migrations.ts";

type Db = Database.Database;

const WEEK_MS = 7 * 24 * 60 * 60 * 1000;

/**
 * Digest tables. Ids from 100 on, applied with the same `migrate` as the bot's own list.
 * Append only: never edit a migration that has shipped.
 */
export const SQLITE_DIGEST_MIGRATIONS: readonly Migration[] = [
  {
    id: 100,
    name: "digests: items, subscriptions, editions, outbox, delivery log, leases",
    sql: `
      CREATE TABLE kb_items (
        item_id       TEXT PRIMARY KEY,
        first_seen_at INTEGER NOT NULL
      );

      CREATE TABLE subscriptions (
        id                 INTEGER PRIMARY KEY AUTOINCREMENT,
        user_id            INTEGER NOT NULL,
        chat_id            INTEGER NOT NULL,
        lang               TEXT NOT NULL CHECK (lang IN ('kk', 'ru')),
        scope_kind         TEXT NOT NULL CHECK (scope_kind IN ('all', 'event', 'topics')),
        scope_value        TEXT NOT NULL DEFAULT '',
        cadence            TEXT NOT NULL CHECK (cadence IN ('new', 'weekly')),
        weekday            INTEGER CHECK (weekday BETWEEN 0 AND 6),
        hour               INTEGER CHECK (hour BETWEEN 0 AND 23),
        active             INTEGER NOT NULL DEFAULT 1,
        created_at         INTEGER NOT NULL,
        updated_at         INTEGER NOT NULL,
        last_slot_at       INTEGER,
        deactivated_at     INTEGER,
        deactivated_reason TEXT
      );
      CREATE INDEX subscriptions_chat ON subscriptions (chat_id, active);
      CREATE INDEX subscriptions_user ON subscriptions (user_id);
      CREATE INDEX subscriptions_active ON subscriptions (active);

      CREATE TABLE digest_editions (
        id              INTEGER PRIMARY KEY AUTOINCREMENT,
        subscription_id INTEGER NOT NULL,
        chat_id         INTEGER NOT NULL,
        kind            TEXT NOT NULL CHECK (kind IN ('first', 'new', 'weekly')),
        item_ids        TEXT NOT NULL,
        parts           INTEGER NOT NULL,
        status          TEXT NOT NULL DEFAULT 'pending'
                        CHECK (status IN ('pending', 'sent', 'failed', 'cancelled')),
        created_at      INTEGER NOT NULL,
        finished_at     INTEGER
      );
      CREATE INDEX digest_editions_chat ON digest_editions (chat_id, status);

      CREATE TABLE digest_outbox (
        id         INTEGER PRIMARY KEY AUTOINCREMENT,
        edition_id INTEGER NOT NULL REFERENCES digest_editions (id) ON DELETE CASCADE,
        chat_id    INTEGER NOT NULL,
        part       INTEGER NOT NULL,
        text       TEXT NOT NULL,
        status     TEXT NOT NULL DEFAULT 'pending'
                   CHECK (status IN ('pending', 'sent', 'failed', 'cancelled')),
        attempts   INTEGER NOT NULL DEFAULT 0,
        last_error TEXT,
        message_id INTEGER,
        created_at INTEGER NOT NULL,
        sent_at    INTEGER,
        UNIQUE (edition_id, part)
      );
      CREATE INDEX digest_outbox_pending ON digest_outbox (status, chat_id);
      CREATE INDEX digest_outbox_sent ON digest_outbox (sent_at);

      CREATE TABLE digest_delivery_log (
        chat_id         INTEGER NOT NULL,
        item_id         TEXT NOT NULL,
        user_id         INTEGER NOT NULL,
        subscription_id INTEGER NOT NULL,
        edition_id      INTEGER NOT NULL,
        queued_at       INTEGER NOT NULL,
        delivered_at    INTEGER,
        PRIMARY KEY (chat_id, item_id)
      );
      CREATE INDEX digest_delivery_log_edition ON digest_delivery_log (edition_id);

      CREATE TABLE digest_leases (
        chat_id    INTEGER PRIMARY KEY,
        owner      TEXT NOT NULL,
        expires_at INTEGER NOT NULL
      );
    `,
  },
];

/**
 * The digest store on the bot's SQLite database (the same better-sqlite3 handle as
 * SqliteStorage). Claims that must not interleave between processes run in BEGIN IMMEDIATE
 * transactions; the database's busy_timeout makes the other process wait for them.
 */
export class SqliteDigestStore implements DigestStore {
  private readonly s;

  /** `db` must have SQLITE_DIGEST_MIGRATIONS applied (`migrate(db, SQLITE_DIGEST_MIGRATIONS)`). */
  constructor(readonly db: Db) {
    this.s = {
      syncItem: db.prepare(
        "INSERT INTO kb_items (item_id, first_seen_at) VALUES (?, ?) ON CONFLICT (item_id) DO NOTHING",
      ),
      firstSeen: db.prepare("SELECT item_id, first_seen_at FROM kb_items"),
      insertSub: db.prepare(
        `INSERT INTO subscriptions (user_id, chat_id, lang, scope_kind, scope_value, cadence, weekday, hour,
                                    active, created_at, updated_at)
         VALUES (?, ?, ?, ?, ?, ?, ?, ?, 1, ?, ?)`,
      ),
      getSub: db.prepare("SELECT * FROM subscriptions WHERE id = ?"),
      chatSubs: db.prepare(
        "SELECT * FROM subscriptions WHERE chat_id = ? AND active = 1 ORDER BY id",
      ),
      chatSubsAll: db.prepare("SELECT * FROM subscriptions WHERE chat_id = ? ORDER BY id"),
      activeSubs: db.prepare("SELECT * FROM subscriptions WHERE active = 1 ORDER BY chat_id, id"),
      setLang: db.prepare("UPDATE subscriptions SET lang = ?, updated_at = ? WHERE id = ?"),
      setCadence: db.prepare(
        `UPDATE subscriptions SET cadence = ?, weekday = ?, hour = ?, last_slot_at = ?, updated_at = ?
          WHERE id = ?`,
      ),
      deactivate: db.prepare(
        `UPDATE subscriptions SET active = 0, deactivated_at = ?, deactivated_reason = ?, updated_at = ?
          WHERE id = ? AND active = 1`,
      ),
      deactivateChat: db.prepare(
        `UPDATE subscriptions SET active = 0, deactivated_at = ?, deactivated_reason = ?, updated_at = ?
          WHERE chat_id = ? AND active = 1`,
      ),
      markSlot: db.prepare(
        "UPDATE subscriptions SET last_slot_at = MAX(COALESCE(last_slot_at, 0), ?) WHERE id = ?",
      ),
      logged: db.prepare("SELECT item_id FROM digest_delivery_log WHERE chat_id = ?"),
      loggedOne: db.prepare("SELECT 1 FROM digest_delivery_log WHERE chat_id = ? AND item_id = ?"),
      insertEdition: db.prepare(
        `INSERT INTO digest_editions (subscription_id, chat_id, kind, item_ids, parts, created_at)
         VALUES (?, ?, ?, ?, ?, ?)`,
      ),
      insertOutbox: db.prepare(
        "INSERT INTO digest_outbox (edition_id, chat_id, part, text, created_at) VALUES (?, ?, ?, ?, ?)",
      ),
      insertLog: db.prepare(
        `INSERT INTO digest_delivery_log (chat_id, item_id, user_id, subscription_id, edition_id, queued_at)
         VALUES (?, ?, ?, ?, ?, ?)`,
      ),
      pendingChats: db.prepare(
        "SELECT DISTINCT chat_id FROM digest_outbox WHERE status = 'pending' ORDER BY chat_id",
      ),
      pendingOfChat: db.prepare(
        `SELECT o.id, o.edition_id, e.subscription_id, o.chat_id, o.part, e.parts, o.text, o.attempts
           FROM digest_outbox o JOIN digest_editions e ON e.id = o.edition_id
          WHERE o.chat_id = ? AND o.status = 'pending'
          ORDER BY o.edition_id, o.part`,
      ),
      markSent: db.prepare(
        `UPDATE digest_outbox SET status = 'sent', message_id = ?, sent_at = ?, attempts = attempts + 1
          WHERE id = ? AND status = 'pending'`,
      ),
      markAttempt: db.prepare(
        "UPDATE digest_outbox SET attempts = attempts + 1, last_error = ? WHERE id = ? AND status = 'pending'",
      ),
      markFailed: db.prepare(
        `UPDATE digest_outbox SET status = 'failed', attempts = attempts + 1, last_error = ?
          WHERE id = ? AND status = 'pending'`,
      ),
      editionOf: db.prepare("SELECT edition_id FROM digest_outbox WHERE id = ?"),
      editionLeft: db.prepare(
        `SELECT COALESCE(SUM(status = 'pending'), 0) AS pending, COALESCE(SUM(status = 'failed'), 0) AS failed
           FROM digest_outbox WHERE edition_id = ?`,
      ),
      finishEdition: db.prepare(
        "UPDATE digest_editions SET status = ?, finished_at = ? WHERE id = ? AND status = 'pending'",
      ),
      deliverLog: db.prepare(
        "UPDATE digest_delivery_log SET delivered_at = ? WHERE edition_id = ? AND delivered_at IS NULL",
      ),
      cancelOutbox: db.prepare(
        "UPDATE digest_outbox SET status = 'cancelled', last_error = ? WHERE chat_id = ? AND status = 'pending'",
      ),
      cancelEditions: db.prepare(
        `UPDATE digest_editions SET status = 'cancelled', finished_at = ?
          WHERE chat_id = ? AND status = 'pending'`,
      ),
      freeCancelled: db.prepare(
        `DELETE FROM digest_delivery_log
          WHERE chat_id = ? AND delivered_at IS NULL
            AND edition_id IN (SELECT id FROM digest_editions WHERE chat_id = ? AND status = 'cancelled')`,
      ),
      claimLease: db.prepare(
        `INSERT INTO digest_leases (chat_id, owner, expires_at) VALUES (?, ?, ?)
         ON CONFLICT (chat_id) DO UPDATE SET owner = excluded.owner, expires_at = excluded.expires_at
          WHERE digest_leases.owner = excluded.owner OR digest_leases.expires_at <= ?`,
      ),
      renewLease: db.prepare(
        "UPDATE digest_leases SET expires_at = ? WHERE chat_id = ? AND owner = ?",
      ),
      releaseLease: db.prepare("DELETE FROM digest_leases WHERE chat_id = ? AND owner = ?"),
    };
  }

  async syncItems(itemIds: readonly string[], now: number): Promise<number> {
    return this.db.transaction(() => {
      let added = 0;
      for (const id of itemIds) added += this.s.syncItem.run(id, now).changes;
      return added;
    })();
  }

  async itemsFirstSeen(): Promise<Map<string, number>> {
    const rows = this.s.firstSeen.all() as { item_id: string; first_seen_at: number }[];
    return new Map(rows.map((row) => [row.item_id, row.first_seen_at]));
  }

  async createSubscription(input: NewSubscription, now: number): Promise<Subscription> {
    const [kind, value] = scopeColumns(input.scope);
    const weekly = input.cadence.kind === "weekly" ? input.cadence : null;
    const result = this.s.insertSub.run(
      input.userId,
      input.chatId,
      input.lang,
      kind,
      value,
      input.cadence.kind,
      weekly?.day ?? null,
      weekly?.hour ?? null,
      now,
      now,
    );
    return toSubscription(this.s.getSub.get(Number(result.lastInsertRowid)) as SubscriptionRow);
  }

  async getSubscription(id: number): Promise<Subscription | null> {
    const row = this.s.getSub.get(id) as SubscriptionRow | undefined;
    return row ? toSubscription(row) : null;
  }

  async chatSubscriptions(
    chatId: number,
    options: { includeInactive?: boolean } = {},
  ): Promise<Subscription[]> {
    const statement = options.includeInactive ? this.s.chatSubsAll : this.s.chatSubs;
    return (statement.all(chatId) as SubscriptionRow[]).map(toSubscription);
  }

  async activeSubscriptions(): Promise<Subscription[]> {
    return (this.s.activeSubs.all() as SubscriptionRow[]).map(toSubscription);
  }

  async updateSubscription(
    id: number,
    patch: SubscriptionPatch,
    now: number,
  ): Promise<Subscription | null> {
    this.db.transaction(() => {
      if (patch.lang) this.s.setLang.run(patch.lang, now, id);
      if (patch.cadence) {
        const weekly = patch.cadence.kind === "weekly" ? patch.cadence : null;
        this.s.setCadence.run(
          patch.cadence.kind,
          weekly?.day ?? null,
          weekly?.hour ?? null,
          now,
          now,
          id,
        );
      }
    })();
    return this.getSubscription(id);
  }

  async deactivateSubscription(id: number, reason: string, now: number): Promise<boolean> {
    return this.s.deactivate.run(now, reason, now, id).changes === 1;
  }

  async deactivateChat(chatId: number, reason: string, now: number): Promise<number> {
    return this.db
      .transaction(() => {
        const changed = this.s.deactivateChat.run(now, reason, now, chatId).changes;
        this.s.cancelOutbox.run(reason, chatId);
        this.s.cancelEditions.run(now, chatId);
        this.s.freeCancelled.run(chatId, chatId);
        return changed;
      })
      .immediate();
  }

  async markSlot(subscriptionId: number, slotAt: number): Promise<void> {
    this.s.markSlot.run(slotAt, subscriptionId);
  }

  async loggedItems(chatId: number): Promise<Set<string>> {
    return new Set((this.s.logged.all(chatId) as { item_id: string }[]).map((row) => row.item_id));
  }

  async insertEdition(draft: EditionDraft, now: number): Promise<InsertEditionResult> {
    return this.db
      .transaction((): InsertEditionResult => {
        const already = draft.itemIds.filter((id) => this.s.loggedOne.get(draft.chatId, id));
        if (already.length > 0) return { inserted: false, alreadyLogged: already };
        const edition = Number(
          this.s.insertEdition.run(
            draft.subscriptionId,
            draft.chatId,
            draft.kind,
            JSON.stringify(draft.itemIds),
            draft.parts.length,
            now,
          ).lastInsertRowid,
        );
        draft.parts.forEach((text, part) => {
          this.s.insertOutbox.run(edition, draft.chatId, part, text, now);
        });
        for (const item of draft.itemIds) {
          this.s.insertLog.run(
            draft.chatId,
            item,
            draft.userId,
            draft.subscriptionId,
            edition,
            now,
          );
        }
        if (draft.slotAt !== null) this.s.markSlot.run(draft.slotAt, draft.subscriptionId);
        return { inserted: true, editionId: edition };
      })
      .immediate();
  }

  async chatsWithPendingMessages(): Promise<number[]> {
    return (this.s.pendingChats.all() as { chat_id: number }[]).map((row) => row.chat_id);
  }

  async pendingMessages(chatId: number): Promise<OutboxMessage[]> {
    const rows = this.s.pendingOfChat.all(chatId) as {
      id: number;
      edition_id: number;
      subscription_id: number;
      chat_id: number;
      part: number;
      parts: number;
      text: string;
      attempts: number;
    }[];
    return rows.map((row) => ({
      id: row.id,
      editionId: row.edition_id,
      subscriptionId: row.subscription_id,
      chatId: row.chat_id,
      part: row.part,
      parts: row.parts,
      text: row.text,
      attempts: row.attempts,
    }));
  }

  private finishIfDone(outboxId: number, now: number): void {
    const edition = (this.s.editionOf.get(outboxId) as { edition_id: number } | undefined)
      ?.edition_id;
    if (edition === undefined) return;
    const left = this.s.editionLeft.get(edition) as { pending: number; failed: number };
    if (left.pending > 0) return;
    this.s.finishEdition.run(left.failed > 0 ? "failed" : "sent", now, edition);
    this.s.deliverLog.run(now, edition);
  }

  async markSent(outboxId: number, messageId: number, now: number): Promise<void> {
    this.db.transaction(() => {
      this.s.markSent.run(messageId, now, outboxId);
      this.finishIfDone(outboxId, now);
    })();
  }

  async markAttempt(outboxId: number, error: string, _now: number): Promise<void> {
    this.s.markAttempt.run(error.slice(0, 500), outboxId);
  }

  async markFailed(outboxId: number, error: string, now: number): Promise<void> {
    this.db.transaction(() => {
      this.s.markFailed.run(error.slice(0, 500), outboxId);
      this.finishIfDone(outboxId, now);
    })();
  }

  async claimLease(chatId: number, owner: string, now: number, ttlMs: number): Promise<boolean> {
    return this.db
      .transaction(() => this.s.claimLease.run(chatId, owner, now + ttlMs, now).changes === 1)
      .immediate();
  }

  async renewLease(chatId: number, owner: string, now: number, ttlMs: number): Promise<boolean> {
    return this.s.renewLease.run(now + ttlMs, chatId, owner).changes === 1;
  }

  async releaseLease(chatId: number, owner: string): Promise<void> {
    this.s.releaseLease.run(chatId, owner);
  }

  async leases(): Promise<{ chatId: number; owner: string; expiresAt: number }[]> {
    const rows = this.db.prepare("SELECT chat_id, owner, expires_at FROM digest_leases").all() as {
      chat_id: number;
      owner: string;
      expires_at: number;
    }[];
    return rows.map((row) => ({
      chatId: row.chat_id,
      owner: row.owner,
      expiresAt: row.expires_at,
    }));
  }

  async forgetUser(userId: number): Promise<void> {
    this.db.transaction(() => {
      this.db.prepare("DELETE FROM digest_outbox WHERE chat_id = ?").run(userId);
      this.db.prepare("DELETE FROM digest_editions WHERE chat_id = ?").run(userId);
      this.db
        .prepare("DELETE FROM digest_delivery_log WHERE chat_id = ? OR user_id = ?")
        .run(userId, userId);
      this.db
        .prepare("DELETE FROM subscriptions WHERE user_id = ? OR chat_id = ?")
        .run(userId, userId);
      this.db.prepare("DELETE FROM digest_leases WHERE chat_id = ?").run(userId);
    })();
  }

  async stats(now: number): Promise<DigestStats> {
    const since = now - WEEK_MS;
    const subs = await this.activeSubscriptions();
    const byScope: DigestStats["byScope"] = { all: 0, event: {}, topics: {} };
    const byCadence = { new: 0, weekly: 0 };
    const byLang: Record<Lang, number> = { kk: 0, ru: 0 };
    for (const sub of subs) {
      if (sub.scope.kind === "all") byScope.all += 1;
      else if (sub.scope.kind === "event") {
        byScope.event[sub.scope.eventId] = (byScope.event[sub.scope.eventId] ?? 0) + 1;
      } else {
        for (const topic of sub.scope.topics)
          byScope.topics[topic] = (byScope.topics[topic] ?? 0) + 1;
      }
      byCadence[sub.cadence.kind] += 1;
      byLang[sub.lang] += 1;
    }
    const inactive = this.db
      .prepare(
        `SELECT COALESCE(SUM(deactivated_reason = 'unsubscribed'), 0) AS unsubscribed,
                COALESCE(SUM(deactivated_reason <> 'unsubscribed'), 0) AS unreachable
           FROM subscriptions WHERE active = 0`,
      )
      .get() as { unsubscribed: number; unreachable: number };
    const outbox = this.db
      .prepare(
        `SELECT COALESCE(SUM(status = 'sent'), 0) AS sent,
                COALESCE(SUM(status = 'sent' AND sent_at >= ?), 0) AS sent_week,
                COALESCE(SUM(status = 'pending'), 0) AS pending,
                COALESCE(SUM(status = 'pending' AND attempts > 0), 0) AS retrying,
                COALESCE(SUM(status = 'failed'), 0) AS failed,
                COALESCE(SUM(status = 'cancelled'), 0) AS cancelled
           FROM digest_outbox`,
      )
      .get(since) as {
      sent: number;
      sent_week: number;
      pending: number;
      retrying: number;
      failed: number;
      cancelled: number;
    };
    const items = this.db
      .prepare(
        `SELECT COUNT(delivered_at) AS delivered, COALESCE(SUM(delivered_at >= ?), 0) AS delivered_week
           FROM digest_delivery_log`,
      )
      .get(since) as { delivered: number; delivered_week: number };
    return {
      activeSubscriptions: subs.length,
      subscribers: new Set(subs.map((sub) => sub.chatId)).size,
      byScope,
      byCadence,
      byLang,
      deactivated: inactive,
      messagesSent: outbox.sent,
      messagesSentWeek: outbox.sent_week,
      itemsDelivered: items.delivered,
      itemsDeliveredWeek: items.delivered_week,
      pending: outbox.pending,
      retrying: outbox.retrying,
      failed: outbox.failed,
      cancelled: outbox.cancelled,
    };
  }
}
