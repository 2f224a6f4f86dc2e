import type pg from "pg";
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
import type { Migration } from "./postgres-migrations.ts";
import { inTransaction, type Queryable } from "./postgres-transaction.ts";

const WEEK_MS = 7 * 24 * 60 * 60 * 1000;

/**
 * Digest tables on PostgreSQL, ids from 100 on (applied with migratePostgres, like the bot's
 * own list). Same tables and meaning as SQLITE_DIGEST_MIGRATIONS; Telegram ids are BIGINT and
 * times epoch milliseconds (BIGINT), as the DigestStore interface speaks them.
 */
export const POSTGRES_DIGEST_MIGRATIONS: readonly Migration[] = [
  {
    id: 100,
    name: "digests: items, subscriptions, editions, outbox, delivery log, leases",
    sql: `
      CREATE TABLE kb_items (
        item_id       TEXT PRIMARY KEY,
        first_seen_at BIGINT NOT NULL
      );

      CREATE TABLE subscriptions (
        id                 BIGSERIAL PRIMARY KEY,
        user_id            BIGINT NOT NULL,
        chat_id            BIGINT NOT NULL,
        lang               TEXT NOT NULL CHECK (lang IN ('kk', 'ru')),
        scope_kind         TEXT NOT NULL CHECK (scope_kind IN ('all', 'event', 'topics')),
        scope_value        TEXT NOT NULL DEFAULT '',
        cadence            TEXT NOT NULL CHECK (cadence IN ('new', 'weekly')),
        weekday            INTEGER CHECK (weekday BETWEEN 0 AND 6),
        hour               INTEGER CHECK (hour BETWEEN 0 AND 23),
        active             BOOLEAN NOT NULL DEFAULT TRUE,
        created_at         BIGINT NOT NULL,
        updated_at         BIGINT NOT NULL,
        last_slot_at       BIGINT,
        deactivated_at     BIGINT,
        deactivated_reason TEXT
      );
      CREATE INDEX subscriptions_chat ON subscriptions (chat_id, active);
      CREATE INDEX subscriptions_user ON subscriptions (user_id);
      CREATE INDEX subscriptions_active ON subscriptions (active);

      CREATE TABLE digest_editions (
        id              BIGSERIAL PRIMARY KEY,
        subscription_id BIGINT NOT NULL,
        chat_id         BIGINT NOT NULL,
        kind            TEXT NOT NULL CHECK (kind IN ('first', 'new', 'weekly')),
        item_ids        TEXT[] NOT NULL,
        parts           INTEGER NOT NULL,
        status          TEXT NOT NULL DEFAULT 'pending'
                        CHECK (status IN ('pending', 'sent', 'failed', 'cancelled')),
        created_at      BIGINT NOT NULL,
        finished_at     BIGINT
      );
      CREATE INDEX digest_editions_chat ON digest_editions (chat_id, status);

      CREATE TABLE digest_outbox (
        id         BIGSERIAL PRIMARY KEY,
        edition_id BIGINT NOT NULL REFERENCES digest_editions (id) ON DELETE CASCADE,
        chat_id    BIGINT NOT NULL,
        part       INTEGER NOT NULL,
        text       TEXT NOT NULL,
        status     TEXT NOT NULL DEFAULT 'pending'
                   CHECK (status IN ('pending', 'sent', 'failed', 'cancelled')),
        attempts   INTEGER NOT NULL DEFAULT 0,
        last_error TEXT,
        message_id BIGINT,
        created_at BIGINT NOT NULL,
        sent_at    BIGINT,
        UNIQUE (edition_id, part)
      );
      CREATE INDEX digest_outbox_pending ON digest_outbox (status, chat_id);
      CREATE INDEX digest_outbox_sent ON digest_outbox (sent_at);

      CREATE TABLE digest_delivery_log (
        chat_id         BIGINT NOT NULL,
        item_id         TEXT NOT NULL,
        user_id         BIGINT NOT NULL,
        subscription_id BIGINT NOT NULL,
        edition_id      BIGINT NOT NULL,
        queued_at       BIGINT NOT NULL,
        delivered_at    BIGINT,
        PRIMARY KEY (chat_id, item_id)
      );
      CREATE INDEX digest_delivery_log_edition ON digest_delivery_log (edition_id);

      CREATE TABLE digest_leases (
        chat_id    BIGINT PRIMARY KEY,
        owner      TEXT NOT NULL,
        expires_at BIGINT NOT NULL
      );
    `,
  },
];

