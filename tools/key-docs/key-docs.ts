import { readFileSync, writeFileSync } from 'node:fs';
import { keyFamiliesTable } from '@medcita/shared';

export const KEY_TABLE_START = '<!-- key-table:start -->';
export const KEY_TABLE_END = '<!-- key-table:end -->';

/** The table between the markers of a markdown file, trimmed. */
export function tableIn(markdown: string): string {
  const a = markdown.indexOf(KEY_TABLE_START);
  const b = markdown.indexOf(KEY_TABLE_END);
  if (a < 0 || b < 0) throw new Error(`needs ${KEY_TABLE_START} and ${KEY_TABLE_END} markers`);
  return markdown.slice(a + KEY_TABLE_START.length, b).trim();
}

/** Rewrites the table of `file` from the key catalogue. */
export function writeKeyTable(file: string): void {
  const markdown = readFileSync(file, 'utf8');
  tableIn(markdown);
  const a = markdown.indexOf(KEY_TABLE_START) + KEY_TABLE_START.length;
  writeFileSync(file, `${markdown.slice(0, a)}\n${keyFamiliesTable()}\n${markdown.slice(markdown.indexOf(KEY_TABLE_END))}`);
}
