import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { NodeService } from '@medcita/testkit';

/** Each entry prints the flags its node was started with, then waits to be stopped. */
const PRINT_FLAGS = `console.log(JSON.stringify({ msg: 'flags', execArgv: process.execArgv })); setInterval(() => undefined, 1000);\n`;

describe(NodeService.name, () => {
  let dir: string;
  beforeAll(() => {
    dir = mkdtempSync(path.join(os.tmpdir(), 'node-service-'));
    writeFileSync(path.join(dir, 'compiled.js'), PRINT_FLAGS);
    writeFileSync(path.join(dir, 'source.ts'), `const typed: string = 'ts';\nvoid typed;\n${PRINT_FLAGS}`);
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  async function flagsOf(entry: string): Promise<string[]> {
    const service = await NodeService.start({ name: 'probe', entry, ready: (line) => line.json?.msg === 'flags' });
    try {
      return service.readyLine!.json!.execArgv as string[];
    } finally {
      await service.stop();
    }
  }

  it('runs a TypeScript entry through tsx with the source condition', async () => {
    const flags = await flagsOf(path.join(dir, 'source.ts'));
    expect(flags).toEqual(expect.arrayContaining(['--conditions=source', '--import', 'tsx']));
  });

  it('runs compiled JavaScript on plain node, as the images do (bench --built)', async () => {
    const flags = await flagsOf(path.join(dir, 'compiled.js'));
    expect(flags).not.toContain('tsx');
    expect(flags).not.toContain('--conditions=source');
  });
});
