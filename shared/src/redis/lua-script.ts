import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { allAnswered } from './all-answered.js';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { RedisClient } from './connection.js';

/**
 * A Lua script kept in its own file named `verbNoun-<numKeys>.lua` next to the
 * code that uses it; the name and key count come from the file name so they
 * cannot drift from the script's header.
 */
export interface LuaScript {
  readonly name: string;
  readonly numberOfKeys: number;
  readonly lua: string;
  readonly sha: string;
}

const FILE_NAME = /^([A-Za-z][A-Za-z0-9]*)-(\d+)\.lua$/;
const INCLUDE = /^--#include (\S+)[ \t]*$/gm;

/**
 * The file's text with each `--#include <path>` line (relative to the file)
 * replaced by that file's text: Redis Lua has no `require`, and two scripts
 * that must store the same data alike share one source (e.g.
 * recordLines.lib.lua). The SHA is that of the text sent.
 */
function readLua(file: string): string {
  return readFileSync(file, 'utf8').replace(INCLUDE, (_, rel: string) => readLua(path.resolve(path.dirname(file), rel)));
}

export function luaScript(moduleUrl: string, relativePath: string): LuaScript {
  const file = path.resolve(path.dirname(fileURLToPath(moduleUrl)), relativePath);
  const match = FILE_NAME.exec(path.basename(file));
  if (!match) throw new Error(`Lua file name must be verbNoun-<numKeys>.lua: ${file}`);
  const lua = readLua(file);
  return { name: match[1]!, numberOfKeys: Number(match[2]), lua, sha: createHash('sha1').update(lua).digest('hex') };
}

/**
 * EVALSHA, falling back to EVAL (which also caches the script) when this
 * Redis node has not seen it: after a restart, a failover or on a new
 * cluster node. Deliberately not ioredis `defineCommand`: with
 * auto-pipelining, a pipeline opened before a command was defined lacks it,
 * and ioredis then fails every callback of that pipeline.
 */
export async function runScript<T = unknown>(
  redis: RedisClient,
  script: LuaScript,
  keys: readonly string[],
  args: readonly (string | number)[] = [],
): Promise<T> {
  if (keys.length !== script.numberOfKeys) {
    throw new Error(`${script.name} takes ${script.numberOfKeys} keys, got ${keys.length}`);
  }
  try {
    return (await redis.evalsha(script.sha, script.numberOfKeys, ...keys, ...args)) as T;
  } catch (err) {
    if (!String((err as Error).message).startsWith('NOSCRIPT')) throw err;
    return (await redis.eval(script.lua, script.numberOfKeys, ...keys, ...args)) as T;
  }
}

/**
 * One script over several key sets, the calls sent together: on a coalescing
 * connection (the worker's, coalesce-writes.ts) one write and one round trip
 * instead of one per call. The calls stand alone (not MULTI); on a Redis
 * Cluster all their keys must share one slot. A call the node answers
 * NOSCRIPT is run again with its text (`runScript`); any other error is
 * thrown after every call has answered.
 */
export async function runScriptPipelined<T = unknown>(
  redis: RedisClient,
  script: LuaScript,
  calls: readonly { keys: readonly string[]; args?: readonly (string | number)[] }[],
): Promise<T[]> {
  for (const c of calls) {
    if (c.keys.length !== script.numberOfKeys) throw new Error(`${script.name} takes ${script.numberOfKeys} keys, got ${c.keys.length}`);
  }
  return allAnswered(calls.map((c) => runScript<T>(redis, script, c.keys, c.args)));
}