type Num = string | number;
const int = (value: Num): number => Number(value);

/**
 * The digest store on PostgreSQL, for several bot instances sharing one database. Claims are
 * single conditional statements (INSERT … ON CONFLICT … WHERE) or transactions whose
 * uniqueness the delivery log's primary key enforces.
 */
export class PostgresDigestStore implements DigestStore {
  /** `pool` must have POSTGRES_DIGEST_MIGRATIONS applied (migratePostgres). */
  constructor(readonly pool: pg.Pool) {}

  private transaction<T>(body: (client: Queryable) => Promise<T>): Promise<T> {
    return inTransaction(this.pool, body);
  }

  async syncItems(itemIds: readonly string[], now: number): Promise<number> {
    const result = await this.pool.query(
      `INSERT INTO kb_items (item_id, first_seen_at) SELECT unnest($1::text[]), $2
       ON CONFLICT (item_id) DO NOTHING`,
      [[...itemIds], now],
    );
    return result.rowCount ?? 0;
  }

  async itemsFirstSeen(): Promise<Map<string, number>> {
    const { rows } = await this.pool.query<{ item_id: string; first_seen_at: Num }>(
      "SELECT item_id, first_seen_at FROM kb_items",
    );
    return new Map(rows.map((row) => [row.item_id, int(row.first_seen_at)]));
  }

  async createSubscription(input: NewSubscription, now: number): Promise<Subscription> {
    const [kind, value] = scopeColumns(input.scope);
    const weekly = input.cadence.kind === "weekly" ? input.cadence : null;
    const { rows } = await this.pool.query<SubscriptionRow>(
      `INSERT INTO subscriptions (user_id, chat_id, lang, scope_kind, scope_value, cadence, weekday, hour,
                                  created_at, updated_at)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $9) RETURNING *`,
      [
        input.userId,
        input.chatId,
        input.lang,
        kind,
        value,
        input.cadence.kind,
        weekly?.day ?? null,
        weekly?.hour ?? null,
        now,
      ],
    );
    return toSubscription(rows[0] as SubscriptionRow);
  }

  async getSubscription(id: number): Promise<Subscription | null> {
    if (!Number.isSafeInteger(id)) return null;
    const { rows } = await this.pool.query<SubscriptionRow>(
      "SELECT * FROM subscriptions WHERE id = $1",
      [id],
    );
    return rows[0] ? toSubscription(rows[0]) : null;
  }

  async chatSubscriptions(
    chatId: number,
    options: { includeInactive?: boolean } = {},
  ): Promise<Subscription[]> {
    const { rows } = await this.pool.query<SubscriptionRow>(
      `SELECT * FROM subscriptions WHERE chat_id = $1 ${options.includeInactive ? "" : "AND active"} ORDER BY id`,
      [chatId],
    );
    return rows.map(toSubscription);
  }

  async activeSubscriptions(): Promise<Subscription[]> {
    const { rows } = await this.pool.query<SubscriptionRow>(
      "SELECT * FROM subscriptions WHERE active ORDER BY chat_id, id",
    );
    return rows.map(toSubscription);
  }

  async updateSubscription(
    id: number,
    patch: SubscriptionPatch,
    now: number,
  ): Promise<Subscription | null> {
    await this.transaction(async (client) => {
      if (patch.lang) {
        await client.query("UPDATE subscriptions SET lang = $1, updated_at = $2 WHERE id = $3", [
          patch.lang,
          now,
          id,
        ]);
      }
      if (patch.cadence) {
        const weekly = patch.cadence.kind === "weekly" ? patch.cadence : null;
        await client.query(
          `UPDATE subscriptions SET cadence = $1, weekday = $2, hour = $3, last_slot_at = $4, updated_at = $4
            WHERE id = $5`,
          [patch.cadence.kind, weekly?.day ?? null, weekly?.hour ?? null, now, id],
        );
      }
    });
    return this.getSubscription(id);
  }

