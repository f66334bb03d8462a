import { content, inbound, signBody, webhookBody } from '@medcita/testkit/simulator';
import autocannon from 'autocannon';
import { measureCpu, type CpuProbe } from './lib/cpu.js';

export const APP_SECRET = 'bench-app-secret';

interface Signed {
  body: string;
  signature: string;
}

/**
 * Signed deliveries, handed out in order. `fill()` signs ahead of a phase so
 * the load generator does not pay for it; a pool that runs dry either wraps
 * around (the baseline: bare Express does not care) or signs on the fly and
 * counts it (the ingress: a repeated wamid would be a cheaper duplicate).
 */
export class BodyPool {
  private readonly bodies: Signed[] = [];
  private next = 0;
  signedDuringLoad = 0;
  constructor(
    private readonly sessions: number,
    private readonly wrap: boolean,
  ) {}

  fill(total: number): void {
    while (this.bodies.length < total) this.bodies.push(this.sign(this.bodies.length));
  }

  take(): Signed {
    if (this.next < this.bodies.length) return this.bodies[this.next++]!;
    if (this.wrap) return this.bodies[this.next++ % this.bodies.length]!;
    this.signedDuringLoad += 1;
    return this.sign(this.next++);
  }

  get used(): number {
    return this.next;
  }

  private sign(i: number): Signed {
    const s = i % this.sessions;
    const user = { waId: `5918${String(s).padStart(8, '0')}`, name: `Bench ${s}` };
    const body = JSON.stringify(webhookBody([inbound(user, content.text(`bench message ${i}`))]));
    return { body, signature: signBody(APP_SECRET, body) };
  }
}

export interface PhaseResult {
  target: string;
  phase: 'max' | 'rate';
  offeredRate: number | null;
  connections: number;
  durationS: number;
  requests: number;
  reqPerSec: number;
  latencyMs: { p50: number; p90: number; p99: number; max: number; mean: number };
  errors: number;
  timeouts: number;
  non2xx: number;
  cpuPercentOfOneCore: Record<string, number | null>;
  /** CPU time of the server process per answered request: steadier than req/s on a busy machine. */
  serverCpuMsPerRequest: number | null;
}

/** How hard a phase pushes: closed-loop connections, and for "rate" the offered req/s. */
export interface LoadShape {
  connections: number;
  rate: number;
}

/** One phase of autocannon against `port`'s /webhook, with the CPU the probes saw. */
export async function load(
  target: string,
  port: number,
  pool: BodyPool,
  phase: 'max' | 'rate',
  seconds: number,
  probes: CpuProbe[],
  shape: LoadShape,
): Promise<PhaseResult> {
  const opts: autocannon.Options = {
    url: `http://127.0.0.1:${port}/webhook`,
    connections: shape.connections,
    duration: seconds,
    ...(phase === 'rate' ? { overallRate: shape.rate } : {}),
    requests: [
      {
        method: 'POST',
        setupRequest: (req) => {
          const s = pool.take();
          return {
            ...req,
            body: s.body,
            headers: { 'content-type': 'application/json', 'user-agent': 'facebookexternalua', 'x-hub-signature-256': s.signature },
          };
        },
      },
    ],
  };
  const { result: r, cpuPercent, wallMs } = await measureCpu(probes, () => autocannon(opts));
  const serverPct = probes.length > 0 ? cpuPercent[probes[0]!.name] : null;
  const round = (n: number) => Math.round(n * 100) / 100;
  return {
    target,
    phase,
    offeredRate: phase === 'rate' ? shape.rate : null,
    connections: shape.connections,
    durationS: r.duration,
    requests: r.requests.total,
    reqPerSec: Math.round(r.requests.total / r.duration),
    latencyMs: {
      p50: round(r.latency.p50),
      p90: round(r.latency.p90),
      p99: round(r.latency.p99),
      max: round(r.latency.max),
      mean: round(r.latency.mean),
    },
    errors: r.errors,
    timeouts: r.timeouts,
    non2xx: r.non2xx,
    cpuPercentOfOneCore: cpuPercent,
    serverCpuMsPerRequest:
      serverPct == null || r.requests.total === 0 ? null : Math.round((((serverPct / 100) * wallMs) / r.requests.total) * 1000) / 1000,
  };
}
