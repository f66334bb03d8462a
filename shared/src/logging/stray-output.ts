import { format } from 'node:util';
import type { Logger } from 'pino';
import { maskPii } from './mask-pii.js';

/**
 * Libraries write to the console on their own: ioredis prints
 * "[ioredis] Unhandled error event" with a stack when a connection has no
 * 'error' listener, BullMQ's queues `console.error` an error event nobody
 * listens to, and Node prints an unhandled rejection as a multi-line stack.
 * During a Redis outage that broke the JSON log format. From here on every
 * such write becomes one masked JSON line through `logger`.
 *
 * An uncaught exception or unhandled rejection still ends the process (exit
 * 1), as Node would, but only after it is logged.
 */
export function routeStrayOutput(logger: Logger): void {
  const log = logger.child({ component: 'console' });
  const forward =
    (level: 'error' | 'warn' | 'info' | 'debug') =>
    (...args: unknown[]): void => {
      const err = args.find((a): a is Error => a instanceof Error);
      const text = args.filter((a) => a !== err).map((a) => (typeof a === 'string' ? a : format('%o', a)));
      const msg = text.join(' ') || err?.message || '';
      if (err) log[level]({ err }, msg);
      else log[level](msg);
    };
  console.error = forward('error');
  console.warn = forward('warn');
  console.log = forward('info');
  console.info = forward('info');
  console.debug = forward('debug');
  console.trace = forward('debug');

  const die = (what: string) => (reason: unknown) => {
    if (reason instanceof Error) logger.fatal({ err: reason }, what);
    else logger.fatal({ reason: format('%o', reason) }, what);
    process.exit(1);
  };
  process.on('uncaughtException', die('uncaught exception'));
  process.on('unhandledRejection', die('unhandled promise rejection'));
  // Node prints warnings (deprecations, listener leaks) to stderr unless told not to.
  process.removeAllListeners('warning');
  process.on('warning', (warning) => log.warn({ err: warning }, 'process warning'));
}

/**
 * One JSON log line written without a logger: for the moments before one
 * exists (configuration refused) or after it cannot be trusted (start-up
 * crash). Same shape as pino's lines, masked the same way.
 */
export function writeJsonLine(
  stream: NodeJS.WritableStream,
  service: string,
  level: 'fatal' | 'error',
  msg: string,
  fields: Record<string, unknown> = {},
): void {
  const record = { level: level === 'fatal' ? 60 : 50, time: Date.now(), service, pid: process.pid, ...fields, msg };
  stream.write(`${JSON.stringify(maskPii(record))}\n`);
}
