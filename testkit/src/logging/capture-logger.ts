import { Writable } from 'node:stream';
import { createLogger, type Logger } from '@medcita/shared';

export interface CapturedLogger {
  /** The project's real logger (PII masking included), writing into `lines`. */
  logger: Logger;
  /** Every JSON line written so far, raw. */
  lines: string[];
  /** The lines parsed, for assertions on fields. */
  records(): Record<string, unknown>[];
}

/** A logger whose output tests read back instead of printing it. */
export function captureLogger(opts: { level?: string; service?: string } = {}): CapturedLogger {
  const lines: string[] = [];
  const destination = new Writable({
    write(chunk: Buffer, _enc, done) {
      lines.push(chunk.toString());
      done();
    },
  });
  const logger = createLogger({ level: opts.level ?? 'info', service: opts.service ?? 'test', destination });
  return { logger, lines, records: () => lines.map((l) => JSON.parse(l) as Record<string, unknown>) };
}
