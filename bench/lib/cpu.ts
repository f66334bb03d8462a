import { readFileSync } from 'node:fs';
import type { Redis } from 'ioredis';

/** Linux USER_HZ; 100 on every mainstream kernel build. */
const TICKS_PER_SECOND = 100;

/** user+system CPU time of a process, in ms (Linux /proc); undefined elsewhere or once it is gone. */
export function processCpuMs(pid: number): number | undefined {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    // Fields after the ")" that closes the command name; utime and stime are the 12th and 13th there.
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    return ((Number(fields[11]) + Number(fields[12])) * 1000) / TICKS_PER_SECOND;
  } catch {
    return undefined;
  }
}

/** used_cpu_sys + used_cpu_user of the Redis server (all clients, not only ours), in ms. */
export async function redisCpuMs(redis: Redis): Promise<number> {
  const info = await redis.info('cpu');
  const read = (name: string) => Number(new RegExp(`^${name}:([\\d.]+)`, 'm').exec(info.replace(/\r/g, ''))?.[1] ?? NaN);
  return (read('used_cpu_sys') + read('used_cpu_user')) * 1000;
}

export interface CpuProbe {
  name: string;
  read(): number | undefined | Promise<number | undefined>;
}

/** Samples several CPU counters around a measurement and turns them into "% of one core". */
export async function measureCpu<T>(
  probes: CpuProbe[],
  run: () => Promise<T>,
): Promise<{ result: T; cpuPercent: Record<string, number | null>; wallMs: number }> {
  const before = await Promise.all(probes.map(async (p) => p.read()));
  const t0 = performance.now();
  const result = await run();
  const wallMs = performance.now() - t0;
  const after = await Promise.all(probes.map(async (p) => p.read()));
  const cpuPercent: Record<string, number | null> = {};
  probes.forEach((p, i) => {
    const a = before[i];
    const b = after[i];
    cpuPercent[p.name] = a === undefined || b === undefined ? null : Math.round(((b - a) / wallMs) * 1000) / 10;
  });
  return { result, cpuPercent, wallMs };
}

/** CPU of this process (the load generator / measuring side). */
export const selfCpuProbe = (name = 'bench process'): CpuProbe => ({
  name,
  read: () => {
    const u = process.cpuUsage();
    return (u.user + u.system) / 1000;
  },
});
