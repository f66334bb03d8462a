import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { importsOf, REPO_ROOT, sourceFiles } from '@medcita/testkit';

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
