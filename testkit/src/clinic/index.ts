export * from './contract-server.js';
