import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { createAnswerEngine } from "../../src/answer/engine.ts";
import { createI18n } from "../../src/bot/i18n.ts";
import { createLogger } from "../../src/bot/logger.ts";
import { KbRefs } from "../../src/bot/refs.ts";
import { startBot } from "../../src/bot/run.ts";
import type { Config } from "../../src/config.ts";
import { composeDigest } from "../../src/digest/compose.ts";
import { latestDigestItems } from "../../src/digest/items.ts";
import { nextWeeklySlot } from "../../src/digest/schedule.ts";
import type { DigestService } from "../../src/digest/service.ts";
import { type KnowledgeBase, loadKnowledgeBase } from "../../src/knowledge/load.ts";
import { buttonData, FakeTelegram } from "./fake-telegram/server.ts";

const TOKEN = "987654321:AAEfakeTokenForDigestTests_012345678";
const ADMIN = 9001;
const RU_USER = 5101;
const KK_USER = 5102;
const kb = loadKnowledgeBase();
const i18n = createI18n();
const ru = i18n.t("ru");
const kk = i18n.t("kk");
const refs = new KbRefs(kb);

/** The knowledge base before an update: without the XVIII forum and its facts. */
function olderKb(): KnowledgeBase {
  const gone = "forum-xviii-orenburg";
  const facts = kb.facts.filter((f) => f.forum !== gone);
  const events = kb.events.filter((e) => e.id !== gone);
  return {
    ...kb,
    facts,
    factsById: new Map(facts.map((f) => [f.id, f])),
    events,
    eventsById: new Map(events.map((e) => [e.id, e])),
  };
}

const cleanups: (() => Promise<void> | void)[] = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

async function start(options: { tg?: FakeTelegram; dataDir?: string; kb?: KnowledgeBase } = {}) {
  const tg = options.tg ?? (await FakeTelegram.start({ token: TOKEN, defaultLanguageCode: "ru" }));
  if (!options.tg) cleanups.push(() => tg.close());
  const dataDir = options.dataDir ?? mkdtempSync(join(tmpdir(), "digest-bot-"));
  if (!options.dataDir) cleanups.push(() => rmSync(dataDir, { recursive: true, force: true }));
  const config: Config = {
    botToken: TOKEN,
    apiRoot: tg.apiRoot,
    dataDir,
    adminIds: [ADMIN],
    logLevel: "warn",
    digest: { cron: "*/5 * * * *", timeZone: "Asia/Almaty", pacing: false },
  };
  const usedKb = options.kb ?? kb;
  const handle = await startBot(config, {
    kb: usedKb,
    engine: createAnswerEngine(usedKb),
    i18n,
    logger: createLogger({ level: "warn", secrets: [TOKEN] }),
    retry: { maxRetryAttempts: 3, maxDelaySeconds: 5 },
  });
  let stopped = false;
  const stop = async () => {
    if (stopped) return;
    stopped = true;
    await handle.stop();
  };
  cleanups.push(stop);
  const digests = handle.digests as DigestService;
  expect(digests).toBeDefined();
  return { tg, dataDir, handle, digests, stop };
}

