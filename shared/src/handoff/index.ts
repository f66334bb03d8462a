export { HandoffStore, type Handoff, type HandoffStoreOptions } from './handoff-store.js';
