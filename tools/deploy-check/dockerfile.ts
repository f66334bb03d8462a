// Dockerfile and .dockerignore: slim Node LTS base, `npm ci` + build, an
// `--omit=dev` runtime per target, non-root numeric user, tini, no model baked in.
import type { Collector } from './collector.js';

export function dockerfileTargets(text: string): string[] {
  return [...text.matchAll(/^FROM\s+\S+\s+AS\s+(\S+)/gim)].map((m) => m[1]!.toLowerCase());
}

export function checkDockerfile(c: Collector): void {
  const file = 'Dockerfile';
  const text = c.read(file);
  if (text === undefined) return;
  c.checks.push('Dockerfile + .dockerignore');
  const froms = [...text.matchAll(/^FROM\s+(\S+)/gim)].map((m) => m[1]!);
  const baseArg = /^ARG\s+NODE_IMAGE=(\S+)/m.exec(text)?.[1];
  const bases = froms
    .map((f) => (f === '${NODE_IMAGE}' ? baseArg : f))
    .filter((f) => f && !dockerfileTargets(text).includes(f.toLowerCase()));
  c.expect(
    bases.length > 0 && bases.every((b) => /^node:20[.-].*slim/.test(b!)),
    file,
    `every base image must be node:20 slim (got ${bases.join(', ')})`,
  );
  c.expect(/RUN npm ci(?![^\n]*--omit=dev)/.test(text), file, 'build stage: npm ci (with dev dependencies)');
  c.expect(/npm run build/.test(text), file, 'build stage: npm run build');
  c.expect(/npm ci[^\n]*--omit=dev/.test(text), file, 'runtime stage: npm ci --omit=dev');
  const users = [...text.matchAll(/^USER\s+(\S+)/gm)].map((m) => m[1]!);
  c.expect(
    users.length > 0 && users.every((u) => /^[1-9]\d*(:\d+)?$/.test(u)),
    file,
    'USER must be a numeric non-root uid (Kubernetes runAsNonRoot checks it)',
  );
  c.expect(/ENTRYPOINT\s+\[\s*"\/usr\/bin\/tini"/.test(text), file, 'tini as the entrypoint (signal forwarding)');
  c.expect(!/COPY[^\n]*(models|\.cache)/i.test(text), file, 'no model files copied into the image');
  for (const t of ['ingress', 'workers']) c.expect(dockerfileTargets(text).includes(t), file, `stage "${t}"`);
  const ignore = (c.read('.dockerignore') ?? '').split('\n').map((l) => l.trim());
  for (const p of ['**/node_modules', '**/dist', '.env', '.git', 'models'])
    c.expect(ignore.includes(p), '.dockerignore', `must ignore ${p}`);
}
