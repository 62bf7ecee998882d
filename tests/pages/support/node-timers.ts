/**
 * The local system runs in-process (its embedded backend answers the function workers over HTTP),
 * and that backend expects Node's timers (`setTimeout(...).unref()` for transaction expiry).
 * jsdom's timers return plain numbers, so page tests hand the environment Node's own timers;
 * miniprogram-simulate and the pages only need callbacks to run, which both kinds do.
 */
// eslint-disable-next-line @typescript-eslint/no-var-requires
const timers = require('timers') as typeof import('timers');
const g = global as any;
g.setTimeout = timers.setTimeout;
g.clearTimeout = timers.clearTimeout;
g.setInterval = timers.setInterval;
g.clearInterval = timers.clearInterval;

export {};
