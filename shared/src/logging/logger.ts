import { createRequire } from 'node:module';
import { pino, stdSerializers, type DestinationStream, type Logger, type LoggerOptions } from 'pino';
import { maskDigits, maskPii } from './mask-pii.js';

export type { Logger } from 'pino';

export interface LoggerSettings {
  level: string;
  service: string;
  /** Tests pass a stream to capture output. */
  destination?: DestinationStream;
}

/**
 * An Error as a plain object that keeps what tells errors apart (`type`,
 * `code`, `status`, `errno`, `cause` as a nested error…), with its texts
 * masked like any other string.
 */
export function serializeError(err: unknown): unknown {
  if (!(err instanceof Error)) return err;
  const plain = stdSerializers.errWithCause(err) as unknown as Record<string, unknown>;
  const { raw: _raw, ...rest } = plain;
  return JSON.parse(JSON.stringify(rest)) as unknown;
}

/**
 * Masks a finished JSON line. Runs after pino's serializers, so it sees what
 * is written: child bindings (pino-http's `req`), serialised errors and
 * messages alike. A line that is not JSON (cannot happen with pino's own
 * output) is masked as text.
 */
export function maskLogLine(line: string): string {
  let record: unknown;
  try {
    record = JSON.parse(line);
  } catch {
    return maskDigits(line);
  }
  return `${JSON.stringify(maskPii(record))}\n`;
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
    serializers: { err: serializeError, error: serializeError, cause: serializeError },
    hooks: { streamWrite: maskLogLine },
  };
  if (settings.destination) return pino(options, settings.destination);
  if (process.stdout.isTTY && !/^(0|false|no|off)$/i.test(process.env.LOG_PRETTY?.trim() ?? '') && prettyPrinterInstalled()) {
    return pino({ ...options, transport: { target: 'pino-pretty', options: { colorize: true } } });
  }
  return pino(options);
}

/** pino-pretty is a development dependency: in an image, a terminal gets JSON rather than a crash. */
function prettyPrinterInstalled(): boolean {
  try {
    createRequire(import.meta.url).resolve('pino-pretty');
    return true;
  } catch {
    return false;
  }
}

export { DEV_SESSION_HASH_KEY, resolveSessionHashKey, SESSION_HASH_KEY_DOC, sessionHash, setSessionHashKey } from './session-hash.js';
