// Production node_modules of each image target, measured without a Docker
// engine: for each target the Dockerfile's own steps are replayed in a
// temporary directory: the manifests its stages COPY from the build context,
// then its `RUN npm ci --omit=dev …` line as written (pruning included).
//   node tools/image-deps/measure.mjs [git-ref]   (default: the work tree)
// Prints one JSON line per target: MB, package count, which of the heavy or
// development packages are present, and the largest packages.
import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';

const ref = process.argv[2];
const read = (f) => (ref ? execFileSync('git', ['show', `${ref}:${f}`]) : readFileSync(f));

/** Dockerfile stages by name: their base and their instructions (continuation lines joined). */
function stages(dockerfile) {
  const out = new Map();
  let current;
  for (const line of dockerfile.replace(/\\\n/g, ' ').split('\n')) {
    const from = /^FROM\s+(\S+)(?:\s+AS\s+(\S+))?/i.exec(line);
    if (from) out.set((from[2] ?? from[1]).toLowerCase(), (current = { base: from[1].toLowerCase(), lines: [] }));
    else if (current && line.trim() && !line.startsWith('#')) current.lines.push(line.trim());
  }
  return out;
}

/** A target's instructions, its base stages' first. */
function chain(all, target) {
  const stage = all.get(target);
  return stage ? [...chain(all, stage.base), ...stage.lines] : [];
}

function size(p) {
  const st = statSync(p, { throwIfNoEntry: false });
  if (!st || st.isSymbolicLink()) return 0;
  if (!st.isDirectory()) return st.size;
  return readdirSync(p).reduce((n, e) => n + size(path.join(p, e)), 0);
}

function packages(nm) {
  return readdirSync(nm)
    .filter((e) => !e.startsWith('.'))
    .flatMap((e) => (e.startsWith('@') ? readdirSync(path.join(nm, e)).map((s) => `${e}/${s}`) : [e]));
}

const all = stages(read('Dockerfile').toString());
for (const target of ['ingress', 'workers']) {
  const dir = mkdtempSync(path.join(os.tmpdir(), `medcita-deps-${target}-`));
  try {
    const steps = chain(all, target);
    for (const copy of steps.filter((l) => /^COPY\s/i.test(l) && !/--from/.test(l))) {
      const srcs = copy.split(/\s+/).slice(1, -1);
      if (!srcs.every((s) => /(^|\/)(package\.json|package-lock\.json|\.npmrc)$/.test(s))) continue;
      for (const src of srcs) {
        mkdirSync(path.dirname(path.join(dir, src)), { recursive: true });
        writeFileSync(path.join(dir, src), read(src));
      }
    }
    const install = steps.find((l) => /^RUN\s+npm ci\b[^&]*--omit=dev/.test(l));
    if (!install) throw new Error(`${target}: no RUN npm ci --omit=dev in its stages`);
    const command = install.replace(/^RUN\s+/, '').replace(/&&\s*npm cache clean --force/, '');
    execFileSync('sh', ['-c', command], {
      cwd: dir,
      stdio: ['ignore', 'ignore', 'inherit'],
      env: { ...process.env, ONNXRUNTIME_NODE_INSTALL: 'skip', NODE_ENV: 'production' },
    });
    const nm = path.join(dir, 'node_modules');
    const pkgs = packages(nm);
    const has = (p) => pkgs.includes(p);
    const largest = pkgs
      .map((p) => [p, size(path.join(nm, p))])
      .sort((a, b) => b[1] - a[1])
      .slice(0, 5)
      .map(([p, b]) => `${p} ${(b / 1e6).toFixed(1)} MB`);
    const line = {
      ref: ref ?? 'worktree',
      target,
      install: command.replace(/\s+/g, ' ').trim(),
      mb: +(size(nm) / 1e6).toFixed(1),
      packages: pkgs.length,
      present: ['express', '@bull-board/api', '@huggingface/transformers', 'onnxruntime-node', 'sharp', 'typescript', 'pino-pretty'].filter(
        has,
      ),
      largest,
    };
    process.stdout.write(`${JSON.stringify(line)}\n`);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
