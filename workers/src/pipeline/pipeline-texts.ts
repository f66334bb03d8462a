import { es } from '../dialog/locale/es.js';
import type { PipelineTexts } from './turn-runner.js';

/** Spanish texts the pipeline sends on its own; they live with the dialog's in the locale file. */
export const pipelineTextsEs: PipelineTexts = es.pipeline;
