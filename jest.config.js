/** Two projects: Node (functions, local backend, domain) and jsdom (mini-program pages via miniprogram-simulate). */
const tsJest = ['ts-jest', { tsconfig: 'tsconfig.node.json' }];
module.exports = {
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
      testMatch: ['<rootDir>/tests/pages/**/*.test.ts'],
      transform: { '^.+\\.ts$': tsJest, '^.+\\.js$': tsJest },
      transformIgnorePatterns: ['/node_modules/(?!tdesign-miniprogram)'],
    },
  ],
};
