import type { PipelineTexts } from './turn-runner.js';

/** Spanish texts the pipeline sends on its own (the dialog's texts live in dialog/locale). */
export const pipelineTextsEs: PipelineTexts = {
  apology: 'Perdón, tuve un problema con tu último mensaje 😓. ¿Me lo puedes escribir de nuevo?',
  slowDown: 'Recibí muchos mensajes seguidos 🙏. Espera un momento y te respondo; no hace falta repetirlos.',
};
