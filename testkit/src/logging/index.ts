export * from './capture-logger.js';
