// Fuzz test of input validation, against the packed package in real Node (make test-fuzz).
//
// Thousands of generated wrong values, hostile Proxies included, go into every option and
// request field. For each call it asserts: no synchronous throw; a rejected TypeError or
// RangeError whose message names the field; and, after all of them, a module that still works
// with its wasm memory and externref table no larger than after the warm-up.
//
//   PF_TEST_SERVER=http://127.0.0.1:PORT node --test tests/fuzz/fuzz.test.mjs
//   FUZZ_CASES=20000 FUZZ_SEED=7 ... for a longer run
import { test } from 'node:test';
import assert from 'node:assert/strict';

const pkg = new URL('../../build/package/parallel-fetch/', import.meta.url);
const { parallelFetch, settledFetch } = await import(new URL('index.node.js', pkg));
const { initSync } = await import(new URL('wasm/parallel_fetch.js', pkg));
const wasm = initSync({ module: new Uint8Array() }); // already started: returns its exports

const SERVER = process.env.PF_TEST_SERVER ?? 'http://127.0.0.1:8787';
const CASES = Number(process.env.FUZZ_CASES ?? 20000);
let seed = Number(process.env.FUZZ_SEED ?? 2026);

// A small seeded generator (mulberry32), so a failure can be replayed with FUZZ_SEED.
function random() {
  seed = (seed + 0x6d2b79f5) | 0;
  let t = Math.imul(seed ^ (seed >>> 15), 1 | seed);
  t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
  return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
}
const pick = (list) => list[Math.floor(random() * list.length)];
const randomString = () => Array.from({ length: Math.floor(random() * 12) }, () =>
  String.fromCharCode(32 + Math.floor(random() * 95))).join('');

// Values whose every read throws, or that pass for something they are not.
const trap = () => { throw new Error('trap'); };
const hostile = [
  () => new Proxy({}, { get: trap, ownKeys: trap, getPrototypeOf: trap, has: trap, getOwnPropertyDescriptor: trap }),
  () => { const r = Proxy.revocable({}, {}); r.revoke(); return r.proxy; },
  () => { const r = Proxy.revocable([], {}); r.revoke(); return r.proxy; },
  () => new Proxy([1, 2], { get: (t, k) => (k === 'length' ? trap() : t[k]) }),
  () => Object.defineProperty({}, 'x', { enumerable: true, get: trap }),
  () => Object.create(AbortSignal.prototype),
  () => ({ toString: trap, valueOf: trap, [Symbol.toPrimitive]: trap }),
];

// Every field, with generators of values that are wrong for it. `only` keeps the generic
// wrong types that are wrong for this field too.
const wrongFor = {
  duration: [() => -1, () => NaN, () => -Infinity, () => 2 ** 31 + random(), () => 'fast', () => true, () => ({}), () => Symbol('t'), () => 5n],
  finiteDelay: [() => -1, () => NaN, () => Infinity, () => 2 ** 31 + 1, () => '100', () => [], () => null],
  whole: [() => -1, () => 1.5, () => NaN, () => '2', () => true, () => 2 ** 40, () => null],
  atLeastOne: [() => 0, () => -3, () => 2.5, () => NaN, () => '4', () => false, () => null],
  bool: [() => 1, () => 'yes', () => null, () => ({}), () => []],
  string: [() => 42, () => true, () => ({}), () => [], () => Symbol('k'), () => null],
  nonEmptyString: [() => '', () => 42, () => null, () => []],
  enumOf: (names) => [() => randomString() + '!', () => names[0].toUpperCase() + 'x', () => 1, () => null, () => ({})],
  method: [() => 'GE T', () => '', () => 'TRACE', () => 'connect', () => 'a\n', () => 7, () => null, () => 'GÉT'],
  methodList: [() => 'GET', () => [1], () => ['GE T'], () => [''], () => ({ 0: 'GET' }), () => [null]],
  statusList: [() => [99], () => [600], () => [200.5], () => ['500'], () => 503, () => [null]],
  retry: [() => -1, () => 1.5, () => true, () => 'twice', () => null, () => [], () => Symbol('r')],
  object: [() => 5, () => 'x', () => true, () => [], () => null],
  func: [() => 5, () => 'f', () => ({}), () => [], () => true],
  signal: [() => ({}), () => ({ aborted: false }), () => Object.create(AbortSignal.prototype), () => 'stop', () => 1, () => new AbortController()],
  headers: [() => ({ 'bad name': 'x' }), () => [['a']], () => 42, () => 'x: y', () => [['a', 'b', 'c']], () => ({ a: 'line\nbreak' })],
  url: [() => '', () => '   ', () => 42, () => null, () => ({}), () => 'http://[', () => 'ftp://example.com/', () => 'http://u:p@127.0.0.1/', () => 'mailto:a@b'],
  body: [() => 'text', () => new Blob(['x']), () => ({}), () => Symbol('b')],
};

