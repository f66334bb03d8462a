import path from 'node:path';
import { fileURLToPath } from 'node:url';

/** The repository checkout: where services are started from and where docs, deploy files and caches live. */
export const REPO_ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');
