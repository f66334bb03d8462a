import { createHash } from 'node:crypto';
import { pino, type DestinationStream, type Logger, type LoggerOptions } from 'pino';
import { maskDigits, maskPii } from './mask-pii.js';

export type { Logger } from 'pino';

export interface LoggerSettings {
  level: string;
  service: string;
  /** Tests pass a stream to capture output. */
  destination?: DestinationStream;
}

/**
 * JSON logs with PII masked at the last step, so no call site can leak a phone
 * number by forgetting to mask it. Pretty output only when a TTY asks for it.
 */
export function createLogger(settings: LoggerSettings): Logger {
  const options: LoggerOptions = {
    level: settings.level,
    base: { service: settings.service, pid: process.pid },
    // Request logs carry headers; credentials and signatures never reach a log line.
    redact: ['req.headers.authorization', 'req.headers.cookie', 'req.headers["x-hub-signature-256"]'],
    formatters: { log: (obj) => maskPii(obj) as Record<string, unknown> },
    hooks: {
      logMethod(args, method) {
        const masked = args.map((a) => (typeof a === 'string' ? maskDigits(a) : a));
        return method.apply(this, masked as Parameters<typeof method>);
      },
    },
  };
  if (settings.destination) return pino(options, settings.destination);
  if (process.stdout.isTTY && !/^(0|false|no|off)$/i.test(process.env.LOG_PRETTY?.trim() ?? '')) {
    return pino({ ...options, transport: { target: 'pino-pretty', options: { colorize: true } } });
  }
  return pino(options);
}

/** Stable, non-reversible id for a session, safe for logs and audit records. */
export function sessionHash(sessionKey: string): string {
  return createHash('sha256').update(sessionKey).digest('hex').slice(0, 12);
}
