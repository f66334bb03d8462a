import type { Ledger } from './ledger.js';

/** The services' warnings and errors during a soak: counted by message, the last ones kept, and tied to replies. */
export class SoakWarnings {
  readonly byMessage = new Map<string, number>();
  readonly last: string[] = [];
  // Warnings about a reply, by its idempotency key: the evidence of a duplicate reply (bounded).
  private readonly sendLog = new Map<string, string[]>();

  onLog = (service: string, line: Record<string, unknown>): void => {
    if (typeof line.level !== 'number' || line.level < 40) return;
    if (typeof line.idempotencyKey === 'string') {
      const at = new Date(Number(line.time ?? Date.now())).toISOString().slice(11, 23);
      this.sendLog.set(
        line.idempotencyKey,
        [...(this.sendLog.get(line.idempotencyKey) ?? []), `${at} ${service}: ${String(line.msg)}`].slice(-6),
      );
      if (this.sendLog.size > 20_000) this.sendLog.delete(this.sendLog.keys().next().value!);
    }
    const msg = `${service.replace(/-\d+$/, '')}: ${String(line.msg)}`;
    this.byMessage.set(msg, (this.byMessage.get(msg) ?? 0) + 1);
    this.last.push(
      `${new Date(Number(line.time ?? Date.now())).toISOString()} ${service} ${String(line.msg)}${line.err ? ` (${JSON.stringify(line.err).slice(0, 200)})` : ''}`,
    );
    if (this.last.length > 40) this.last.shift();
  };

  /** Adds to each duplicate reply's evidence what the workers logged about that reply. */
  annotateDuplicates(ledger: Ledger): void {
    const dup = ledger.violations.duplicateReplies;
    dup.evidence = dup.evidence.map((e) => {
      const key = /^reply (\S+) accepted again/.exec(e)?.[1];
      const lines = key === undefined ? undefined : this.sendLog.get(key);
      return lines ? `${e}; worker log: ${lines.join(' | ')}` : e;
    });
  }
}
