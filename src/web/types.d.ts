/**
 * Headers as this runtime's fetch takes them: lib.dom's `HeadersInit`, or @types/node's
 * (a `Headers`, a record of names to values, or `[name, value]` pairs).
 */
export type FetchHeadersInit = NonNullable<RequestInit['headers']>;

/** A request body as this runtime's fetch takes it: lib.dom's `BodyInit`, or @types/node's. */
export type FetchBodyInit = NonNullable<RequestInit['body']>;

/**
 * An HTTP method. Any token works; these are the common ones. fetch refuses to send CONNECT,
 * TRACE and TRACK, so a request with one of them is a TypeError (a `retry.methods` list may
 * still name any token).
 */
export type HttpMethod =
  | 'GET' | 'HEAD' | 'POST' | 'PUT' | 'PATCH' | 'DELETE' | 'OPTIONS'
  | (string & {});

/**
 * How a retry's delay is drawn under the exponential ceiling
 * `t = min(maxDelay, baseDelay * 2^(n-1))` of retry `n`:
 * - `'full'`: uniform in `[0, t]` (spreads competing clients the most);
 * - `'equal'`: `t/2` plus uniform in `[0, t/2]`;
 * - `'decorrelated'`: uniform in `[baseDelay, 3 * previous delay]`, capped at `maxDelay`;
 * - `'none'`: exactly `t`.
 */
export type Jitter = 'full' | 'equal' | 'decorrelated' | 'none';

/** When and how failed attempts are retried. Fields left out keep their defaults. */
export interface RetryOptions {
  /** Retries after the first attempt (a whole number, 0 for none). @default 2 */
  limit?: number;
  /**
   * Methods that may be retried. POST and PATCH are not idempotent, so they are never
   * retried unless listed here.
   * @default ['GET', 'HEAD', 'OPTIONS', 'PUT', 'DELETE']
   */
  methods?: ReadonlyArray<HttpMethod>;
  /** Response statuses that may be retried. @default [408, 425, 429, 500, 502, 503, 504] */
  statusCodes?: ReadonlyArray<number>;
  /** Ceiling of the first retry's delay, in ms (at most `maxDelay`); it doubles for each retry after. @default 300 */
  baseDelay?: number;
  /** No backoff delay is longer than this, in ms. Infinity for no cap. @default 10000 */
  maxDelay?: number;
  /** How each delay is drawn under its ceiling. @default 'full' */
  jitter?: Jitter;
  /**
   * A Retry-After header asking for longer than this, in ms, ends the request at once with
   * its HttpError instead of waiting. Infinity always waits. @default 60000
   */
  maxRetryAfter?: number;
  /** Whether an attempt that timed out is retried. @default true */
  retryOnTimeout?: boolean;
}

/**
 * fetch's own `RequestInit` fields, checked as fetch checks them and passed to it unchanged.
 * Each may be set per request, per call and per client; a request's own wins, then the call's.
 */
export interface FetchInitFields {
  /** Whether cookies and HTTP auth go with the request: `'include'` for a cookie-authenticated API on another origin. */
  credentials?: 'omit' | 'same-origin' | 'include';
  /** CORS mode. */
  mode?: 'cors' | 'no-cors' | 'same-origin';
  /** How the request uses the HTTP cache. */
  cache?: 'default' | 'no-store' | 'reload' | 'no-cache' | 'force-cache' | 'only-if-cached';
  /** Whether redirects are followed. */
  redirect?: 'follow' | 'error' | 'manual';
  /** The Referer to send. */
  referrer?: string;
  /** The referrer policy. */
  referrerPolicy?:
    | '' | 'no-referrer' | 'no-referrer-when-downgrade' | 'same-origin' | 'origin'
    | 'strict-origin' | 'origin-when-cross-origin' | 'strict-origin-when-cross-origin' | 'unsafe-url';
  /** Subresource integrity metadata of the expected response. */
  integrity?: string;
  /** Whether the request may outlive the page. */
  keepalive?: boolean;
  /** The request's priority relative to others. */
  priority?: 'high' | 'low' | 'auto';
}

