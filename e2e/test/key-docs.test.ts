/** docs/operations.md's table of Redis key families must be the one generated from the key catalogue. */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { keyFamiliesTable } from '@medcita/shared';
import { REPO_ROOT } from '@medcita/testkit';
import { tableIn } from '../../tools/key-docs/key-docs.js';

describe('key families docs', () => {
  it('docs/operations.md lists every key family as the catalogue does (npm run docs:keys -- --write)', () => {
    expect(tableIn(readFileSync(path.join(REPO_ROOT, 'docs/operations.md'), 'utf8'))).toBe(keyFamiliesTable());
  });
});
