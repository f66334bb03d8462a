/** The NLU artifact cannot serve this worker (wrong labels, encoder or format); the worker must not start. */
export class NluArtifactError extends Error {
  readonly code = 'NLU_ARTIFACT_MISMATCH';
  constructor(message: string) {
    super(message);
    this.name = 'NluArtifactError';
  }
}