/** One request, when a URL string is not enough. */
export interface RequestSpec extends FetchInitFields {
  /**
   * Absolute, or relative to the document's base URL as fetch resolves it (in Node, which has
   * no page, it must be absolute). A URL with credentials, or with a scheme other than http:,
   * https:, data: or blob:, is a TypeError.
   */
  url: string | URL;
  /** @default 'GET' */
  method?: HttpMethod;
  /** This request's headers, set over the call's `FetchOptions.headers`. */
  headers?: FetchHeadersInit;
  /**
   * Sent as is (not with GET or HEAD). A ReadableStream, or an async iterable such as a Node
   * `Readable` (sent as `ReadableStream.from(it)`), goes half-duplex and can be sent only once,
   * so that request is never retried. A FormData, URLSearchParams or typed Blob sets its own
   * content-type: the call's `headers` do not override it. A body fetch cannot convert (a
   * Symbol, one whose `toString` throws) is a TypeError naming this field.
   */
  body?: FetchBodyInit | AsyncIterable<Uint8Array | string> | null;
  /**
   * Sent as `JSON.stringify(json)`, with `content-type: application/json` unless a header
   * sets one. Give `body` or `json`, not both.
   */
  json?: unknown;
  /** Appended to the URL's query (after any it already has). */
  searchParams?: Record<string, string | number | boolean> | URLSearchParams | string;
  /** This request's per-attempt timeout, in ms, instead of the call's. Infinity for none. */
  timeout?: number;
  /** This request's retries: a number is the limit, false turns them off, an object overrides fields of the call's. */
  retry?: number | false | RetryOptions;
  /** This request's hedging, instead of the call's. */
  hedge?: false | HedgeOptions;
  /** A name of your choosing, copied into this request's result or error. */
  id?: string;
}

/** When and how often an unanswered attempt is hedged. */
export interface HedgeOptions {
  /** How long an attempt may go unanswered before another joins it, in ms (say, the p95 latency). */
  delay: number;
  /** The most hedges per attempt. @default 1 */
  max?: number;
}

/** A client's circuit breaker, per origin. */
export interface BreakerOptions {
  /** The share of failures (network errors, timeouts, 5xx, 429) in the window that opens it. @default 0.5 */
  failureRatio?: number;
  /** The fewest requests in the window for it to open. @default 10 */
  minimumThroughput?: number;
  /** How far back requests count, in ms. @default 10000 */
  window?: number;
  /** How long it stays open before one probe is let through, in ms. @default 5000 */
  breakDuration?: number;
}

/** A client's retry budget, per origin, as tower's TpsBudget. */
export interface RetryBudgetOptions {
  /** Retries and hedges allowed per first attempt in the window. @default 0.1 */
  ratio?: number;
  /** Retries per second of the window allowed even with no first attempts (a quiet page can still retry a burst). @default 2 */
  minPerSecond?: number;
  /** How far back first attempts and retries count, in ms. @default 10000 */
  window?: number;
}

/** Debouncing: of the calls that share a key, only the latest runs, and every one of them settles with its outcome. */
export interface DebounceOptions {
  /** Calls with the same key debounce together. */
  key: string;
  /** Quiet time before the latest call runs, in ms. */
  wait: number;
  /**
   * The longest a call can be postponed, in ms from the first postponed call (at least `wait`).
   * A run that `maxWait` forces is not aborted by later calls: it completes and its callers
   * settle with it, and later calls form the next burst. Infinity for no limit.
   * @default Infinity
   */
  maxWait?: number;
}

