/**
 * `--#include` in a Lua script file: Redis Lua has no `require`, so two
 * scripts that store the same data (recordTranscript-2, commitTurn-9) paste
 * one shared source (recordLines.lib.lua) instead of keeping two copies.
 */
import { randomUUID } from 'node:crypto';
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { testRedis } from '@medcita/testkit';
import type { Redis } from 'ioredis';
import { luaScript, runScript } from '../../src/index.js';

describe('luaScript includes', () => {
  let redis: Redis;
  const key = `test:{lua-include-${randomUUID()}}`;
  beforeAll(() => (redis = testRedis()));
  afterAll(async () => {
    await redis.del(key);
    redis.disconnect();
  });

  it('pastes an included file, relative to the script, into the text that is sent and hashed', async () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'lua-'));
    mkdirSync(path.join(dir, 'lib'));
    writeFileSync(path.join(dir, 'lib', 'double.lib.lua'), `-- ${randomUUID()}\nlocal function double(n) return 2 * n end\n`);
    writeFileSync(
      path.join(dir, 'setDouble-1.lua'),
      `--#include lib/double.lib.lua\nreturn redis.call('INCRBY', KEYS[1], double(tonumber(ARGV[1])))\n`,
    );
    const script = luaScript(pathToFileURL(path.join(dir, 'x.ts')).href, './setDouble-1.lua');
    expect(script.lua).not.toContain('--#include');
    expect(script.lua).toContain('local function double');
    expect(await runScript<number>(redis, script, [key], [21])).toBe(42);
  });

  it('fails at load time when an included file is missing', () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'lua-'));
    writeFileSync(path.join(dir, 'broken-0.lua'), `--#include nowhere.lib.lua\nreturn 1\n`);
    expect(() => luaScript(pathToFileURL(path.join(dir, 'x.ts')).href, './broken-0.lua')).toThrow(/nowhere\.lib\.lua/);
  });
});
