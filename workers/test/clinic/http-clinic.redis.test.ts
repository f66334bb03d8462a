import { BuiltinClinic } from '../../src/clinic/builtin/builtin-clinic.js';
import { CircuitBreaker } from '../../src/clinic/http/circuit-breaker.js';
import { ClinicHttpClient } from '../../src/clinic/http/clinic-http-client.js';
import { createContractServer } from '@medcita/testkit/clinic';
import { HttpClinic } from '../../src/clinic/http/http-clinic.js';
import { describeClinicPortContract } from './clinic-port.contract.js';
import { connectTestRedis, deleteKeys, fixedClock, testSeed, uniquePrefix } from './clinic-test-kit.js';

const redis = connectTestRedis();
afterAll(async () => {
  await redis.quit();
});

const TOKEN = 'test-token';

// The lead time is the http adapter's own (the server's store has none): it must hold over the wire.
describeClinicPortContract('HttpClinic against the contract server', async (opts) => {
  const prefix = uniquePrefix();
  const backend = new BuiltinClinic({ redis, seed: testSeed(), keyPrefix: prefix, timeZone: 'America/La_Paz', clock: fixedClock });
  const server = createContractServer(backend, { token: TOKEN });
  const baseUrl = await server.listen();
  const breaker = new CircuitBreaker({ failureThreshold: 5, cooldownMs: 1000 });
  // The contract is about answers, not deadlines (http-resilience tests those): a timeout far above any answer
  // time, so a CI machine at load 18 (server and client share this process) does not turn slowness into failures.
  const port = new HttpClinic(new ClinicHttpClient({ baseUrl, token: TOKEN, timeoutMs: 30_000, breaker }), {
    clock: fixedClock,
    minLeadMinutes: opts?.minLeadMinutes ?? 0,
  });
  return {
    port,
    close: async () => {
      await server.close();
      await deleteKeys(redis, prefix);
    },
  };
});
