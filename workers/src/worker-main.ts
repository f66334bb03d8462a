import { LogEvent, closeOnSignals, createLogger, loadConfigOrExit, routeStrayOutput, runMain, setSessionHashKey } from '@medcita/shared';
import { composeWorker } from './compose-worker.js';
import { loadWorkerConfig } from './config.js';

runMain('worker', async () => {
  const config = loadConfigOrExit('worker', () => loadWorkerConfig());
  setSessionHashKey(config.SESSION_HASH_KEY);
  const logger = createLogger({ level: config.LOG_LEVEL, service: 'worker' });
  routeStrayOutput(logger);
  const running = await composeWorker(config, logger);
  logger.info({ concurrency: config.WORKER_CONCURRENCY, opsPort: config.METRICS_PORT }, LogEvent.WorkerReady);

  closeOnSignals(logger, () => running.close(), 'finishing running turns');
});
