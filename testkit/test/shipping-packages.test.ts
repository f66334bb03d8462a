import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { importsOf, REPO_ROOT, sourceFiles } from '@medcita/testkit';

interface LockEntry {
  link?: boolean;
  resolved?: string;
  dependencies?: Record<string, string>;
  optionalDependencies?: Record<string, string>;
}
const lock = JSON.parse(readFileSync(path.join(REPO_ROOT, 'package-lock.json'), 'utf8')) as { packages: Record<string, LockEntry> };

/**
 * The packages `npm ci --omit=dev --workspace <ws>` installs for a workspace,
 * by the lockfile: its dependencies and optional dependencies, transitively,
 * each resolved the way Node does (nearest node_modules up the tree).
 * Optional peers are left out: npm keeps one that is installed anyway
 * (typescript, for Bull Board's valibot), and the Dockerfile deletes it.
 */
export function productionClosure(workspace: string, packages = lock.packages): Set<string> {
  const names = new Set<string>();
  const seen = new Set<string>();
  const locate = (from: string, dep: string): string | undefined => {
    for (let dir = from; ;) {
      const candidate = `${dir ? `${dir}/` : ''}node_modules/${dep}`;
      if (packages[candidate]) return candidate;
      if (!dir) return undefined;
      const i = dir.lastIndexOf('/node_modules/');
      dir = i >= 0 ? dir.slice(0, i) : '';
    }
  };
  const visit = (location: string): void => {
    if (seen.has(location)) return;
    seen.add(location);
    const entry = packages[location]!;
    if (entry.link && entry.resolved) return visit(entry.resolved);
    for (const dep of Object.keys({ ...entry.dependencies, ...entry.optionalDependencies })) {
      const at = locate(location, dep);
      if (!at) continue;
      names.add(dep);
      visit(at);
    }
  };
  visit(workspace);
  return names;
}

