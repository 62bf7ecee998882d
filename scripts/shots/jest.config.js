/**
 * `npm run shots` only: runs scripts/shots/*.shot.ts with the page tests' jsdom project settings
 * (ts-jest, TDesign transformed, the global setup that builds). Not part of `npm test`.
 */
const path = require('path');
const base = require('../../jest.config.js');
const pages = base.projects.find((p) => p.displayName === 'pages');
module.exports = {
  ...pages,
  displayName: 'shots',
  rootDir: path.join(__dirname, '..', '..'),
  testTimeout: 120_000,
  globalSetup: base.globalSetup,
  testMatch: ['<rootDir>/scripts/shots/**/*.shot.ts'],
};
