// Dockerfile and .dockerignore: slim base on the current Node LTS, `npm ci` +
// build, each target installing only its own workspace's production
// dependencies and copying only its own code, non-root numeric user, tini,
// no model baked in.
import type { Collector } from './collector.js';

/** The Node major of the images: the current LTS. The code itself supports package.json's engines range (Node 20 up). */
export const IMAGE_NODE_MAJOR = 24;
const TARGETS = ['ingress', 'workers'] as const;

/** The instructions of one stage, from its FROM line to the next. */
function stageText(text: string, name: string): string {
  const start = new RegExp(`^FROM\\s+\\S+\\s+AS\\s+${name}\\s*$`, 'im').exec(text);
  if (!start) return '';
  const rest = text.slice(start.index + start[0].length);
  const next = /^FROM\s/im.exec(rest);
  return next ? rest.slice(0, next.index) : rest;
}

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
    bases.length > 0 && bases.every((b) => new RegExp(`^node:${IMAGE_NODE_MAJOR}[.-].*slim`).test(b!)),
    file,
    `every base image must be node:${IMAGE_NODE_MAJOR} slim (got ${bases.join(', ')})`,
  );
  c.expect(/RUN npm ci(?![^\n]*--omit=dev)/.test(text), file, 'build stage: npm ci (with dev dependencies)');
  c.expect(/npm run build/.test(text), file, 'build stage: npm run build');
  for (const t of TARGETS) {
    const stage = stageText(text.replace(/\\\n/g, ' '), t);
    const other = TARGETS.find((o) => o !== t)!;
    c.expect(
      new RegExp(`RUN npm ci[^\\n]*--omit=dev[^\\n]*--workspace ${t}\\b`).test(stage),
      file,
      `stage "${t}": npm ci --omit=dev --workspace ${t} (only its own production dependencies)`,
    );
    c.expect(!new RegExp(`COPY[^\\n]*\\b${other}/`).test(stage), file, `stage "${t}": copies nothing of ${other}/`);
  }
  const users = [...text.matchAll(/^USER\s+(\S+)/gm)].map((m) => m[1]!);
  c.expect(
    users.length > 0 && users.every((u) => /^[1-9]\d*(:\d+)?$/.test(u)),
    file,
    'USER must be a numeric non-root uid (Kubernetes runAsNonRoot checks it)',
  );
  c.expect(/ENTRYPOINT\s+\[\s*"\/usr\/bin\/tini"/.test(text), file, 'tini as the entrypoint (signal forwarding)');
  c.expect(!/COPY[^\n]*(models|\.cache)/i.test(text), file, 'no model files copied into the image');
  for (const t of TARGETS) c.expect(dockerfileTargets(text).includes(t), file, `stage "${t}"`);
  const ignore = (c.read('.dockerignore') ?? '').split('\n').map((l) => l.trim());
  for (const p of ['**/node_modules', '**/dist', '.env', '.git', 'models'])
    c.expect(ignore.includes(p), '.dockerignore', `must ignore ${p}`);
}
