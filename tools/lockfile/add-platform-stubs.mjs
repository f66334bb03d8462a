// npm records only this machine's platform packages of napi-rs style optional
// dependencies (e.g. @unrs/resolver-binding-*), and the registry reachable here
// serves no others; `npm ci` then fails with "Missing: … from lock file".
// This adds an os/cpu-tagged optional entry for each missing one, so npm ci
// skips them by platform. Run after any `npm install` that rewrites the lock:
//   node tools/lockfile/add-platform-stubs.mjs
import { readFileSync, writeFileSync } from 'node:fs';

const CPUS = ['arm64', 'x64', 'ia32', 'arm', 'loong64', 'ppc64', 's390x', 'riscv64'];
const OSES = ['android', 'darwin', 'freebsd', 'linux', 'win32', 'openharmony'];

function platformOf(name) {
  const parts = name.split('/').pop().split('-');
  const os = parts.find((p) => OSES.includes(p));
  const cpu = parts.find((p) => CPUS.includes(p));
  if (!os || !cpu) return null;
  const abi = parts.slice(parts.indexOf(cpu) + 1).join('-');
  const libc = os === 'linux' ? (abi.includes('musl') ? ['musl'] : ['glibc']) : undefined;
  return { os: [os], cpu: [cpu], ...(libc ? { libc } : {}) };
}

const lock = JSON.parse(readFileSync('package-lock.json', 'utf8'));
const added = [];
for (const [, pkg] of Object.entries(lock.packages)) {
  for (const [dep, version] of Object.entries(pkg.optionalDependencies ?? {})) {
    const key = `node_modules/${dep}`;
    if (lock.packages[key]) continue;
    const platform = platformOf(dep);
    if (!platform || !/^\d+\.\d+\.\d+/.test(version)) continue;
    lock.packages[key] = { version, ...platform, optional: true };
    added.push(`${dep}@${version}`);
  }
}
lock.packages = Object.fromEntries(Object.entries(lock.packages).sort(([a], [b]) => (a === '' ? -1 : b === '' ? 1 : a.localeCompare(b))));
writeFileSync('package-lock.json', `${JSON.stringify(lock, null, 2)}\n`);
process.stdout.write(added.length ? `added ${added.length} platform stubs:\n  ${added.join('\n  ')}\n` : 'lockfile complete\n');
