/** The README's configuration table and .env.example must match what the services actually read. */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { collectEnvDocs, envTableMarkdown } from '../../tools/env-docs/env-table.js';
import { REPO_ROOT } from '@medcita/testkit';

const read = (f: string) => readFileSync(path.join(REPO_ROOT, f), 'utf8');

describe('configuration docs', () => {
  it('README table is the one generated from the schemas (npm run docs:env -- --write)', () => {
    const readme = read('README.md');
    const table = readme.slice(readme.indexOf('<!-- env-table:start -->') + 24, readme.indexOf('<!-- env-table:end -->')).trim();
    expect(table).toBe(envTableMarkdown());
  });

  it('.env.example mentions every variable, and no unknown one', () => {
    const example = read('.env.example');
    const names = collectEnvDocs().map((d) => d.name);
    const listed = [...example.matchAll(/^#?\s*([A-Z][A-Z0-9_]+)=/gm)].map((m) => m[1]);
    expect(names.filter((n) => !listed.includes(n))).toEqual([]);
    expect(listed.filter((n) => !names.includes(n!))).toEqual([]);
  });
});