/** The options of one call. Every time is in milliseconds. */
export interface FetchOptions extends FetchInitFields {
  /** Per-attempt timeout in ms: each attempt, retries included, gets a fresh one. Infinity for none. @default 10000 */
  timeout?: number;
  /**
   * Deadline for the whole call, in ms: attempts, retries, waits and the queue behind
   * `concurrency` included. A retry is not made unless at least 50 ms (or the attempt's own
   * `timeout`, if shorter) would be left after its wait. Infinity for none.
   * @default Infinity
   */
  totalTimeout?: number;
  /** Retries: a number is the limit, false turns them off, an object sets fields. @default 2 retries */
  retry?: number | false | RetryOptions;
  /** Aborting it rejects with an AbortError and cancels every request in flight or waiting. */
  signal?: AbortSignal | null;
  /** Sent with every request; a request's own headers win. */
  headers?: FetchHeadersInit;
  /**
   * At most this many requests of this call in flight at once (a whole number). A request
   * sleeping before a retry holds no slot. @default Infinity
   */
  concurrency?: number;
  /**
   * How bodies are read. `'auto'` parses JSON for a JSON MIME type (`application/json`,
   * `text/json`, or any `+json` subtype) and reads text otherwise, and gives null for 204, 205
   * and HEAD.
   * @default 'auto'
   */
  responseType?: 'auto' | 'json' | 'text' | 'arrayBuffer' | 'blob';
  /** Collapse a burst of calls with the same key into its latest call. */
  debounce?: DebounceOptions;
  /**
   * Hedged requests: after `delay` ms without a response, up to `max` more attempts join the
   * first (each spending the origin's retry budget); the first success wins and the others are
   * aborted. Only for GET, HEAD, OPTIONS, PUT and DELETE that `retry.methods` lists, never for
   * POST or PATCH, nor for a stream body. Hedges count in `attempts`. `false` for none.
   */
  hedge?: false | HedgeOptions;
  /** Called for each attempt's start and end, each retry wait, each abort and each settle. What it throws is ignored. */
  onEvent?: (event: FetchEvent) => void;
}

/** What a `beforeRequest` hook receives: set headers on `headers` (a fresh copy each attempt). */
export interface BeforeRequestInfo {
  /** The URL requested, resolved. */
  url: string;
  /** The request's method. */
  method: string;
  /** The headers this attempt will send: set or delete to change them. */
  headers: Headers;
  /** The attempt about to be sent, from 1. */
  attempt: number;
  /** The request's `id`, if it has one. */
  id?: string;
}

/** What an `afterResponse` hook receives. */
export interface AfterResponseInfo {
  /** The URL requested, resolved. */
  url: string;
  /** The request's method. */
  method: string;
  /** The response's status. */
  status: number;
  /** The response's headers. */
  headers: Headers;
  /** The attempt that got this response, from 1. */
  attempt: number;
  /** The request's `id`, if it has one. */
  id?: string;
}

/** A client's hooks. A hook that throws or rejects fails that request, not retried, with the error as `cause`. */
export interface ClientHooks {
  /** Before every attempt, retries included; may set headers (a fresh token) and may be async. Its time counts against the attempt's `timeout`. */
  beforeRequest?: (request: BeforeRequestInfo) => void | Promise<void>;
  /** After every response; return `'retry'` to send the attempt again at once, without backoff (the 401-refresh pattern), counted against `retry.limit`. */
  afterResponse?: (response: AfterResponseInfo) => void | 'retry' | Promise<void | 'retry'>;
}

/** `createClient`'s options: defaults for every call made through it, and the client's own settings. */
export interface ClientOptions extends Omit<FetchOptions, 'signal' | 'debounce'> {
  /** Joined with every relative request URL as axios joins `baseURL`: `'https://a/v1'` + `'/users'` is `'https://a/v1/users'`; absolute URLs ignore it. */
  baseUrl?: string | URL;
  /** Identical GET and HEAD requests in flight (same URL, headers and responseType) share one fetch; each caller gets its own result, with `data` parsed once and shared. @default true */
  dedupe?: boolean;
  /** Requests in flight per origin across every call of this client. */
  perOrigin?: {
    /** A fixed cap. Without it the cap is 256 until the origin's throughput is known, then what the origin answers within a quarter of the waiting request's `timeout` (the wait in the browser's own queue counts against it), up to 1024, the client's origins sharing what lies above 256. */
    concurrency?: number;
  };
  /** A POST or PATCH that `retry.methods` lets retry is sent with an `Idempotency-Key` (a UUID v4), the same on every retry of it. @default true */
  idempotencyKey?: boolean;
  /** Code that runs around every attempt. */
  hooks?: ClientHooks;
  /** A circuit breaker per origin: while it is open, requests reject at once with CircuitOpenError and nothing is sent. Off unless given. */
  breaker?: false | BreakerOptions;
  /** Retries and hedges per origin may not exceed `ratio` × first attempts in the window plus a reserve; when spent, a request stops with its last error (`stopped: 'retryBudget'`). `false` for none. @default { ratio: 0.1, minPerSecond: 2, window: 10000 } */
  retryBudget?: false | RetryBudgetOptions;
  /** Honour `RateLimit` / `RateLimit-Policy` (and the older `X-RateLimit-*`, `RateLimit-Remaining`/`-Reset`) and a 429's `Retry-After` for the whole client: requests to an origin that has nothing left wait for its reset, within their deadlines. @default true */
  rateLimit?: boolean;
}

