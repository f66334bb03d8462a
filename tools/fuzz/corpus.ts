import { readdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { entryName, type CorpusEntry } from './run-fuzz.js';

/** Every corpus file, crashes included, in name order. */
export function loadCorpus(dir: string): CorpusEntry[] {
  return readdirSync(dir)
    .filter((f) => f.endsWith('.json'))
    .sort()
    .map((f) => JSON.parse(readFileSync(path.join(dir, f), 'utf8')) as CorpusEntry);
}

/** Writes `entry` as `<kind>-<hash>.json`; returns the file name. */
export function saveEntry(dir: string, entry: CorpusEntry): string {
  const name = entryName(entry);
  writeFileSync(path.join(dir, name), `${JSON.stringify(entry, null, 2)}\n`);
  return name;
}