/** The bot's latest message in the chat that has a button with this data (waits for it). */
async function withButton(tg: FakeTelegram, chatId: number, data: string) {
  const deadline = Date.now() + 5000;
  for (;;) {
    const message = tg
      .botMessages(chatId)
      .reverse()
      .find((m) => buttonData(m).includes(data));
    if (message) return message;
    if (Date.now() > deadline) {
      throw new Error(`no button ${data} in chat ${chatId}:\n${tg.transcript(chatId)}`);
    }
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
}

/** Presses a button and waits until the bot has handled the press (and edited the menu). */
async function press(tg: FakeTelegram, user: number, data: string) {
  const message = await withButton(tg, user, data);
  const since = tg.mark();
  tg.press(user, message, data);
  await tg.waitFor((c) => c.method === "answerCallbackQuery", { since, timeoutMs: 5000 });
  // The edit (if any) follows the answer within the same update: let it land.
  await tg
    .waitFor((c) => c.method === "editMessageText" || c.method === "sendMessage", {
      since,
      timeoutMs: 300,
    })
    .catch(() => {});
}

/** Waits for `count` digest messages (those starting with 📬 or continuing a card) after `since`. */
async function digestMessages(tg: FakeTelegram, chatId: number, since: number, count: number) {
  const deadline = Date.now() + 10_000;
  for (;;) {
    const texts = tg
      .calls("sendMessage")
      .filter((c) => c.seq >= since && c.response?.ok && c.payload.chat_id === chatId)
      .map((c) => String(c.payload.text));
    const first = texts.findIndex((t) => t.startsWith("📬"));
    if (first >= 0 && texts.length - first >= count) return texts.slice(first, first + count);
    if (Date.now() > deadline) {
      throw new Error(
        `chat ${chatId}: expected ${count} digest message(s)\n${tg.describeCalls(since)}`,
      );
    }
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

describe("/subscribe", () => {
  it("a user subscribes through the conversation and receives the first digest (topics, weekly)", async () => {
    const { tg, digests } = await start();
    tg.user(RU_USER, { languageCode: "ru" });
    const since = tg.mark();
    tg.command(RU_USER, "subscribe");
    await press(tg, RU_USER, "sub:t");
    await press(tg, RU_USER, "sub:tt:energy");
    await press(tg, RU_USER, "sub:tt:education");
    await press(tg, RU_USER, "sub:tt:education"); // toggled off again
    await press(tg, RU_USER, "sub:tt:transport");
    await press(tg, RU_USER, "sub:td");
    await press(tg, RU_USER, "sub:cw");
    await press(tg, RU_USER, "sub:d:1");
    await press(tg, RU_USER, "sub:h:9");
    const confirm = tg.lastBotMessage(RU_USER);
    expect(confirm?.text).toContain(ru("subscribe.topic_energy"));
    expect(confirm?.text).toContain(ru("subscribe.topic_transport"));
    expect(confirm?.text).not.toContain(ru("subscribe.topic_education"));
    expect(confirm?.text).toContain("09:00");
    await press(tg, RU_USER, "sub:ok");

    const scope = { kind: "topics" as const, topics: ["energy" as const, "transport" as const] };
    const expected = composeDigest(kb, latestDigestItems(kb, scope), "ru", ru, { kind: "first" });
    expect(expected.length).toBeGreaterThan(0);
    expect(await digestMessages(tg, RU_USER, since, expected.length)).toEqual(expected);

    const [sub] = await digests.store.chatSubscriptions(RU_USER);
    expect(sub).toMatchObject({
      userId: RU_USER,
      lang: "ru",
      scope: { kind: "topics", topics: ["energy", "transport"] },
      cadence: { kind: "weekly", day: 1, hour: 9 },
    });
    // The wizard message now says it is done, without buttons.
    const done = tg
      .botMessages(RU_USER)
      .find((m) => m.text?.includes(ru("subscribe.summary_cadence")));
    expect(done?.reply_markup).toBeUndefined();

    // Nothing is due now; at the next Monday 09:00 in Almaty there is nothing new either.
    const monday = nextWeeklySlot(Date.now(), 1, 9, "Asia/Almaty");
    const before = tg.sent(RU_USER).length;
    const report = await digests.deliverDue(monday + 60_000);
    expect(report.messagesSent).toBe(0);
    expect(report.nothingNew).toBe(1);
    expect(tg.sent(RU_USER)).toHaveLength(before);
  });

  it("one forum, as soon as new material arrives, in Kazakh; then /mysubs edits and /unsubscribe removes", async () => {
    const { tg, digests } = await start();
    tg.user(KK_USER, { languageCode: "kk" });
    const since = tg.mark();
    tg.command(KK_USER, "subscribe");
    await press(tg, KK_USER, "sub:e");
    const eventRef = refs.eventRef("forum-xvi-omsk-2019");
    await press(tg, KK_USER, `sub:ev:${eventRef}`);
    await press(tg, KK_USER, "sub:cn");
    await press(tg, KK_USER, "sub:ok");
    const items = latestDigestItems(kb, { kind: "event", eventId: "forum-xvi-omsk-2019" });
    const expected = composeDigest(kb, items, "kk", kk, { kind: "first" });
    expect(expected.length).toBeGreaterThan(3);
    expect(await digestMessages(tg, KK_USER, since, expected.length)).toEqual(expected);

    // /mysubs: the list, then switch the language to Russian.
    let mark = tg.mark();
    tg.command(KK_USER, "mysubs");
    await tg.waitForSent(KK_USER, { since: mark, text: new RegExp(kk("subscribe.list_title")) });
    const [sub] = await digests.store.chatSubscriptions(KK_USER);
    expect(sub).toBeDefined();
    await press(tg, KK_USER, `ms:e:${sub?.id}`);
    await press(tg, KK_USER, `ms:l:${sub?.id}:ru`);
    expect((await digests.store.getSubscription(sub?.id ?? 0))?.lang).toBe("ru");
    // …and from "as soon as new material arrives" to Fridays at 18:00.
    await press(tg, KK_USER, `ms:e:${sub?.id}`);
    await press(tg, KK_USER, `ms:cw:${sub?.id}`);
    await press(tg, KK_USER, `ms:d:${sub?.id}:5`);
    await press(tg, KK_USER, `ms:h:${sub?.id}:5:18`);
    expect((await digests.store.getSubscription(sub?.id ?? 0))?.cadence).toEqual({
      kind: "weekly",
      day: 5,
      hour: 18,
    });

    // /unsubscribe, with a confirmation.
    mark = tg.mark();
    tg.command(KK_USER, "unsubscribe");
    await tg.waitForSent(KK_USER, { since: mark });
    await press(tg, KK_USER, `us:${sub?.id}`);
    expect((await digests.store.getSubscription(sub?.id ?? 0))?.active).toBe(true);
    await press(tg, KK_USER, `us!:${sub?.id}`);
    expect(await digests.store.chatSubscriptions(KK_USER)).toEqual([]);
    expect(tg.lastBotMessage(KK_USER)?.text).toBe(kk("subscribe.removed"));
  });

  it("subscriptions survive a restart; new material after a knowledge-base update goes out at once, once", async () => {
    const first = await start({ kb: olderKb() });
    const { tg, dataDir } = first;
    tg.user(RU_USER, { languageCode: "ru" });
    tg.command(RU_USER, "subscribe");
    await press(tg, RU_USER, "sub:a");
    await press(tg, RU_USER, "sub:cn");
    await press(tg, RU_USER, "sub:ok");
    await digestMessages(tg, RU_USER, 0, 1);
    await first.digests.idle();
    await first.stop();

    // The knowledge base now has the XVIII forum: the restarted bot sends it, and only it.
    const second = await start({ tg, dataDir });
    const since = tg.mark();
    const scheduler = second.digests.startScheduler("*/5 * * * *");
    cleanups.push(() => scheduler.stop());
    const newItems = kb.facts.filter((f) => f.forum === "forum-xviii-orenburg").map((f) => f.id);
    const expected = composeDigest(kb, newItems, "ru", ru, { kind: "new" });
    expect(await digestMessages(tg, RU_USER, since, expected.length)).toEqual(expected);
    await second.digests.idle();
    const again = await second.digests.deliverDue();
    expect(again.messagesSent).toBe(0);

    const mark = tg.mark();
    tg.command(RU_USER, "mysubs");
    const list = await tg.waitForSent(RU_USER, { since: mark });
    expect(list.text).toContain(ru("subscribe.describe_new"));
  });
});

describe("admin commands", () => {
  it("/stats and /digest_now for ADMIN_IDS only", async () => {
    const { tg, digests } = await start();
    tg.user(ADMIN, { languageCode: "ru" });
    tg.user(RU_USER, { languageCode: "ru" });
    tg.command(RU_USER, "subscribe");
    await press(tg, RU_USER, "sub:a");
    await press(tg, RU_USER, "sub:cn");
    await press(tg, RU_USER, "sub:ok");
    await digestMessages(tg, RU_USER, 0, 1);
    await digests.idle();

    let since = tg.mark();
    tg.command(RU_USER, "stats");
    const refused = await tg.waitForSent(RU_USER, { since });
    expect(refused.text).toBe(ru("unknown_command"));

    since = tg.mark();
    tg.command(ADMIN, "stats");
    const stats = await tg.waitForSent(ADMIN, { since });
    expect(stats.text).toContain(ru("admin.stats_title"));
    expect(stats.text).toContain(ru("admin.subscribers", { chats: 1, subs: 1 }));
    expect(stats.text).toMatch(/\d/);

    since = tg.mark();
    tg.command(ADMIN, "digest_now");
    await tg.waitForSent(ADMIN, { since, text: ru("admin.digest_started") });
    const report = await tg.waitFor(
      (c) =>
        c.method === "sendMessage" &&
        c.payload.chat_id === ADMIN &&
        c.response?.ok === true &&
        c.payload.text !== ru("admin.digest_started"),
      { since, timeoutMs: 10_000 },
    );
    expect(String(report.payload.text)).toMatch(/\d+ с/);
  });
});