const RESPONSE_TYPES = ['auto', 'json', 'text', 'arrayBuffer', 'blob'];
const JITTERS = ['full', 'equal', 'decorrelated', 'none'];
// [path, where the value goes, generators]; `where` builds the (requests, options) of a call.
const FIELDS = [
  ['options.timeout', (v) => [[SERVER + '/r'], { timeout: v }], wrongFor.duration],
  ['options.totalTimeout', (v) => [[SERVER + '/r'], { totalTimeout: v }], wrongFor.duration],
  ['options.retry', (v) => [[SERVER + '/r'], { retry: v }], wrongFor.retry],
  ['options.retry.limit', (v) => [[SERVER + '/r'], { retry: { limit: v } }], wrongFor.whole],
  ['options.retry.methods', (v) => [[SERVER + '/r'], { retry: { methods: v } }], wrongFor.methodList.filter((_, i) => i !== 0).concat([() => 'GET'])],
  ['options.retry.statusCodes', (v) => [[SERVER + '/r'], { retry: { statusCodes: v } }], wrongFor.statusList],
  ['options.retry.baseDelay', (v) => [[SERVER + '/r'], { retry: { baseDelay: v } }], wrongFor.finiteDelay.concat([() => 20000])],
  ['options.retry.maxDelay', (v) => [[SERVER + '/r'], { retry: { maxDelay: v } }], [() => -1, () => NaN, () => 'x', () => 10, () => null]],
  ['options.retry.jitter', (v) => [[SERVER + '/r'], { retry: { jitter: v } }], wrongFor.enumOf(JITTERS)],
  ['options.retry.maxRetryAfter', (v) => [[SERVER + '/r'], { retry: { maxRetryAfter: v } }], wrongFor.duration],
  ['options.retry.retryOnTimeout', (v) => [[SERVER + '/r'], { retry: { retryOnTimeout: v } }], wrongFor.bool],
  ['options.signal', (v) => [[SERVER + '/r'], { signal: v }], wrongFor.signal],
  ['options.headers', (v) => [[SERVER + '/r'], { headers: v }], wrongFor.headers],
  ['options.concurrency', (v) => [[SERVER + '/r'], { concurrency: v }], wrongFor.atLeastOne],
  ['options.responseType', (v) => [[SERVER + '/r'], { responseType: v }], wrongFor.enumOf(RESPONSE_TYPES)],
  ['options.debounce', (v) => [[SERVER + '/r'], { debounce: v }], wrongFor.object],
  ['options.debounce.key', (v) => [[SERVER + '/r'], { debounce: { key: v, wait: 10 } }], wrongFor.nonEmptyString],
  ['options.debounce.wait', (v) => [[SERVER + '/r'], { debounce: { key: 'k', wait: v } }], wrongFor.finiteDelay.concat([() => undefined])],
  ['options.debounce.maxWait', (v) => [[SERVER + '/r'], { debounce: { key: 'k', wait: 100, maxWait: v } }], [() => 50, () => -1, () => NaN, () => 'x', () => null]],
  ['options.onEvent', (v) => [[SERVER + '/r'], { onEvent: v }], wrongFor.func],
  ['options', (v) => [[SERVER + '/r'], v], [() => 5, () => 'x', () => true, () => []]],
  ['requests', (v) => [v, {}], [() => 5, () => 'x', () => ({}), () => null, () => SERVER + '/r']],
  ['requests[0]', (v) => [[v], {}], [() => 5, () => null, () => true, () => Symbol('q'), () => []]],
  ['requests[0].url', (v) => [[{ url: v }], {}], wrongFor.url],
  ['requests[0].method', (v) => [[{ url: SERVER + '/r', method: v }], {}], wrongFor.method],
  ['requests[0].headers', (v) => [[{ url: SERVER + '/r', headers: v }], {}], wrongFor.headers],
  ['requests[0].body', (v) => [[{ url: SERVER + '/r', body: v }], {}], wrongFor.body],
  ['requests[0].json', (v) => [[{ url: SERVER + '/r', method: 'HEAD', json: v }], {}], [() => 1, () => 'x', () => ({})]],
  ['requests[0].timeout', (v) => [[{ url: SERVER + '/r', timeout: v }], {}], wrongFor.duration],
  ['requests[0].retry', (v) => [[{ url: SERVER + '/r', retry: v }], {}], wrongFor.retry],
  ['requests[0].retry.limit', (v) => [[{ url: SERVER + '/r', retry: { limit: v } }], {}], wrongFor.whole],
  ['requests[0].retry.baseDelay', (v) => [[{ url: SERVER + '/r', retry: { baseDelay: v } }], {}], wrongFor.finiteDelay],
  ['requests[0].id', (v) => [[{ url: SERVER + '/r', id: v }], {}], wrongFor.string],
  ['requests[0].searchParams', (v) => [[{ url: SERVER + '/r', searchParams: v }], {}], [() => [['a']], () => [[1, 2, 3]], () => Symbol('p')]],
  ['requests[0].credentials', (v) => [[{ url: SERVER + '/r', credentials: v }], {}], [() => 'sometimes', () => 1, () => null]],
  ...['credentials', 'mode', 'cache', 'redirect', 'referrerPolicy', 'priority'].map((name) =>
    [`options.${name}`, (v) => [[SERVER + '/r'], { [name]: v }], [() => 'sometimes', () => 'NAVIGATE', () => 1, () => null, () => ({})]]),
  ['options.referrer', (v) => [[SERVER + '/r'], { referrer: v }], wrongFor.string],
  ['options.integrity', (v) => [[SERVER + '/r'], { integrity: v }], wrongFor.string],
  ['options.keepalive', (v) => [[SERVER + '/r'], { keepalive: v }], wrongFor.bool],
  ['options.hedge', (v) => [[SERVER + '/r'], { hedge: v }], [() => true, () => 5, () => 'x', () => ({}), () => null, () => []]],
  ['options.hedge.delay', (v) => [[SERVER + '/r'], { hedge: { delay: v } }], [() => -1, () => NaN, () => Infinity, () => 'x', () => null]],
  ['options.hedge.max', (v) => [[SERVER + '/r'], { hedge: { delay: 10, max: v } }], wrongFor.atLeastOne],
  ['requests[0].hedge', (v) => [[{ url: SERVER + '/r', hedge: v }], {}], [() => true, () => 5, () => ({ max: 2 })]],
];

