import { ConfigError } from '../errors/config-error.js';
import { serializeError, type Logger } from '../logging/logger.js';
import { writeJsonLine } from '../logging/stray-output.js';
import { flushTracing } from '../tracing/trace-hooks.js';

/** Parses the configuration or ends the process naming every bad variable (exit 1). */
export function loadConfigOrExit<T>(service: string, load: () => T): T {
  try {
    return load();
  } catch (err) {
    if (err instanceof ConfigError) {
      // One JSON line like every other, naming each bad variable.
      writeJsonLine(process.stderr, service, 'fatal', `${service}: refusing to start, invalid configuration`, { problems: err.problems });
      process.exit(1);
    }
    throw err;
  }
}

/** SIGTERM/SIGINT run `close` once, then exit 0 (1 if closing failed), so orchestrators see a clean stop. */
export function closeOnSignals(logger: Logger, close: () => Promise<void>, what: string): void {
  const shutdown = (signal: string) => {
    logger.info({ signal }, `shutting down: ${what}`);
    // The spans of the last requests are still buffered; a collector that is away costs at most its export timeout.
    close()
      .then(() => flushTracing().catch((err: unknown) => logger.warn({ err }, 'spans not exported')))
      .then(
        () => process.exit(0),
        (err) => {
          logger.error({ err }, 'shutdown failed');
          process.exit(1);
        },
      );
  };
  process.once('SIGTERM', () => shutdown('SIGTERM'));
  process.once('SIGINT', () => shutdown('SIGINT'));
}

/** Runs a service's main; a fatal start-up error exits non-zero so the pod restarts. */
export function runMain(service: string, main: () => Promise<void>): void {
  main().catch((err) => {
    writeJsonLine(process.stderr, service, 'fatal', `${service}: fatal start-up error`, { err: serializeError(err) });
    process.exit(1);
  });
}
