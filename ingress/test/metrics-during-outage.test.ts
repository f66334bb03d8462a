/**
 * /metrics is what an operator looks at during a Redis outage, so it must
 * answer then: queue depths go missing and medcita_queue_jobs_up says 0.
 */
import { createLogger } from '@medcita/shared';
import { startRedisServer, type RedisServerHandle } from '@medcita/testkit';
import { loadIngressConfig } from '../src/config.js';
import { startIngress, type RunningIngress } from '../src/ingress.js';

describe('/metrics while Redis is down', () => {
  let server: RedisServerHandle;
  let ingress: RunningIngress;

  beforeAll(async () => {
    server = await startRedisServer();
    const config = loadIngressConfig({
      REDIS_URL: server.url,
      PORT: '0',
      ADMIN_PORT: '0',
      WHATSAPP_APP_SECRET: 's',
      WHATSAPP_VERIFY_TOKEN: 'v',
    });
    ingress = await startIngress(config, createLogger({ level: 'silent', service: 'test' }));
  });
  afterAll(async () => {
    await ingress.close();
    await server.stop();
  });

  const scrape = async () => {
    const res = await fetch(`http://127.0.0.1:${ingress.port}/metrics`);
    return { status: res.status, text: await res.text() };
  };

  it('answers with the queue depths while Redis is up, and without them (up = 0) while it is down', async () => {
    const up = await scrape();
    expect(up.status).toBe(200);
    expect(up.text).toMatch(/^medcita_queue_jobs_up 1$/m);
    expect(up.text).toContain('medcita_queue_jobs{queue="turns",state="waiting"} 0');
    expect(Number(/^medcita_redis_used_memory_bytes (\d+)$/m.exec(up.text)?.[1])).toBeGreaterThan(0);
    expect(up.text).toMatch(/^medcita_redis_maxmemory_bytes \d+$/m);

    await server.kill();
    const down = await scrape();
    expect(down.status).toBe(200);
    expect(down.text).toMatch(/^medcita_queue_jobs_up 0$/m);
    expect(down.text).not.toContain('medcita_queue_jobs{');
    expect(down.text).toMatch(/^medcita_redis_used_memory_bytes 0$/m);
    expect(down.text).toContain('medcita_webhooks_total{outcome="accepted"} 0');
  });
});
