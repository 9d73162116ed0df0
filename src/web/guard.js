// Calls that may throw, caught here in JS. wasm-bindgen's own `catch` leaks one externref
// table slot each time an import that returns a value throws (the slot of the return value
// that never came), so everything that may throw on the caller's values goes through these,
// which never throw: a failure returns undefined and leaves what was thrown for takeThrown().
let failed = false;
let thrown;

function guard(f) {
  try {
    return f();
  } catch (e) {
    failed = true;
    thrown = e;
    return undefined;
  }
}

export function takeFailed() {
  const was = failed;
  failed = false;
  return was;
}

export function takeThrown() {
  const e = thrown;
  thrown = undefined;
  return e;
}

export const safeGet = (target, key) => guard(() => Reflect.get(target, key));
export const safeKeys = (value) => guard(() => Object.keys(value));
export const safeHeaders = (init) => guard(() => (init === undefined ? new Headers() : new Headers(init)));
export const safeStringify = (value) => guard(() => JSON.stringify(value));
// The Request fetch would build from these (headers may be undefined), not sent.
export const safeRequest = (url, method, headers, body) => guard(() => new Request(url, { method, headers, body }));
export const safeUrl = (url, base) => guard(() => (base === undefined ? new URL(url) : new URL(url, base)));
export const safeCall = (f, self, arg) => guard(() => f.call(self, arg));

// What fetch resolves a relative URL against (globals::base_url): the document's base URL (which
// a <base href> sets) in a page, the worker's location in a worker, undefined in Node. A global
// whose getter throws counts as absent.
export function baseUrl() {
  let document;
  try {
    document = globalThis.document;
  } catch {
    return undefined;
  }
  try {
    const base = document?.baseURI;
    if (typeof base === 'string') return base;
  } catch {
    // No base URL from the document; the location may have one.
  }
  try {
    const href = globalThis.location?.href;
    return typeof href === 'string' ? href : undefined;
  } catch {
    return undefined;
  }
}
// The global scope, for the rare global the SDK looks up by name.
export const globalScope = () => globalThis;

// What prepare checks of a URL it parsed (a real URL, whose getters never throw): '1' or '0' for
// credentials, then the protocol, a space and the origin.
export const urlFacts = (u) => (u.username || u.password ? '1' : '0') + u.protocol + ' ' + u.origin;
export const href = (u) => u.href;
// A UUID v4 from crypto.randomUUID where the context is secure; undefined elsewhere.
export const randomUuid = () => {
  const c = globalThis.crypto;
  return c && typeof c.randomUUID === 'function' ? guard(() => c.randomUUID()) : undefined;
};
// 16 random bytes from crypto.getRandomValues (which insecure contexts have too), as 32
// lower-case hex digits.
export const randomHex = () =>
  guard(() => Array.from(globalThis.crypto.getRandomValues(new Uint8Array(16)), (b) => (b | 256).toString(16).slice(1)).join(''));
// `href` with `init` (a record, a URLSearchParams or a query string) appended to its query.
export const withSearchParams = (href, init) => guard(() => {
  const url = new URL(href);
  for (const [name, value] of new URLSearchParams(init)) url.searchParams.append(name, value);
  return url.href;
});
// Whether a hook's return value is a thenable, and `Promise.resolve` of it.
// (A `then` getter that throws makes the value not a thenable; it must not leave `failed` set
// for the next guarded call, so this catches on its own.)
export const isThenable = (value) => {
  if (value === null || (typeof value !== 'object' && typeof value !== 'function')) return false;
  try {
    return typeof value.then === 'function';
  } catch {
    return false;
  }
};
export const resolve = (value) => guard(() => Promise.resolve(value));

// A value's class tag (`URL`, `FormData`, `AbortSignal`: what Object.prototype.toString names),
// or undefined when it has none to read (a Symbol.toStringTag getter that throws). For
// globals::class_of; it leaves the guard's failure flag alone.
export function className(value) {
  try {
    const tag = Object.prototype.toString.call(value);
    return typeof tag === 'string' && tag.startsWith('[object ') && tag.endsWith(']') ? tag.slice(8, -1) : undefined;
  } catch {
    return undefined;
  }
}

// A thrown value as a message shows it: `Error: trap` (its name and message, the name alone when
// the message is empty), else String(value); never throws. For globals::describe_thrown.
export function describeThrown(thrown) {
  try {
    // A primitive's name and message are not its own: it shows as String(value).
    if (thrown !== null && (typeof thrown === 'object' || typeof thrown === 'function')) {
      const { name, message } = thrown;
      if (typeof name === 'string' && typeof message === 'string') return message === '' ? name : `${name}: ${message}`;
    }
  } catch {
    // A getter or trap that throws: shown as String(value).
  }
  try {
    return String(thrown);
  } catch {
    return 'a value that cannot be shown';
  }
}