// The error a call ended with, or what went wrong instead.
async function outcome(fn, requests, options) {
  let promise;
  try {
    promise = fn(requests, options);
  } catch (e) {
    return { threw: e };
  }
  try {
    await promise;
    return { resolved: true };
  } catch (e) {
    return { error: e };
  }
}

function generate() {
  const [path, place, wrong] = pick(FIELDS);
  // Every field also gets hostile values and, mostly, the generic wrong types.
  // (A fake signal or an object with throwing conversions is a valid HeadersInit or query; a
  // fake signal has no own fields, so it is also a valid empty `retry` or `options` object.)
  const hostiles = path.endsWith('.headers') || path.endsWith('.searchParams') ? hostile.slice(0, 5)
    : path.endsWith('retry') || path === 'options' ? hostile.filter((_, i) => i !== 5)
    : hostile;
  const pool = random() < 0.35 ? hostiles : wrong;
  const value = pick(pool)();
  const [requests, options] = place(value);
  return { path, requests, options, value };
}

function check(path, result, fn) {
  assert.ok(!result.threw, `${path}: ${fn.name} threw synchronously: ${result.threw}`);
  assert.ok(!result.resolved, `${path}: ${fn.name} resolved`);
  const { error } = result;
  assert.ok(error instanceof TypeError || error instanceof RangeError,
    `${path}: not a TypeError or RangeError: ${error?.name}: ${error?.message}`);
  assert.ok(error.message.startsWith(path), `${path}: the message does not name the field: ${error.message}`);
}

test(`every option and request field refuses ${CASES} generated wrong values, and the module stays whole`, async () => {
  const measure = () => ({ memory: wasm.memory.buffer.byteLength, table: wasm.__wbindgen_externrefs.length });
  for (let i = 0; i < 300; i++) {
    const { requests, options } = generate();
    await outcome(parallelFetch, requests, options);
  }
  const before = measure();
  const seen = new Set();
  for (let i = 0; i < CASES; i++) {
    const { path, requests, options } = generate();
    seen.add(path);
    const fn = i % 2 ? settledFetch : parallelFetch;
    check(path, await outcome(fn, requests, options), fn);
  }
  assert.equal(seen.size, FIELDS.length, 'every field was fuzzed');
  const after = measure();
  assert.equal(after.memory, before.memory, 'wasm memory grew');
  assert.equal(after.table, before.table, 'the externref table grew');
  const [ok] = await parallelFetch([SERVER + '/r']);
  assert.equal(ok.status, 200, 'the module still works');
});

