// tsc copies only TypeScript; Lua scripts, JSON data and JSONL training files
// are read at run time from beside the compiled modules.
import { cpSync, existsSync, readdirSync, statSync } from 'node:fs';
import path from 'node:path';

const ASSET = /\.(lua|json|jsonl)$/;

function copyAssets(srcDir, outDir) {
  for (const entry of readdirSync(srcDir)) {
    const from = path.join(srcDir, entry);
    const to = path.join(outDir, entry);
    if (statSync(from).isDirectory()) copyAssets(from, to);
    else if (ASSET.test(entry)) cpSync(from, to);
  }
}

for (const ws of ['shared', 'ingress', 'workers']) {
  if (existsSync(`${ws}/src`)) copyAssets(`${ws}/src`, `${ws}/dist`);
}
