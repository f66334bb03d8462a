import type { IncomingMessage, ServerResponse } from 'node:http';
import type { FakeGraphApi } from './fake-graph-api.js';
import type { AnswerLateSpec, FaultSpec } from './graph-fault-plan.js';
import { parseObject, readBody, reply } from './json-http.js';

/**
 * The fake's `/__sim/*` endpoints: its records and counts, and fault
 * injection, for a benchmark or soak in another process (remote-fake-graph.ts).
 */
export async function handleSimControl(fake: FakeGraphApi, req: IncomingMessage, res: ServerResponse, path: string): Promise<void> {
  if (req.method === 'GET' && path === '/__sim/sent') return reply(res, 200, fake.sent);
  if (req.method === 'GET' && path === '/__sim/reads') return reply(res, 200, fake.reads);
  if (req.method === 'GET' && path === '/__sim/requests') return reply(res, 200, fake.requests);
  if (req.method === 'GET' && path === '/__sim/counts') return reply(res, 200, fake.counts);
  if (req.method === 'POST' && path === '/__sim/reset') {
    fake.reset();
    return reply(res, 200, { ok: true });
  }
  if (req.method === 'POST' && path === '/__sim/faults') {
    const body = parseObject(await readBody(req)) ?? {};
    const fail = body.failNext as (FaultSpec & { count?: number }) | undefined;
    if (fail) fake.failNext(fail.count ?? 1, fail);
    const late = body.answerLate as (AnswerLateSpec & { count?: number }) | undefined;
    if (late) fake.answerLateNext(late.count ?? 1, late);
    const random = body.randomFault as (FaultSpec & { rate?: number }) | undefined;
    if (random) fake.setRandomFaults(random.rate ?? 0, random);
    if (typeof body.latencyMs === 'number') {
      fake.setLatency(body.latencyMs, typeof body.latencyRequests === 'number' ? { requests: body.latencyRequests } : {});
    }
    return reply(res, 200, { ok: true });
  }
  reply(res, 404, { error: 'unknown simulator control path' });
}
