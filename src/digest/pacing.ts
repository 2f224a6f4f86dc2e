/**
 * Telegram's broadcast limits: about 30 messages a second overall, one a second per private
 * chat and 20 a minute per group. The pacer hands out send slots: first the chat's (its last
 * send plus the gap, or the end of a 429's retry_after), then the next global slot.
 */
export interface PacingOptions {
  /** Messages a second over all chats. */
  perSecond: number;
  /** Minimum gap between two messages to one private chat, ms. */
  privateGapMs: number;
  /** Minimum gap between two messages to one group (negative chat id), ms. */
  groupGapMs: number;
}

export const TELEGRAM_PACING: PacingOptions = {
  perSecond: 30,
  privateGapMs: 1000,
  groupGapMs: 3000,
};

const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

/**
 * Timers fire late, never early: slots booked 33 ms apart can arrive closer together after a
 * late one. Besides the spacing, no more than `perSecond` slots are booked in any window of a
 * second plus this margin.
 */
const WINDOW_MS = 1000 + 15;

export class Pacer {
  private nextGlobal = 0;
  private readonly recent: number[] = [];
  private readonly chatNext = new Map<number, number>();

  /** `false`: no pacing (tests, the throughput bench); 429 waits are still honoured. */
  constructor(readonly options: PacingOptions | false = TELEGRAM_PACING) {}

  get enabled(): boolean {
    return this.options !== false;
  }

  /** Waits until a message to `chatId` may go out, and books that slot. */
  async acquire(chatId: number): Promise<void> {
    for (;;) {
      const now = Date.now();
      const chatAt = this.chatNext.get(chatId) ?? 0;
      if (chatAt > now) {
        await sleep(chatAt - now);
        continue;
      }
      break;
    }
    const options = this.options;
    if (options === false) return;
    const now = Date.now();
    let at = Math.max(now, this.nextGlobal);
    const limit = Math.max(1, Math.floor(options.perSecond));
    if (this.recent.length >= limit) at = Math.max(at, (this.recent[0] as number) + WINDOW_MS);
    this.recent.push(at);
    if (this.recent.length > limit) this.recent.shift();
    this.nextGlobal = at + 1000 / options.perSecond;
    const gap = chatId < 0 ? options.groupGapMs : options.privateGapMs;
    this.chatNext.set(chatId, at + gap);
    if (at > now) await sleep(at - now);
    this.prune(now);
  }

  /** Nothing to this chat before `ms` from now (a 429's retry_after). */
  delayChat(chatId: number, ms: number): void {
    const until = Date.now() + ms;
    this.chatNext.set(chatId, Math.max(this.chatNext.get(chatId) ?? 0, until));
  }

  private prune(now: number): void {
    if (this.chatNext.size < 50_000) return;
    for (const [chat, at] of this.chatNext) if (at < now) this.chatNext.delete(chat);
  }
}