/** One origin's counters in `Client.stats()`. */
export interface OriginStats {
  /** Attempts in flight now. */
  inFlight: number;
  /** Requests waiting for a `perOrigin` slot now. */
  queued: number;
  /** Attempts sent, retries included. */
  sent: number;
  /** Retries among them. */
  retries: number;
  /** Requests that joined a fetch already in flight. */
  deduped: number;
  /** The origin's breaker ('closed' without one). */
  breaker: 'closed' | 'open' | 'half-open';
  /** Retries and hedges the budget allows now (Infinity without one). */
  budget: number;
  /** Hedges sent. */
  hedges: number;
  /** When the origin's rate-limit pause ends, in `Date.now()` ms; 0 when it is not paused. */
  rateLimitedUntil: number;
}

/** A response with its body read: what a request resolves with (and an HttpError's `response`). */
export interface FetchResult<T = unknown> {
  /** The request's `id`, if it had one. */
  id?: string;
  /** The URL requested, resolved. */
  url: string;
  /** The URL of the response, after any redirects (fetch's `Response.url`). */
  finalUrl: string;
  /** Whether a redirect was followed to get it (fetch's `Response.redirected`). */
  redirected: boolean;
  /** The HTTP status. */
  status: number;
  /** The HTTP status text ('' over HTTP/2). */
  statusText: string;
  /** Whether `status` is 200-299. */
  ok: boolean;
  /** The response headers, names in lower case. */
  headers: Record<string, string>;
  /** The body, read as `responseType` says. */
  data: T;
  /** Attempts made: 1 when the first one succeeded. */
  attempts: number;
  /** Time from the first attempt's start to the end of the last one, body read, in ms (a wait for a `concurrency` slot before the first attempt is not counted). */
  duration: number;
}

/** The names of the errors a request can end with. */
export type FetchErrorName =
  | 'HttpError' | 'TimeoutError' | 'NetworkError' | 'AbortError' | 'ParseError' | 'CircuitOpenError';

/** The fields every FetchError has. */
export interface FetchErrorBase<Name extends FetchErrorName = FetchErrorName> extends Error {
  /** What went wrong; narrow on it to see the fields that come with it. */
  name: Name;
  /** The URL requested, resolved. */
  url: string;
  /** The request's method. */
  method: string;
  /** The request's `id`, if it had one. */
  id?: string;
  /** Attempts made: 0 when the request never started. */
  attempts: number;
  /** The final status, on an HttpError. */
  status?: number;
  /** The final response, body read, on an HttpError. */
  response?: FetchResult;
  /** The last response's Retry-After, in ms, when it sent one. */
  retryAfter?: number;
  /** Who aborted it, on an AbortError: the caller's `signal`, or a failed sibling in parallelFetch. */
  abortedBy?: 'user' | 'failFast';
  /** The underlying error: fetch's TypeError, JSON.parse's SyntaxError, the signal's reason. */
  cause?: unknown;
  /**
   * Why retrying stopped early, when it did: the method is not in `retry.methods`, a stream body,
   * a Retry-After past `retry.maxRetryAfter`, `totalTimeout`, or the origin's retry budget.
   */
  stopped?: 'methodNotRetryable' | 'bodyNotReplayable' | 'retryAfterTooLong' | 'totalTimeout' | 'retryBudget';
}

