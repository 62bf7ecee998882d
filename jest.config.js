/** Two projects: Node (functions, local backend, domain) and jsdom (mini-program pages via miniprogram-simulate). */
const tsJest = ['ts-jest', { tsconfig: 'tsconfig.node.json' }];
module.exports = {
  // Scenario tests talk to a real local system; on a busy 2-core machine a step can take seconds.
  // Nothing asserts speed (that is `npm run bench`): the timeout only catches a hang.
  testTimeout: 60_000,
  // The built bundles are run by the local system, never imported by tests: keep jest's file map out of them.
  modulePathIgnorePatterns: ['<rootDir>/dist/'],
  globalSetup: '<rootDir>/tests/support/global-setup.ts',
  projects: [
    {
      displayName: 'node',
      modulePathIgnorePatterns: ['<rootDir>/dist/'],
      testEnvironment: 'node',
      testMatch: ['<rootDir>/tests/**/*.test.ts'],
      testPathIgnorePatterns: ['<rootDir>/tests/pages/'],
      transform: { '^.+\\.ts$': tsJest },
    },
    {
      displayName: 'pages',
      modulePathIgnorePatterns: ['<rootDir>/dist/'],
      testEnvironment: 'jsdom',
      // Node's export conditions, so packages such as mingo load their Node build, not the browser one.
      testEnvironmentOptions: { customExportConditions: ['node', 'node-addons'] },
      testMatch: ['<rootDir>/tests/pages/**/*.test.ts'],
      transform: { '^.+\\.ts$': tsJest, '^.+\\.js$': tsJest },
      transformIgnorePatterns: ['/node_modules/(?!tdesign-miniprogram)'],
    },
  ],
};
