import path from 'node:path';
import { fileURLToPath } from 'node:url';

const HERE = path.dirname(fileURLToPath(import.meta.url));

/** workers/src/nlu and workers/dist/nlu sit at the same depth, so this holds for source and build. */
export const REPO_ROOT = path.resolve(HERE, '..', '..', '..');

/** Committed artifacts live beside the code so a worker starts without training. */
export const ARTIFACTS_DIR = path.join(HERE, 'artifacts');

/** File-name-safe form of a model id ("Xenova/multilingual-e5-small" → "xenova-multilingual-e5-small"). */
export function modelSlug(modelId: string): string {
  return modelId
    .toLowerCase()
    .replace(/[^a-z0-9.]+/g, '-')
    .replace(/^-+|-+$/g, '');
}

/** Where the artifact for a given encoder (or lexical-only, when null) is read from and written to by default. */
export function defaultArtifactPath(encoderId: string | null): string {
  return path.join(ARTIFACTS_DIR, encoderId === null ? 'lexical.json' : `encoder-${modelSlug(encoderId)}.json`);
}

/** Relative model folders resolve against the repository root, whatever the working directory. */
export function resolveFromRoot(p: string): string {
  return path.isAbsolute(p) ? p : path.resolve(REPO_ROOT, p);
}