  async deactivateSubscription(id: number, reason: string, now: number): Promise<boolean> {
    const result = await this.pool.query(
      `UPDATE subscriptions SET active = FALSE, deactivated_at = $1, deactivated_reason = $2, updated_at = $1
        WHERE id = $3 AND active`,
      [now, reason, id],
    );
    return result.rowCount === 1;
  }

  async deactivateChat(chatId: number, reason: string, now: number): Promise<number> {
    return this.transaction(async (client) => {
      const changed = await client.query(
        `UPDATE subscriptions SET active = FALSE, deactivated_at = $1, deactivated_reason = $2, updated_at = $1
          WHERE chat_id = $3 AND active`,
        [now, reason, chatId],
      );
      await client.query(
        "UPDATE digest_outbox SET status = 'cancelled', last_error = $1 WHERE chat_id = $2 AND status = 'pending'",
        [reason, chatId],
      );
      await client.query(
        "UPDATE digest_editions SET status = 'cancelled', finished_at = $1 WHERE chat_id = $2 AND status = 'pending'",
        [now, chatId],
      );
      await client.query(
        `DELETE FROM digest_delivery_log
          WHERE chat_id = $1 AND delivered_at IS NULL
            AND edition_id IN (SELECT id FROM digest_editions WHERE chat_id = $1 AND status = 'cancelled')`,
        [chatId],
      );
      return changed.rowCount ?? 0;
    });
  }

  async markSlot(subscriptionId: number, slotAt: number): Promise<void> {
    await this.pool.query(
      "UPDATE subscriptions SET last_slot_at = GREATEST(COALESCE(last_slot_at, 0), $1) WHERE id = $2",
      [slotAt, subscriptionId],
    );
  }

  async loggedItems(chatId: number): Promise<Set<string>> {
    const { rows } = await this.pool.query<{ item_id: string }>(
      "SELECT item_id FROM digest_delivery_log WHERE chat_id = $1",
      [chatId],
    );
    return new Set(rows.map((row) => row.item_id));
  }

  async insertEdition(draft: EditionDraft, now: number): Promise<InsertEditionResult> {
    const conflict = Symbol("conflict");
    try {
      return await this.transaction(async (client): Promise<InsertEditionResult> => {
        const edition = await client.query<{ id: Num }>(
          `INSERT INTO digest_editions (subscription_id, chat_id, kind, item_ids, parts, created_at)
           VALUES ($1, $2, $3, $4, $5, $6) RETURNING id`,
          [draft.subscriptionId, draft.chatId, draft.kind, draft.itemIds, draft.parts.length, now],
        );
        const editionId = int(edition.rows[0]?.id ?? Number.NaN);
        // The log's primary key is the guard: a concurrent edition with one of these items
        // makes this insert skip rows (or wait for the other transaction, then skip them).
        const logged = await client.query(
          `INSERT INTO digest_delivery_log (chat_id, item_id, user_id, subscription_id, edition_id, queued_at)
           SELECT $1, unnest($2::text[]), $3, $4, $5, $6
           ON CONFLICT (chat_id, item_id) DO NOTHING`,
          [draft.chatId, draft.itemIds, draft.userId, draft.subscriptionId, editionId, now],
        );
        if ((logged.rowCount ?? 0) !== draft.itemIds.length) throw conflict;
        await client.query(
          `INSERT INTO digest_outbox (edition_id, chat_id, part, text, created_at)
           SELECT $1, $2, p.ord - 1, p.text, $4 FROM unnest($3::text[]) WITH ORDINALITY AS p(text, ord)`,
          [
            editionId,
            draft.chatId,
            draft.parts.map((part) => part.replaceAll("\u0000", "\uFFFD")),
            now,
          ],
        );
        if (draft.slotAt !== null) {
          await client.query(
            "UPDATE subscriptions SET last_slot_at = GREATEST(COALESCE(last_slot_at, 0), $1) WHERE id = $2",
            [draft.slotAt, draft.subscriptionId],
          );
        }
        return { inserted: true, editionId };
      });
    } catch (error) {
      if (error !== conflict) throw error;
      const logged = await this.loggedItems(draft.chatId);
      return { inserted: false, alreadyLogged: draft.itemIds.filter((id) => logged.has(id)) };
    }
  }

