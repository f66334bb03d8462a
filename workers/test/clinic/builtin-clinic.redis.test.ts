import { BuiltinClinic } from '../../src/clinic/builtin/builtin-clinic.js';
import { describeClinicPortContract } from './clinic-port.contract.js';
import { connectTestRedis, deleteKeys, fixedClock, testSeed, uniquePrefix } from './clinic-test-kit.js';

const redis = connectTestRedis();
afterAll(async () => {
  await redis.quit();
});

function openBuiltin(prefix = uniquePrefix(), minLeadMinutes = 0) {
  const port = new BuiltinClinic({
    redis,
    seed: testSeed(),
    keyPrefix: prefix,
    timeZone: 'America/La_Paz',
    clock: fixedClock,
    minLeadMinutes,
  });
  return { port, close: () => deleteKeys(redis, prefix) };
}

describeClinicPortContract('BuiltinClinic', async (opts) => openBuiltin(uniquePrefix(), opts?.minLeadMinutes));
