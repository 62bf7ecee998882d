/** Two projects: Node (functions, local backend, domain) and jsdom (mini-program pages via miniprogram-simulate). */
const tsJest = ['ts-jest', { tsconfig: 'tsconfig.node.json' }];
module.exports = {
  // Scenario tests talk to a real local system; on a busy 2-core machine a step can take seconds.
  // Nothing asserts speed (that is `npm run bench`): the timeout only catches a hang.
  testTimeout: 60_000,
  globalSetup: '<rootDir>/tests/support/global-setup.ts',
  projects: [
    {
      displayName: 'node',
      testEnvironment: 'node',
      testMatch: ['<rootDir>/tests/**/*.test.ts'],
      testPathIgnorePatterns: ['<rootDir>/tests/pages/'],
      transform: { '^.+\\.ts$': tsJest },
    },
    {
      displayName: 'pages',
      testEnvironment: 'jsdom',
      // Node's export conditions, so packages such as mingo load their Node build, not the browser one.
      testEnvironmentOptions: { customExportConditions: ['node', 'node-addons'] },
      testMatch: ['<rootDir>/tests/pages/**/*.test.ts'],
      transform: { '^.+\\.ts$': tsJest, '^.+\\.js$': tsJest },
      transformIgnorePatterns: ['/node_modules/(?!tdesign-miniprogram)'],
    },
  ],
};
