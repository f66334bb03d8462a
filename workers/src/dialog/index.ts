export { DialogTurnHandler } from './dialog-turn-handler.js';
export type { DialogDeps, DialogOptions, HandoffPort } from './actions/action-context.js';
export { dialogSchema, type DialogConfig } from './dialog-config.js';
export { IdentityGuard, type IdentityLimiter } from './identity-guard.js';
export { parseBirthDate } from './birth-date.js';
export { es, type DialogTexts } from './locale/es.js';
export { ClinicDateFormatter, type SpokenWhen } from './locale/dates.js';
export { TRANSITIONS, GLOBAL, transitionFor, type Transition } from './transitions.js';
export { STEPS, type Step, type DialogState } from './dialog-state.js';
