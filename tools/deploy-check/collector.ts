// The collector every deployment check writes to: the findings, the checks
// that ran and those that could not run here.
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import YAML from 'yaml';

/** One finding: the file it is about and what is wrong. */
export interface Problem {
  file: string;
  message: string;
}

export interface ValidationReport {
  problems: Problem[];
  /** Checks that ran, for the summary line. */
  checks: string[];
  /** Checks that could not run here (e.g. kubectl missing), with the reason. */
  skipped: string[];
}

export type Obj = Record<string, any>;

export interface ValidateOptions {
  /** Run `kubectl kustomize` on each kustomization when kubectl is installed (default true). */
  kubectl?: boolean;
}

export class Collector {
  readonly problems: Problem[] = [];
  readonly checks: string[] = [];
  readonly skipped: string[] = [];
  constructor(
    readonly root: string,
    readonly options: ValidateOptions,
  ) {}
  add(file: string, message: string): void {
    this.problems.push({ file, message });
  }
  expect(cond: unknown, file: string, message: string): void {
    if (!cond) this.add(file, message);
  }
  read(file: string): string | undefined {
    const abs = path.join(this.root, file);
    if (!existsSync(abs)) {
      this.add(file, 'missing');
      return undefined;
    }
    return readFileSync(abs, 'utf8');
  }
  /** All documents of a YAML file; syntax errors and duplicate keys are problems. */
  yamlDocs(file: string): Obj[] {
    const text = this.read(file);
    if (text === undefined) return [];
    const docs = YAML.parseAllDocuments(text, { uniqueKeys: true, merge: true });
    const out: Obj[] = [];
    for (const doc of docs) {
      for (const err of doc.errors) this.add(file, `YAML: ${err.message}`);
      if (doc.errors.length === 0 && doc.contents !== null) out.push(doc.toJS() as Obj);
    }
    return out;
  }
}