/** The last response was not 2xx and was not (or no longer) retried. */
export interface HttpError extends FetchErrorBase<'HttpError'> {
  /** The final status. */
  status: number;
  /** The final response, body read. */
  response: FetchResult;
}

/** The last attempt's `timeout`, or the call's `totalTimeout`, ran out. */
export interface TimeoutError extends FetchErrorBase<'TimeoutError'> {}

/** fetch failed (no connection, DNS, CORS, a reset), or reading the body did. */
export interface NetworkError extends FetchErrorBase<'NetworkError'> {}

/** The request was stopped: by the caller's `signal`, or because a sibling failed in parallelFetch. */
export interface AbortError extends FetchErrorBase<'AbortError'> {
  /** `'user'`: the caller's `signal`; `'failFast'`: a sibling failed in parallelFetch. */
  abortedBy: 'user' | 'failFast';
}

/** The body could not be read as `responseType` asked (invalid JSON). */
export interface ParseError extends FetchErrorBase<'ParseError'> {}

/** The origin's circuit breaker is open: nothing was sent. */
export interface CircuitOpenError extends FetchErrorBase<'CircuitOpenError'> {
  /** The origin whose breaker is open. */
  origin: string;
  /** Until it lets a probe through, in ms (left out while a probe is deciding). */
  retryAfter?: number;
}

/** Why a request failed: a real `Error` whose `name` says what happened. Narrow on `name`. */
export type FetchError = HttpError | TimeoutError | NetworkError | AbortError | ParseError | CircuitOpenError;

/** One entry of settledFetch, in the shape of `Promise.allSettled`: narrow on `status`. */
export type SettledResult<T = unknown> =
  | { status: 'fulfilled'; value: FetchResult<T> }
  | { status: 'rejected'; reason: FetchError };

/** The fields every FetchEvent has. */
export interface FetchEventBase {
  /** The request's index in the call's `requests`. */
  index: number;
  /** The attempt, from 1 (0 when none had started). */
  attempt: number;
  /** The request's URL, resolved. */
  url: string;
  /** `performance.now()` when it happened, in ms. */
  time: number;
}

/**
 * What `onEvent` receives; narrow on `type`. A request's events come in this order:
 * `attemptStart`, `attemptEnd`, then `retryWait` and the next pair for each retry; `abort` if
 * it was cut short; and exactly one `settle`, last, whatever ended it (a request that never
 * started included: one cut short settles with `error: 'AbortError'`).
 */
export type FetchEvent =
  | (FetchEventBase & { type: 'attemptStart' })
  | (FetchEventBase & { type: 'attemptEnd'; ok: boolean; status?: number; error?: FetchErrorName })
  | (FetchEventBase & {
      type: 'retryWait';
      /** How long until the next attempt, in ms. */
      delay: number;
      error: FetchErrorName;
      status?: number;
      /** The server's Retry-After, in ms. */
      retryAfter?: number;
    })
  | (FetchEventBase & {
      type: 'abort';
      /** Who cut the request short: a failed sibling, the caller's signal, or a newer debounced call. */
      by: 'failFast' | 'user' | 'debounce';
      /** True when it came during a retry wait rather than an attempt. */
      duringWait: boolean;
    })
  | (FetchEventBase & { type: 'settle'; ok: boolean; status?: number; error?: FetchErrorName })
  /** A hedge joined the attempt in flight; its own `attemptStart` follows. */
  | (FetchEventBase & { type: 'hedgeStart' })
  /** The origin's breaker opened, let a probe through, or closed. */
  | (FetchEventBase & { type: 'breakerOpen' | 'breakerHalfOpen' | 'breakerClose'; origin: string })
  /** The origin's retry budget refused a retry or hedge. */
  | (FetchEventBase & { type: 'budgetExhausted'; origin: string })
  /** The origin asked for a pause (RateLimit headers or a 429's Retry-After), for the whole client. */
  | (FetchEventBase & { type: 'rateLimited'; origin: string; delay: number });
