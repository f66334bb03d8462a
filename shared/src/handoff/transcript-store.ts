import { luaScript, runScript } from '../redis/lua-script.js';
import type { RedisClient } from '../redis/connection.js';
import { sessionKeys } from '../sessions/session-keys.js';

const recordTranscript = luaScript(import.meta.url, './lua/recordTranscript-2.lua');
const openTranscript = luaScript(import.meta.url, './lua/openTranscript-3.lua');
const setReplyStatus = luaScript(import.meta.url, './lua/setReplyStatus-1.lua');

/**
 * One line of a conversation as an operator reads it. `in` the patient, `out`
 * the bot, `op` an operator, `note` the system (handoff, release, timeout).
 * Text is personal data: it lives only in the keys below and never reaches
 * logs or metrics.
 */
export interface TranscriptLine {
  /** wamid, the bot reply's idempotency key, or the operator reply id. */
  id: string;
  dir: 'in' | 'out' | 'op' | 'note';
  /** Message kind (text, image, audio, buttons, template…); media are shown by kind. */
  kind: string;
  text?: string;
  /** Epoch ms. */
  at: number;
  operator?: string;
}

/**
 * Lines ready to store (TranscriptStore.text): recordLines' parameters
 * (context cap, context TTL, handed off 1/0, transcript TTL, transcript cap)
 * and the lines as JSON.
 */
export interface TranscriptText {
  readonly params: readonly [number, number, 0 | 1, number, number];
  readonly lines: readonly string[];
}

export type ReplyStatus = 'queued' | 'sent' | 'delivered' | 'read' | 'failed' | 'window_closed';

export interface TranscriptOptions {
  keyPrefix: string;
  /** Lines of rolling context kept per session (HANDOFF_CONTEXT_MESSAGES); 0 keeps none. */
  contextLines: number;
  /** Lifetime of the rolling context (the session TTL). */
  contextTtlSeconds: number;
  /** Lifetime of a handoff transcript (HANDOFF_TRANSCRIPT_TTL_SECONDS). */
  transcriptTtlSeconds: number;
  /** Most lines one transcript keeps. */
  maxLines?: number;
}

/** Key families holding conversation text, all under the session's {hash tag}. */
export function transcriptKeys(keyPrefix: string, sessionKey: string) {
  const { context, transcript, replyStatus } = sessionKeys(keyPrefix, sessionKey);
  return { context, transcript, replyStatus };
}

/**
 * Conversation text for operators, kept as little as possible: a short
 * rolling context per session that expires with the session, copied into a
 * transcript only when the session is handed off (docs/operations.md,
 * "Operator inbox": retention).
 */
export class TranscriptStore {
  constructor(
    private readonly redis: RedisClient,
    private readonly options: TranscriptOptions,
  ) {}

  keys(sessionKey: string) {
    return transcriptKeys(this.options.keyPrefix, sessionKey);
  }

  /**
   * Lines as stored with the store's caps and TTLs: what `record` writes, and
   * what a turn's commit writes with it (SessionTurns.commit, the same
   * recordLines). Undefined when nothing would be kept.
   */
  text(lines: TranscriptLine[], handedOff: boolean): TranscriptText | undefined {
    if (lines.length === 0 || (!handedOff && this.options.contextLines === 0)) return undefined;
    return {
      params: [
        this.options.contextLines,
        this.options.contextTtlSeconds,
        handedOff ? 1 : 0,
        this.options.transcriptTtlSeconds,
        this.options.maxLines ?? 1000,
      ],
      lines: lines.map((l) => JSON.stringify(l)),
    };
  }

  /** Adds lines to the context and, when `handedOff`, to the transcript; retried lines are stored once. */
  async record(sessionKey: string, lines: TranscriptLine[], handedOff: boolean): Promise<number> {
    const text = this.text(lines, handedOff);
    return text ? this.write(sessionKey, text) : 0;
  }

  /** Stores lines outside a turn's commit; returns how many the transcript gained. */
  async write(sessionKey: string, text: TranscriptText): Promise<number> {
    const k = this.keys(sessionKey);
    return runScript<number>(this.redis, recordTranscript, [k.context, k.transcript], [...text.params, ...text.lines]);
  }

  /** Starts the transcript of a new handoff from the context; `marker` is its first system line. */
  async open(sessionKey: string, marker: TranscriptLine): Promise<number> {
    const k = this.keys(sessionKey);
    return runScript<number>(
      this.redis,
      openTranscript,
      [k.context, k.transcript, k.replyStatus],
      [this.options.transcriptTtlSeconds, JSON.stringify(marker)],
    );
  }

  async read(sessionKey: string): Promise<{ lines: TranscriptLine[]; statuses: Record<string, ReplyStatus> }> {
    const k = this.keys(sessionKey);
    const [raw, statuses] = await Promise.all([this.redis.lrange(k.transcript, 0, -1), this.redis.hgetall(k.replyStatus)]);
    return { lines: raw.map((r) => JSON.parse(r) as TranscriptLine), statuses: statuses as Record<string, ReplyStatus> };
  }

  async last(sessionKey: string, dirs: TranscriptLine['dir'][] = ['in', 'out', 'op']): Promise<TranscriptLine | null> {
    const tail = await this.redis.lrange(this.keys(sessionKey).transcript, -10, -1);
    const lines = tail.map((r) => JSON.parse(r) as TranscriptLine).filter((l) => dirs.includes(l.dir));
    return lines.at(-1) ?? null;
  }

  /** True when the status moved forward. */
  async setStatus(sessionKey: string, replyId: string, status: ReplyStatus): Promise<boolean> {
    const changed = await runScript<number>(
      this.redis,
      setReplyStatus,
      [this.keys(sessionKey).replyStatus],
      [replyId, status, this.options.transcriptTtlSeconds],
    );
    return changed === 1;
  }
}

/**
 * Operator replies carry `hop|<sessionKey>|<replyId>` as their idempotency key
 * (echoed by WhatsApp as biz_opaque_callback_data), so a status webhook finds
 * the reply's session without any other index.
 */
export const OperatorReplyKey = {
  make: (sessionKey: string, replyId: string) => `hop|${sessionKey}|${replyId}`,
  parse(key: string | undefined): { sessionKey: string; replyId: string } | null {
    if (!key?.startsWith('hop|')) return null;
    const last = key.lastIndexOf('|');
    if (last <= 4) return null;
    return { sessionKey: key.slice(4, last), replyId: key.slice(last + 1) };
  },
};
