/*
 * One local "cloud function instance": a worker thread that runs the built bundles of
 * dist/cloudfunctions, one invocation at a time, as CloudBase does. Each worker has its own copy of
 * process.env, so the WeChat context (WX_OPENID …) that wx-server-sdk reads is set per invocation
 * without leaking into concurrent ones. Plain JS: it runs the same bundles production runs.
 */
const { parentPort, workerData } = require('worker_threads');
const path = require('path');

Object.assign(process.env, workerData.env);
const modules = new Map();

// wx-server-sdk can raise an unhandled rejection on a failed request; keep the instance alive and
// let the invocation's own error path answer.
process.on('unhandledRejection', (e) => console.error('[worker] unhandled rejection', e));

function load(name) {
  if (!modules.has(name)) modules.set(name, require(path.join(workerData.distDir, name, 'index.js')));
  return modules.get(name);
}

parentPort.on('message', async ({ id, name, eventJson, openid }) => {
  if (openid) process.env.WX_OPENID = openid;
  else delete process.env.WX_OPENID;
  try {
    const mod = load(name);
    // The event arrives as JSON, as CloudBase hands it over: keys such as "__proto__" stay own keys
    // (a structured clone would have dropped them), so the functions see what a client really sent.
    const event = eventJson === undefined ? undefined : JSON.parse(eventJson);
    const result = await mod.main(event, { function_name: name, request_id: String(id) });
    parentPort.postMessage({ id, result });
  } catch (e) {
    parentPort.postMessage({ id, error: e && e.stack ? e.stack : String(e) });
  }
});
