/** @type {import('jest').Config} */
module.exports = {
  testEnvironment: 'node',
  roots: ['<rootDir>/test'],
  testMatch: ['**/*.test.ts'],
  transform: {
    '^.+\\.tsx?$': ['ts-jest', { tsconfig: 'tsconfig.jest.json', diagnostics: false }],
  },
  // Integration tests start real processes (redis-server, moto_server, our server) on loopback;
  // two workers match the two cores these machines have.
  maxWorkers: 2,
  reporters: ['default', '<rootDir>/.ci/summary-reporter.js'],
  testTimeout: 60000,
  snapshotFormat: { escapeString: false, printBasicPrototype: false },
};