  async chatsWithPendingMessages(): Promise<number[]> {
    const { rows } = await this.pool.query<{ chat_id: Num }>(
      "SELECT DISTINCT chat_id FROM digest_outbox WHERE status = 'pending' ORDER BY chat_id",
    );
    return rows.map((row) => int(row.chat_id));
  }

  async pendingMessages(chatId: number): Promise<OutboxMessage[]> {
    const { rows } = await this.pool.query<{
      id: Num;
      edition_id: Num;
      subscription_id: Num;
      chat_id: Num;
      part: number;
      parts: number;
      text: string;
      attempts: number;
    }>(
      `SELECT o.id, o.edition_id, e.subscription_id, o.chat_id, o.part, e.parts, o.text, o.attempts
         FROM digest_outbox o JOIN digest_editions e ON e.id = o.edition_id
        WHERE o.chat_id = $1 AND o.status = 'pending'
        ORDER BY o.edition_id, o.part`,
      [chatId],
    );
    return rows.map((row) => ({
      id: int(row.id),
      editionId: int(row.edition_id),
      subscriptionId: int(row.subscription_id),
      chatId: int(row.chat_id),
      part: row.part,
      parts: row.parts,
      text: row.text,
      attempts: row.attempts,
    }));
  }

  private async finishIfDone(client: Queryable, outboxId: number, now: number): Promise<void> {
    const { rows } = await client.query<{ edition_id: Num; pending: Num; failed: Num }>(
      `SELECT o.edition_id,
              (SELECT COUNT(*) FROM digest_outbox x WHERE x.edition_id = o.edition_id AND x.status = 'pending') AS pending,
              (SELECT COUNT(*) FROM digest_outbox x WHERE x.edition_id = o.edition_id AND x.status = 'failed') AS failed
         FROM digest_outbox o WHERE o.id = $1`,
      [outboxId],
    );
    const row = rows[0];
    if (!row || int(row.pending) > 0) return;
    await client.query(
      "UPDATE digest_editions SET status = $1, finished_at = $2 WHERE id = $3 AND status = 'pending'",
      [int(row.failed) > 0 ? "failed" : "sent", now, row.edition_id],
    );
    await client.query(
      "UPDATE digest_delivery_log SET delivered_at = $1 WHERE edition_id = $2 AND delivered_at IS NULL",
      [now, row.edition_id],
    );
  }

  async markSent(outboxId: number, messageId: number, now: number): Promise<void> {
    await this.transaction(async (client) => {
      await client.query(
        `UPDATE digest_outbox SET status = 'sent', message_id = $1, sent_at = $2, attempts = attempts + 1
          WHERE id = $3 AND status = 'pending'`,
        [messageId, now, outboxId],
      );
      await this.finishIfDone(client, outboxId, now);
    });
  }

  async markAttempt(outboxId: number, error: string, _now: number): Promise<void> {
    await this.pool.query(
      "UPDATE digest_outbox SET attempts = attempts + 1, last_error = $1 WHERE id = $2 AND status = 'pending'",
      [error.slice(0, 500), outboxId],
    );
  }

  async markFailed(outboxId: number, error: string, now: number): Promise<void> {
    await this.transaction(async (client) => {
      await client.query(
        `UPDATE digest_outbox SET status = 'failed', attempts = attempts + 1, last_error = $1
          WHERE id = $2 AND status = 'pending'`,
        [error.slice(0, 500), outboxId],
      );
      await this.finishIfDone(client, outboxId, now);
    });
  }

