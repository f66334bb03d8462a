/** Every root npm script is documented: in tools/README.md and in the README's commands table. */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { REPO_ROOT } from '@medcita/testkit';

const read = (f: string) => readFileSync(path.join(REPO_ROOT, f), 'utf8');
const scripts = Object.keys((JSON.parse(read('package.json')) as { scripts: Record<string, string> }).scripts);

/** The part of a markdown file from `heading` to the next heading of the same level. */
function section(markdown: string, heading: string): string {
  const start = markdown.indexOf(`\n${heading}\n`);
  if (start < 0) throw new Error(`no "${heading}" section`);
  const level = heading.split(' ')[0]!;
  const next = markdown.indexOf(`\n${level} `, start + heading.length + 2);
  return markdown.slice(start, next < 0 ? undefined : next);
}

/** Script names a commands table mentions: `npm run x …`, `npm test`, or a bare `x` code span. */
export function commandsIn(markdown: string): Set<string> {
  const names = new Set<string>();
  for (const line of markdown.split('\n').filter((l) => l.startsWith('|'))) {
    const firstCell = line.split(/(?<!\\)\|/)[1] ?? '';
    for (const [, span] of firstCell.matchAll(/`([^`]+)`/g)) {
      const m = /^(?:npm run |npm )?([\w:.-]+)/.exec(span!);
      if (m) names.add(m[1]!);
    }
  }
  return names;
}

describe('command docs', () => {
  it('package.json has scripts to check', () => {
    expect(scripts).toEqual(expect.arrayContaining(['build', 'test', 'validate:deploy']));
  });

  it('tools/README.md lists every npm script', () => {
    const listed = commandsIn(section(read('tools/README.md'), '## Commands'));
    expect(scripts.filter((s) => !listed.has(s))).toEqual([]);
  });

  it("the README's commands table lists every npm script", () => {
    const listed = commandsIn(section(read('README.md'), '## Commands'));
    expect(scripts.filter((s) => !listed.has(s))).toEqual([]);
  });

  it('a script missing from a table is reported', () => {
    expect(commandsIn('| `npm run dev` / `chat` | x |\n| `npm test` | y |\n| `npm run soak -- [--handler echo\\|dialog]` | z |')).toEqual(
      new Set(['dev', 'chat', 'test', 'soak']),
    );
  });
});
