// Node, as a user's script: the package resolves through its "node" export condition and
// calls the test server ($PF_TEST_SERVER) for real. Where Node can require() ES modules
// (20.19+, 22.12+), CommonJS code gets the same module.
import { strictEqual } from 'node:assert/strict';
import { createRequire } from 'node:module';
import { createClient, fetchOne, parallelFetch, settledFetch } from 'parallel-fetch';
import { exercise } from '../app/exercise.js';
import { checkReport } from './report.mjs';

const base = process.env.PF_TEST_SERVER;
if (!base) throw new Error('PF_TEST_SERVER is not set: run under scripts/with-server.sh');
const started = performance.now();
const report = await exercise(base, 'node');
checkReport(report, 'node');
console.log(`node: ok: real answers from the test server in ${Math.round(performance.now() - started)} ms`);

const api = createClient({ baseUrl: base, headers: { 'x-from': 'client' } });
const echo = await api.fetchOne('/echo');
strictEqual(echo.data.headers['x-from'], 'client');
strictEqual((await fetchOne(`${base}/r`)).status, 200);
strictEqual(api.stats()[new URL(base).origin].sent, 1);
console.log('node: ok: createClient, fetchOne and stats from the package');

if (process.features.require_module) {
  const required = createRequire(import.meta.url)('parallel-fetch');
  strictEqual(required.parallelFetch, parallelFetch);
  strictEqual(required.settledFetch, settledFetch);
  console.log('node: ok: require() gives the same module');
}
