// The simulator (`@medcita/testkit/simulator`) and the clinic contract server
// (`@medcita/testkit/clinic`) are subpaths: most tests need neither.
export * from './repo-root.js';
export * from './redis/index.js';
export * from './logging/index.js';
export * from './process/index.js';
export * from './repo/index.js';
export * from './wait.js';
