// One attempt's exchange in one crossing: the init object, fetch with a controller of its own
// (called from a microtask, see startQueued), and the body read as the request's responseType
// asks (JSON.parse straight from the JS string). Each exchange's end (what it resolved with,
// or its rejection), like that of any other promise Rust awaits, goes to one callback that Rust
// gives once (onSettled), under the key Rust gave it (watch), instead of a promise and two wasm
// closures per attempt. Rust keeps the decisions (the retry, the timer, which bodies are JSON
// by policy::mime, mirrored below and checked against it by a test); dropping its exchange
// calls abortSend. Nothing here throws: every failure is reported as the exchange's rejection.

// responseType, as the numbers src/policy/options.rs gives ResponseType.
const JSON_TYPE = 1;
const TEXT = 2;
const ARRAY_BUFFER = 3;
const BLOB = 4;

// policy::mime::is_json_mime: application/json, text/json or any subtype ending in +json
// (a token before it), parameters ignored, HTTP whitespace trimmed.
const TOKEN = "[!#$%&'*+\\-.^_`|~0-9A-Za-z]+";
const JSON_MIME = new RegExp(
  `^[\\t\\n\\r ]*(?:(?:application|text)/json|${TOKEN}/${TOKEN}\\+json)[\\t\\n\\r ]*(?:;|$)`,
  'i',
);
export const isJsonMime = (value) => JSON_MIME.test(value);

// policy::ratelimit::HEADERS, in its order.
const RATE_LIMIT_HEADERS = ['ratelimit', 'x-ratelimit-remaining', 'ratelimit-remaining'];

// A successful response whose body is not JSON: the rejection that says so, with the SyntaxError.
class ParseFailure {
  constructor(cause) {
    this.cause = cause;
  }
}

async function exchange(url, init, type, method) {
  const response = await fetch(url, init);
  const status = response.status;
  let data = null;
  if (type === ARRAY_BUFFER) data = await response.arrayBuffer();
  else if (type === BLOB) data = await response.blob();
  else if (type === TEXT || !(status === 204 || status === 205 || method === 'HEAD')) {
    // Decided before the body is read, as the content-type is known by then.
    const json = type === JSON_TYPE || (type !== TEXT && isJsonMime(response.headers.get('content-type') || ''));
    const text = await response.text();
    if (!json) data = text;
    else if (text.trim()) {
      try {
        data = JSON.parse(text);
      } catch (e) {
        // An error response keeps what it said as text; a success that is not JSON fails.
        if (response.ok) throw new ParseFailure(e);
        data = text;
      }
    }
  }
  // A hint for the rate-limit policy, which reads Retry-After on a 429 and otherwise only these
  // headers (policy::ratelimit::HEADERS; a native test keeps the two lists the same): without
  // it, Rust reads no header. `has` per name, as iterating Headers costs far more.
  let limited = status === 429;
  for (let i = 0; !limited && i < RATE_LIMIT_HEADERS.length; i++) limited = response.headers.has(RATE_LIMIT_HEADERS[i]);
  // The status and the hint in one number, read by one crossing.
  return { response, data, code: status | (limited ? 0x10000 : 0) };
}

// Exchanges asked for and not started yet. They start together, in the order asked, from a
// microtask of their own: fetch then runs with only this module's frames on the stack, not the
// wasm pipeline that decided to send, which made each fetch call cost about 170 µs more of
// main-thread time (BENCHMARKS.md §1).
let queued = [];

// How a promise Rust awaits reports its end, under the key Rust gave it (src/web/settle.rs):
// settle(index, generation, resolved, value or rejection). Given once, by onSettled.
let settle = null;
export function onSettled(callback) {
  settle = callback;
}

// Reports a promise's end (an exchange's, a hook's) under Rust's key for it.
export function watch(promise, index, generation) {
  promise.then(
    (value) => settle(index, generation, true, value),
    (error) => settle(index, generation, false, error),
  );
}

function startQueued() {
  const batch = queued;
  queued = [];
  for (const { url, o, type, method, index, generation } of batch) {
    watch(exchange(url, o, type, method), index, generation);
  }
}

// Starts an exchange: `init` is the request's own fetch fields (or undefined), `hedge` adds
// `cache: 'no-store'` unless they set a cache mode (the HTTP cache's lock would hold a hedge
// until the first attempt's headers arrive). Its end is reported under (index, generation),
// resolved with { response, data, code }: code is the status, plus 0x10000 when a header may
// concern rate limits. Returns the controller, for abortSend.
export function send(url, method, init, headers, body, duplex, hedge, type, index, generation) {
  let controller;
  try {
    controller = new AbortController();
    const o = init === undefined ? {} : { ...init };
    o.method = method;
    if (headers !== undefined) o.headers = headers;
    if (body !== undefined) {
      o.body = body;
      // fetch requires half-duplex for a stream body.
      if (duplex) o.duplex = 'half';
    }
    if (hedge && o.cache === undefined) o.cache = 'no-store';
    o.signal = controller.signal;
    if (queued.length === 0) queueMicrotask(startQueued);
    queued.push({ url, o, type, method, index, generation });
  } catch (e) {
    // Reported as the end of an exchange, never while Rust is still in send.
    queueMicrotask(() => settle(index, generation, false, e));
  }
  return controller;
}

// Aborts an exchange still in flight (given its controller).
export function abortSend(controller) {
  try {
    controller?.abort();
  } catch {
    // Nothing left to abort.
  }
}

// The SyntaxError of a rejection that is a ParseFailure; undefined for any other (a network
// failure, an abort).
export const parseCause = (rejection) => (rejection instanceof ParseFailure ? rejection.cause : undefined);

// A FetchResult: { id?, url, finalUrl, redirected, status, statusText, ok, headers, data,
// attempts, duration }, each caller's own (the data of a shared exchange is shared).
export function result(received, id, url, attempts, duration) {
  const r = received.response;
  const o = id === undefined ? {} : { id };
  o.url = url;
  // Response.url is "" for a response that no URL produced (never for fetch's own).
  o.finalUrl = r.url || url;
  o.redirected = r.redirected;
  o.status = r.status;
  o.statusText = r.statusText;
  o.ok = r.ok;
  o.headers = Object.fromEntries(r.headers);
  o.data = received.data;
  o.attempts = attempts;
  o.duration = duration;
  return o;
}

// A response header (null when absent).
export const header = (received, name) => received.response.headers.get(name);
// The response's Headers, for an afterResponse hook.
export const responseHeaders = (received) => received.response.headers;
// Its statusText, for an HttpError's message.
export const statusText = (received) => received.response.statusText;

// Promise.allSettled's entry for one request's outcome (src/web/outcome.rs), in one crossing.
export const settledEntry = (fulfilled, value) =>
  fulfilled ? { status: 'fulfilled', value } : { status: 'rejected', reason: value };

// Promises Rust settles (src/web/executor.rs): made by `pending` under an id Rust gives, and
// settled once by `finish` (a call's promise, a debounced caller's).
const deferred = new Map();
export const pending = (id) => new Promise((resolve, reject) => deferred.set(id, { resolve, reject }));
export const abandon = (id) =>
  finish(id, false, new Error('parallel-fetch: the call ended without an outcome (an internal error)'));
export function finish(id, resolved, value) {
  const d = deferred.get(id);
  if (d === undefined) return;
  deferred.delete(id);
  if (resolved) d.resolve(value);
  else d.reject(value);
}