  async claimLease(chatId: number, owner: string, now: number, ttlMs: number): Promise<boolean> {
    const result = await this.pool.query(
      `INSERT INTO digest_leases (chat_id, owner, expires_at) VALUES ($1, $2, $3)
       ON CONFLICT (chat_id) DO UPDATE SET owner = excluded.owner, expires_at = excluded.expires_at
        WHERE digest_leases.owner = excluded.owner OR digest_leases.expires_at <= $4`,
      [chatId, owner, now + ttlMs, now],
    );
    return result.rowCount === 1;
  }

  async renewLease(chatId: number, owner: string, now: number, ttlMs: number): Promise<boolean> {
    const result = await this.pool.query(
      "UPDATE digest_leases SET expires_at = $1 WHERE chat_id = $2 AND owner = $3",
      [now + ttlMs, chatId, owner],
    );
    return result.rowCount === 1;
  }

  async releaseLease(chatId: number, owner: string): Promise<void> {
    await this.pool.query("DELETE FROM digest_leases WHERE chat_id = $1 AND owner = $2", [
      chatId,
      owner,
    ]);
  }

  async leases(): Promise<{ chatId: number; owner: string; expiresAt: number }[]> {
    const { rows } = await this.pool.query<{ chat_id: Num; owner: string; expires_at: Num }>(
      "SELECT chat_id, owner, expires_at FROM digest_leases",
    );
    return rows.map((row) => ({
      chatId: int(row.chat_id),
      owner: row.owner,
      expiresAt: int(row.expires_at),
    }));
  }

  async forgetUser(userId: number): Promise<void> {
    await this.transaction(async (client) => {
      await client.query("DELETE FROM digest_outbox WHERE chat_id = $1", [userId]);
      await client.query("DELETE FROM digest_editions WHERE chat_id = $1", [userId]);
      await client.query("DELETE FROM digest_delivery_log WHERE chat_id = $1 OR user_id = $1", [
        userId,
      ]);
      await client.query("DELETE FROM subscriptions WHERE user_id = $1 OR chat_id = $1", [userId]);
      await client.query("DELETE FROM digest_leases WHERE chat_id = $1", [userId]);
    });
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
    const inactive = await this.pool.query<Record<string, Num>>(
      `SELECT COUNT(*) FILTER (WHERE deactivated_reason = 'unsubscribed') AS unsubscribed,
              COUNT(*) FILTER (WHERE deactivated_reason <> 'unsubscribed') AS unreachable
         FROM subscriptions WHERE NOT active`,
    );
    const outbox = await this.pool.query<Record<string, Num>>(
      `SELECT COUNT(*) FILTER (WHERE status = 'sent') AS sent,
              COUNT(*) FILTER (WHERE status = 'sent' AND sent_at >= $1) AS sent_week,
              COUNT(*) FILTER (WHERE status = 'pending') AS pending,
              COUNT(*) FILTER (WHERE status = 'pending' AND attempts > 0) AS retrying,
              COUNT(*) FILTER (WHERE status = 'failed') AS failed,
              COUNT(*) FILTER (WHERE status = 'cancelled') AS cancelled
         FROM digest_outbox`,
      [since],
    );
    const items = await this.pool.query<Record<string, Num>>(
      `SELECT COUNT(delivered_at) AS delivered, COUNT(*) FILTER (WHERE delivered_at >= $1) AS delivered_week
         FROM digest_delivery_log`,
      [since],
    );
    const i = inactive.rows[0] ?? {};
    const o = outbox.rows[0] ?? {};
    const d = items.rows[0] ?? {};
    return {
      activeSubscriptions: subs.length,
      subscribers: new Set(subs.map((sub) => sub.chatId)).size,
      byScope,
      byCadence,
      byLang,
      deactivated: { unsubscribed: int(i.unsubscribed ?? 0), unreachable: int(i.unreachable ?? 0) },
      messagesSent: int(o.sent ?? 0),
      messagesSentWeek: int(o.sent_week ?? 0),
      itemsDelivered: int(d.delivered ?? 0),
      itemsDeliveredWeek: int(d.delivered_week ?? 0),
      pending: int(o.pending ?? 0),
      retrying: int(o.retrying ?? 0),
      failed: int(o.failed ?? 0),
      cancelled: int(o.cancelled ?? 0),
    };
  }
}
