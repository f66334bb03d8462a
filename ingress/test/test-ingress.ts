import { createLogger } from '@medcita/shared';
import { loadIngressConfig, type IngressConfig } from '../src/config.js';
import { startIngress, type RunningIngress } from '../src/ingress.js';
import type { WebhookOutcome } from '../src/services/webhook-handler.js';

/** An ingress config for a test: ephemeral ports, `appSecret`, verify token `v`; `env` adds or overrides. */
export function testIngressConfig(redisUrl: string, appSecret: string, env: Record<string, string> = {}): IngressConfig {
  return loadIngressConfig({
    REDIS_URL: redisUrl,
    PORT: '0',
    ADMIN_PORT: '0',
    WHATSAPP_APP_SECRET: appSecret,
    WHATSAPP_VERIFY_TOKEN: 'v',
    ...env,
  });
}

/** startIngress with a silent logger. */
export function startQuietIngress(config: IngressConfig, onOutcome?: (o: WebhookOutcome) => void): Promise<RunningIngress> {
  return startIngress(config, createLogger({ level: 'silent', service: 'test' }), onOutcome);
}
