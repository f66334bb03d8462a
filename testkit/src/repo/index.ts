export * from './import-graph.js';
