/**
 * Preloaded (`node --require`) into the deploy CLI by tests/deploy/cli.test.ts: any write under the
 * repository or any network use ends the process at once with status 97 and a `SIDE-EFFECT:` line
 * on stderr. A dry run without credentials must pass through untouched.
 */
'use strict';
const fs = require('fs');
const path = require('path');
const net = require('net');
const dns = require('dns');
const { syncBuiltinESMExports } = require('module');

const ROOT = path.resolve(__dirname, '..', '..');

function stop(what) {
  process.stderr.write(`SIDE-EFFECT: ${what}\n`);
  process.exit(97);
}

function inRepo(p) {
  if (typeof p === 'number') return false;
  const abs = path.resolve(String(p instanceof URL ? p.pathname : p));
  return abs === ROOT || abs.startsWith(ROOT + path.sep);
}

const SECOND_PATH = ['rename', 'cp', 'copyFile', 'symlink'];
const WRITERS = [
  'writeFile',
  'appendFile',
  'mkdir',
  'rm',
  'rmdir',
  'rename',
  'unlink',
  'cp',
  'copyFile',
  'symlink',
  'truncate',
  'utimes',
  'chmod',
  'mkdtemp',
];
for (const name of WRITERS) {
  for (const key of [name, `${name}Sync`]) {
    const original = fs[key];
    if (typeof original !== 'function') continue;
    fs[key] = function (...args) {
      // rename/cp/copyFile/symlink: the second path is the one written.
      if (inRepo(args[0]) || (SECOND_PATH.includes(name) && inRepo(args[1]))) {
        stop(`fs.${key} ${args[0]}`);
      }
      return original.apply(this, args);
    };
  }
  const p = fs.promises[name];
  if (typeof p === 'function') {
    fs.promises[name] = function (...args) {
      if (inRepo(args[0]) || (SECOND_PATH.includes(name) && inRepo(args[1]))) stop(`fs.promises.${name} ${args[0]}`);
      return p.apply(this, args);
    };
  }
}
for (const key of ['open', 'openSync']) {
  const original = fs[key];
  fs[key] = function (file, flags, ...rest) {
    if (inRepo(file) && typeof flags === 'string' && /[wa+]/.test(flags)) stop(`fs.${key} ${file} ${flags}`);
    return original.call(this, file, flags, ...rest);
  };
}
const createWriteStream = fs.createWriteStream;
fs.createWriteStream = function (file, ...rest) {
  if (inRepo(file)) stop(`fs.createWriteStream ${file}`);
  return createWriteStream.call(this, file, ...rest);
};

// TCP only: local IPC over a socket file (tsx talks to its parent that way) is not the network.
const connect = net.Socket.prototype.connect;
net.Socket.prototype.connect = function (...args) {
  const first = Array.isArray(args[0]) ? args[0][0] : args[0];
  const tcp =
    typeof first === 'number' ||
    /^\d+$/.test(String(first)) ||
    (first && typeof first === 'object' && first.port !== undefined);
  if (tcp) stop(`network: net.Socket.connect ${JSON.stringify(first)}`);
  return connect.apply(this, args);
};
for (const key of ['lookup', 'resolve', 'resolve4', 'resolve6']) {
  dns[key] = function () {
    stop(`network: dns.${key}`);
  };
}
syncBuiltinESMExports();