test('the fuzzed fields are every field the SDK knows', async () => {
  // The "known: …" list of an unknown-option error is the SDK's own list of fields.
  const known = async (requests, options) => {
    const { error } = await outcome(parallelFetch, requests, options);
    return error.message.match(/\(known: (.*)\)$/)[1].split(', ');
  };
  const lists = {
    options: await known([SERVER + '/r'], { zzz: 1 }),
    'options.retry': await known([SERVER + '/r'], { retry: { zzz: 1 } }),
    'options.debounce': await known([SERVER + '/r'], { debounce: { zzz: 1 } }),
    'requests[0]': await known([{ url: SERVER + '/r', zzz: 1 }], {}),
  };
  const fuzzed = new Set(FIELDS.map(([path]) => path));
  const missing = [];
  for (const [parent, names] of Object.entries(lists)) {
    for (const name of names) {
      const path = `${parent}.${name}`;
      // A request's own fetch fields and retry fields go through the checks the call's do.
      const covered = fuzzed.has(path) || (parent === 'requests[0]' && fuzzed.has(`options.${name}`));
      if (!covered && !(parent === 'requests[0]' && fuzzed.has(`options.retry.${name}`))) missing.push(path);
    }
  }
  assert.deepEqual(missing, [], 'fields the fuzz test does not cover');
  for (const [path, , wrong] of FIELDS) {
    for (const make of wrong) {
      const [requests, options] = FIELDS.find(([p]) => p === path)[1](make());
      check(path, await outcome(parallelFetch, requests, options), parallelFetch);
    }
  }
});

test('createClient throws a TypeError or RangeError naming the field for every wrong value', async () => {
  const { createClient } = await import(new URL('index.node.js', pkg));
  const cases = [
    ['client.baseUrl', { baseUrl: 5 }], ['client.dedupe', { dedupe: 'yes' }],
    ['client.idempotencyKey', { idempotencyKey: 1 }], ['client.perOrigin', { perOrigin: 3 }],
    ['client.perOrigin.concurrency', { perOrigin: { concurrency: 0 } }],
    ['client.hooks', { hooks: 5 }], ['client.hooks.beforeRequest', { hooks: { beforeRequest: 1 } }],
    ['client.hooks', { hooks: { before: () => {} } }], ['client.timeout', { timeout: -1 }],
    ['client.credentials', { credentials: 'sometimes' }], ['client.onEvent', { onEvent: 'x' }],
    ['client.headers', { headers: { 'bad name': 'x' } }], ['client', { signal: new AbortController().signal }],
    ['client', 5],
    ['client.breaker', { breaker: true }], ['client.breaker.failureRatio', { breaker: { failureRatio: 2 } }],
    ['client.breaker.minimumThroughput', { breaker: { minimumThroughput: 0.5 } }],
    ['client.breaker.window', { breaker: { window: 0 } }], ['client.breaker', { breaker: { windw: 1 } }],
    ['client.retryBudget', { retryBudget: 1 }], ['client.retryBudget.ratio', { retryBudget: { ratio: -1 } }],
    ['client.retryBudget.minPerSecond', { retryBudget: { minPerSecond: 'x' } }],
    ['client.rateLimit', { rateLimit: 'yes' }],
  ];
  for (let i = 0; i < 300; i++) {
    const [path] = pick(cases);
    // The five hostile values whose every read throws (the others can pass for empty objects).
    cases.push([path.startsWith('client.') ? path : 'client', { [path.split('.')[1] ?? 'x']: pick(hostile.slice(0, 5))() }]);
  }
  for (const [path, options] of cases) {
    let thrown;
    try { createClient(options); } catch (e) { thrown = e; }
    assert.ok(thrown instanceof TypeError || thrown instanceof RangeError, `${path}: ${thrown}`);
    assert.ok(thrown.message.startsWith(path.split('.').slice(0, 2).join('.')), `${path}: ${thrown.message}`);
  }
  const [ok] = await createClient({}).parallelFetch([SERVER + '/r']);
  assert.equal(ok.status, 200);
});