/** Packages a module loads at run time: static and dynamic imports and re-exports, not `import type`. */
export function runtimePackages(source: string): string[] {
  // Code inside template literals (an eval'd bootstrap) is not this module's import.
  const code = source.replace(/`(?:\\[\s\S]|[^`\\])*`/g, '``');
  const specs = [
    ...code.matchAll(/^\s*(?:import|export)\s+(?!type\s)(?:[^'";]*?\sfrom\s+)?'([^']+)'/gm),
    ...code.matchAll(/\bimport\(\s*'([^']+)'\s*\)/g),
  ].map((m) => m[1]!);
  return [
    ...new Set(
      specs
        .filter((spec) => !spec.startsWith('.') && !spec.startsWith('node:'))
        .map((spec) => (spec.startsWith('@') ? spec.split('/').slice(0, 2).join('/') : spec.split('/')[0]!)),
    ),
  ];
}

/** What ships in the images: these must run without the testkit installed. */
const SHIPPING = ['shared', 'ingress', 'workers'];
const TESTKIT_DIR = path.join(REPO_ROOT, 'testkit');

/** `file: specifier` for every import of the testkit under `srcDir`, by package name or by path. */
function testkitImports(srcDir: string): string[] {
  return sourceFiles(srcDir).flatMap((file) =>
    importsOf(file)
      .filter(
        (i) =>
          i.specifier === '@medcita/testkit' ||
          i.specifier.startsWith('@medcita/testkit/') ||
          i.resolved?.startsWith(TESTKIT_DIR + path.sep),
      )
      .map((i) => `${path.relative(REPO_ROOT, file)}: ${i.specifier}`),
  );
}

describe('shipping packages and the testkit', () => {
  it.each(SHIPPING)('%s/src imports nothing from the testkit', (pkg) => {
    expect(testkitImports(path.join(REPO_ROOT, pkg, 'src'))).toEqual([]);
  });

  it.each(SHIPPING)('%s does not depend on the testkit', (pkg) => {
    const manifest = JSON.parse(readFileSync(path.join(REPO_ROOT, pkg, 'package.json'), 'utf8')) as Record<
      string,
      Record<string, string> | undefined
    >;
    expect(Object.keys({ ...manifest.dependencies, ...manifest.optionalDependencies, ...manifest.peerDependencies })).not.toContain(
      '@medcita/testkit',
    );
  });

  it.each([
    ['ingress', ['@huggingface/transformers', 'onnxruntime-node', 'onnxruntime-web', 'sharp', 'typescript', 'pino-pretty']],
    ['workers', ['express', '@bull-board/api', '@bull-board/express', 'typescript', 'pino-pretty']],
    ['shared', ['express', '@huggingface/transformers', 'typescript', 'pino-pretty']],
  ])('the %s image installs none of what it does not run', (ws, absent) => {
    const closure = productionClosure(ws);
    expect(closure.size).toBeGreaterThan(5);
    expect(absent.filter((p) => closure.has(p))).toEqual([]);
  });

  it.each(SHIPPING)('%s declares exactly the packages its code imports', (pkg) => {
    const manifest = JSON.parse(readFileSync(path.join(REPO_ROOT, pkg, 'package.json'), 'utf8')) as {
      dependencies?: Record<string, string>;
    };
    const imported = new Set(sourceFiles(path.join(REPO_ROOT, pkg, 'src')).flatMap((f) => runtimePackages(readFileSync(f, 'utf8'))));
    const declared = Object.keys(manifest.dependencies ?? {});
    expect({
      undeclared: [...imported].filter((p) => !declared.includes(p)).sort(),
      unused: declared.filter((p) => !imported.has(p)).sort(),
    }).toEqual({
      undeclared: [],
      unused: [],
    });
  });

  it('reads runtime imports, not type-only ones', () => {
    const source = [
      "import { a } from 'pkg-a';",
      "import type { B } from 'pkg-b';",
      "import {\n  c,\n  type C,\n} from '@scope/c/sub';",
      "export * from 'pkg-d';",
      "import 'pkg-e';",
      "const f = await import('pkg-f');",
      "import { g } from './local.js';",
      "import fs from 'node:fs';",
      "router.post('/x', this.require('page'));",
      "const boot = `import('pkg-in-a-string').then(() => 1)`;",
    ].join('\n');
    expect(runtimePackages(source).sort()).toEqual(['@scope/c', 'pkg-a', 'pkg-d', 'pkg-e', 'pkg-f']);
  });

  it('follows nested and linked entries of the lockfile', () => {
    const closure = productionClosure('app', {
      app: { dependencies: { a: '1', lib: '*' } },
      'node_modules/a': { dependencies: { b: '2' } },
      'node_modules/a/node_modules/b': { optionalDependencies: { c: '1' } },
      'node_modules/b': { dependencies: { dev: '1' } },
      'node_modules/c': {},
      'node_modules/lib': { link: true, resolved: 'lib' },
      lib: { dependencies: { d: '1' } },
      'node_modules/d': {},
    });
    expect([...closure].sort()).toEqual(['a', 'b', 'c', 'd', 'lib']);
  });

  it('catches an import by package name, subpath or relative path', () => {
    const dir = mkdtempSync(path.join(os.tmpdir(), 'medcita-boundary-'));
    try {
      mkdirSync(path.join(dir, 'deep'));
      writeFileSync(path.join(dir, 'a.ts'), "import { testRedis } from '@medcita/testkit';\nexport const a = testRedis;\n");
      writeFileSync(path.join(dir, 'b.ts'), "export { FakeGraphApi } from '@medcita/testkit/simulator';\n");
      const rel = path.relative(path.join(dir, 'deep'), path.join(TESTKIT_DIR, 'src', 'index.js'));
      writeFileSync(path.join(dir, 'deep', 'c.ts'), `const kit = await import('${rel}');\nexport default kit;\n`);
      writeFileSync(path.join(dir, 'clean.ts'), "import { createLogger } from '@medcita/shared';\nexport const l = createLogger;\n");
      expect(testkitImports(dir).map((line) => line.split(':')[0]!.split(path.sep).pop())).toEqual(['a.ts', 'b.ts', 'c.ts']);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
