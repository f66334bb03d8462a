import { LogEvent, closeOnSignals, createLogger, routeStrayOutput, loadConfigOrExit, runMain, setSessionHashKey } from '@medcita/shared';
import { loadIngressConfig } from './config.js';
import { startIngress } from './ingress.js';

runMain('ingress', async () => {
  const config = loadConfigOrExit('ingress', () => loadIngressConfig());
  // The inbox writes audit records too: they must name sessions as the workers do.
  setSessionHashKey(config.SESSION_HASH_KEY);
  const logger = createLogger({ level: config.LOG_LEVEL, service: 'ingress' });
  routeStrayOutput(logger);
  const ingress = await startIngress(config, logger);
  logger.info({ port: ingress.port, adminPort: ingress.adminPort }, LogEvent.IngressListening);
  closeOnSignals(logger, () => ingress.close(), 'no new requests, finishing in-flight ones');
});
