import path from 'node:path';
import { importCycles, importGraph, REPO_ROOT } from '@medcita/testkit';

const SRC = path.join(REPO_ROOT, 'workers', 'src');

describe('workers/src imports', () => {
  it('form no cycle', () => {
    const cycles = importCycles(importGraph(SRC)).map((c) => c.map((f) => path.relative(SRC, f).split(path.sep).join('/')));
    expect(cycles).toEqual([]);
  });

  it('a cycle is found however long it is, and a chain is not one', () => {
    const graph = new Map([
      ['a', ['b']],
      ['b', ['c']],
      ['c', ['a', 'd']],
      ['d', ['e']],
      ['e', []],
      ['self', ['self']],
    ]);
    expect(importCycles(graph)).toEqual([['a', 'b', 'c'], ['self']]);
  });
});
