/** One root `npm test` runs every workspace's suites against real Redis. */
const project = (name) => ({
  displayName: name,
  rootDir: name,
  testEnvironment: '<rootDir>/../tools/jest/node-env.cjs',
  extensionsToTreatAsEsm: ['.ts'],
  testMatch: ['<rootDir>/test/**/*.test.ts', '<rootDir>/src/**/*.test.ts'],
  moduleNameMapper: {
    '^@medcita/shared$': '<rootDir>/../shared/src/index.ts',
    '^@medcita/shared/(.*)$': '<rootDir>/../shared/src/$1/index.ts',
    '^@medcita/testkit$': '<rootDir>/../testkit/src/index.ts',
    '^@medcita/testkit/(.*)$': '<rootDir>/../testkit/src/$1/index.ts',
    '^@medcita/workers/(.*)$': '<rootDir>/../workers/src/$1/index.ts',
    '^(\\.{1,2}/.*)\\.js$': '$1',
  },
  transform: {
    '^.+\\.ts$': ['ts-jest', { useESM: true, tsconfig: '<rootDir>/../tsconfig.test.json' }],
  },
});

export default {
  projects: ['shared', 'ingress', 'workers', 'testkit', 'e2e'].map(project),
  // Generous: suites spawn real processes, and a loaded machine must fail with a diagnostic, not a bare timeout.
  testTimeout: 120_000,
  globalSetup: './tools/jest/redis-setup.cjs',
  globalTeardown: './tools/jest/redis-teardown.cjs',
  // A leaked handle must not hang CI for its whole budget; leaks still print a warning.
  forceExit: true,
};
