import { createHash } from 'node:crypto';
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { isIntent, isSpecialtyLabel, type Intent, type SpecialtyLabel } from './labels.js';

/** One labelled message: the line format of the data files and of `npm run nlu:eval`. */
export interface LabelledExample {
  readonly text: string;
  readonly intent: Intent;
  readonly specialty?: SpecialtyLabel;
}

const HERE = path.dirname(fileURLToPath(import.meta.url));

/** Folder of the hand-written data (beside this module in src/ and, after build, in dist/). */
export const DATA_DIR = path.join(HERE, 'data');
export const TRAIN_DIR = path.join(DATA_DIR, 'train');
export const DEV_FILE = path.join(DATA_DIR, 'dev.jsonl');

/** Parses JSONL text, naming the file and line of anything malformed. */
export function parseExamples(text: string, source: string): LabelledExample[] {
  const out: LabelledExample[] = [];
  text.split('\n').forEach((line, i) => {
    if (line.trim() === '') return;
    const where = `${source}:${i + 1}`;
    let row: { text?: unknown; intent?: unknown; specialty?: unknown };
    try {
      row = JSON.parse(line) as typeof row;
    } catch {
      throw new Error(`${where}: not JSON`);
    }
    if (typeof row.text !== 'string' || row.text.trim() === '') throw new Error(`${where}: "text" missing`);
    if (typeof row.intent !== 'string' || !isIntent(row.intent)) throw new Error(`${where}: unknown intent ${String(row.intent)}`);
    if (row.specialty !== undefined && (typeof row.specialty !== 'string' || !isSpecialtyLabel(row.specialty))) {
      throw new Error(`${where}: unknown specialty ${JSON.stringify(row.specialty)}`);
    }
    out.push(
      row.specialty === undefined
        ? { text: row.text, intent: row.intent }
        : { text: row.text, intent: row.intent, specialty: row.specialty },
    );
  });
  return out;
}

/** Reads one JSONL file of labelled examples. */
export function readExamplesFile(file: string): LabelledExample[] {
  return parseExamples(readFileSync(file, 'utf8'), path.basename(file));
}

export interface TrainingData {
  readonly examples: LabelledExample[];
  /** sha256 over file names and bytes, in name order. */
  readonly hash: string;
}

/** Every `*.jsonl` under the training folder, in a stable order, with its content hash. */
export function readTrainingData(dir: string = TRAIN_DIR): TrainingData {
  const files = readdirSync(dir)
    .filter((f) => f.endsWith('.jsonl'))
    .sort();
  const hash = createHash('sha256');
  const examples: LabelledExample[] = [];
  for (const f of files) {
    const text = readFileSync(path.join(dir, f), 'utf8');
    hash.update(f).update('\0').update(text).update('\0');
    examples.push(...parseExamples(text, f));
  }
  return { examples, hash: hash.digest('hex') };
}
