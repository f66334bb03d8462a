import { spawnSync, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { freePort, spawnRedis } from './redis-server.js';
import { Cluster, Redis } from 'ioredis';

/** A throwaway Redis Cluster of N masters (no replicas) on loopback ports. */
export interface RedisClusterHandle {
  nodes: { host: string; port: number }[];
  /** `host:port,host:port,…`: the value of `REDIS_CLUSTER_NODES`. */
  nodesSpec: string;
  /** A cluster-aware client (the caller disconnects it). */
  connect(): Cluster;
  /** Kills every node and removes their files; safe to call twice. */
  stop(): Promise<void>;
}

/** Why a cluster cannot be started here, or null when redis-server and redis-cli are both installed. */
export function redisClusterUnavailable(): string | null {
  for (const bin of ['redis-server', 'redis-cli']) {
    if (spawnSync(bin, ['--version']).status !== 0) return `${bin} is not installed (apt-get install redis-server)`;
  }
  return null;
}

async function clusterState(port: number): Promise<string> {
  const r = new Redis({ host: '127.0.0.1', port, maxRetriesPerRequest: 1 });
  r.on('error', () => undefined);
  try {
    const info = (await r.call('CLUSTER', 'INFO')) as string;
    return /cluster_state:(\w+)/.exec(info)?.[1] ?? 'unknown';
  } finally {
    r.disconnect();
  }
}

async function until(cond: () => Promise<boolean>, timeoutMs: number, what: string): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await cond())) {
    if (Date.now() > deadline) throw new Error(`redis cluster: timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

/**
 * Starts `masters` redis-server processes with `--cluster-enabled yes` (client
 * and bus ports picked free on 127.0.0.1), joins them with
 * `redis-cli --cluster create` and waits until every node reports
 * `cluster_state:ok`. Nothing persists: the temp dir goes with `stop()`.
 */
export async function startRedisCluster(masters = 3): Promise<RedisClusterHandle> {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'medcita-cluster-'));
  const children: ChildProcess[] = [];
  const nodes: { host: string; port: number }[] = [];
  let stopped = false;
  const stop = async (): Promise<void> => {
    if (stopped) return;
    stopped = true;
    await Promise.all(
      children.map((child) => {
        if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve();
        const exited = new Promise((r) => child.once('exit', r));
        child.kill('SIGKILL');
        return exited;
      }),
    );
    rmSync(dir, { recursive: true, force: true });
  };
  try {
    for (let i = 0; i < masters; i++) {
      // A fresh bus port per attempt: a collision on either port makes redis exit and retry.
      const { child, port } = await spawnRedis(dir, async () => [
        '--cluster-port',
        String(await freePort()),
        '--cluster-enabled',
        'yes',
        '--cluster-config-file',
        `nodes-${i}-${Date.now()}.conf`,
        '--cluster-node-timeout',
        '5000',
      ]);
      children.push(child);
      nodes.push({ host: '127.0.0.1', port });
    }

    const create = spawnSync(
      'redis-cli',
      ['--cluster', 'create', ...nodes.map((n) => `${n.host}:${n.port}`), '--cluster-replicas', '0', '--cluster-yes'],
      { encoding: 'utf8', timeout: 30_000 },
    );
    if (create.status !== 0) throw new Error(`redis-cli --cluster create failed: ${create.stdout}${create.stderr}`);
    for (const n of nodes) {
      await until(async () => (await clusterState(n.port)) === 'ok', 15_000, `node ${n.port} to report cluster_state:ok`);
    }
  } catch (err) {
    await stop();
    throw err;
  }
  const nodesSpec = nodes.map((n) => `${n.host}:${n.port}`).join(',');
  return {
    nodes,
    nodesSpec,
    connect: () => new Cluster(nodes, { redisOptions: { maxRetriesPerRequest: 2 } }),
    stop,
  };
}
