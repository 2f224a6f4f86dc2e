import type { Lang } from "../knowledge/schema.ts";

/** What a user chose with /lang: a language, or "auto" (follow each message). */
export type LangPref = Lang | "auto";
export const LANG_PREFS: readonly LangPref[] = ["kk", "ru", "auto"];

export interface UserLang {
  pref: LangPref;
  /** Language of the user's last message that told one, or null. */
  last: Lang | null;
}

export type Vote = "up" | "down";

export interface QuestionRecord {
  userId: number;
  chatId: number;
  question: string;
  /** Language the question was answered (or declined) in. */
  lang: Lang;
  answered: boolean;
  confidence: number;
  factIds: readonly string[];
}

export interface VoteRecord {
  /** The id recordQuestion returned for the answer voted on. */
  questionId: number;
  userId: number;
  vote: Vote;
}

export type VoteResult = "recorded" | "changed" | "unchanged" | "unknown";

export interface UnansweredRow {
  /** The most recent wording of the group. */
  question: string;
  normalized: string;
  lang: Lang;
  count: number;
  lastAt: Date;
}

export interface DownvotedRow {
  question: string;
  normalized: string;
  factIds: string[];
  down: number;
  up: number;
  lastAt: Date;
}

export interface StorageStats {
  users: number;
  /** Users whose /lang choice is kk, ru or auto (never chose counts as auto). */
  langPrefs: Record<LangPref, number>;
  questions: number;
  answered: number;
  declined: number;
  /** Same two counts over the last seven days. */
  answeredLastWeek: number;
  declinedLastWeek: number;
  votesUp: number;
  votesDown: number;
}

/**
 * Key-value storage for grammY plugins (conversations, sessions). Same shape as grammY's
 * StorageAdapter, but always asynchronous.
 *
 * Keys are expected to end with `:<userId>` when the data belongs to one user (the bot's
 * conversation keys are `conv:<chatId>:<userId>`), so that forgetUser can find them.
 */
export interface KeyValueStore<T = unknown> {
  read(key: string): Promise<T | undefined>;
  write(key: string, value: T): Promise<void>;
  delete(key: string): Promise<void>;
}

/**
 * Everything the bot persists. Every method returns a promise, so that an implementation on a
 * networked database (PostgreSQL) fits the same interface as the embedded SQLite one.
 * Extend it by adding methods here and a migration per implementation.
 */
export interface Storage {
  readonly kind: string;

  /** The user's language state, or null for a user never seen. */
  getUserLang(userId: number): Promise<UserLang | null>;
  /** Creates the user if needed; `languageCode` is Telegram's, kept for statistics. */
  ensureUser(userId: number, languageCode?: string | null): Promise<void>;
  setLangPref(userId: number, pref: LangPref): Promise<void>;
  setLastLang(userId: number, lang: Lang): Promise<void>;

  /** grammY plugin data (conversations). */
  readonly sessions: KeyValueStore;

  /** Logs a question and its outcome; returns an id that feedback buttons refer to. */
  recordQuestion(record: QuestionRecord): Promise<number>;
  /** One vote per user and answer; a second vote replaces the first. */
  recordVote(record: VoteRecord): Promise<VoteResult>;
  /** Declined questions grouped by normalized text, most frequent first. */
  unansweredQuestions(limit?: number): Promise<UnansweredRow[]>;
  /** Answered questions with at least one 👎, grouped, most down-votes first. */
  downvotedQuestions(limit?: number): Promise<DownvotedRow[]>;

  /** Deletes every row about the user: language, questions, votes, conversation state. */
  forgetUser(userId: number): Promise<void>;
  stats(now?: Date): Promise<StorageStats>;
  /**
   * A cheap round trip to the database (health checks): resolves when it answers, rejects when
   * it does not or the storage is closed.
   */
  ping(): Promise<void>;
  close(): Promise<void>;
}
