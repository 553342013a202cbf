/** Two projects: pure modules (no database) and the server (real PostgreSQL, started in globalSetup). */
const swc = [
  '@swc/jest',
  {
    jsc: {
      parser: { syntax: 'typescript', tsx: true },
      transform: { useDefineForClassFields: false, react: { runtime: 'automatic' } },
      target: 'es2022',
    },
    module: { type: 'commonjs' },
  },
];
const common = {
  transform: { '^.+\\.(t|j)sx?$': swc },
  // fastify's light-my-request pulls the ESM-only `cookie` 2.x; typebox 1.x ships ESM too.
  transformIgnorePatterns: ['/node_modules/(?!(cookie|content-disposition)/)'],
  moduleNameMapper: { '^@guanjia/shared$': '<rootDir>/shared/src/index.ts', '^@guanjia/shared/(.*)$': '<rootDir>/shared/src/$1' },
  testEnvironment: 'node',
};
module.exports = {
  // argon2, browser tests and a busy 2-core machine can push a test past jest's 5 s default
  testTimeout: 30000,
  // Test files are independent (each server file clones its own database), and most of a server test's time is spent
  // waiting on PostgreSQL: jest's default on 2 cores (cores - 1 = one worker, in band) leaves the CPU idle.
  // `--maxWorkers=<n>` or `-i` (in band) on the command line overrides it.
  maxWorkers: 3,
  projects: [
    { ...common, displayName: 'shared', rootDir: __dirname, testMatch: ['<rootDir>/shared/src/**/*.test.ts', '<rootDir>/miniapp/src/**/*.test.ts'] },
    {
      ...common,
      displayName: 'server',
      rootDir: __dirname,
      testMatch: ['<rootDir>/server/**/*.test.ts', '<rootDir>/e2e/**/*.e2e.test.ts'],
      globalSetup: '<rootDir>/server/test/global-setup.ts',
      globalTeardown: '<rootDir>/server/test/global-teardown.ts',
      setupFiles: ['reflect-metadata'],
    },
  ],
};
