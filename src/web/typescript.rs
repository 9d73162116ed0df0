//! The TypeScript declarations of the public shapes, emitted into the generated `.d.ts`.

use wasm_bindgen::prelude::*;

#[wasm_bindgen(typescript_custom_section)]
const TYPES: &'static str = r#"
/** How retry delays are spread under the exponential ceiling `min(maxDelay, baseDelay * 2^(n-1))`. */
export type Jitter = 'full' | 'equal' | 'decorrelated' | 'none';

/** When and how failed attempts are retried. */
export interface RetryOptions {
  /** Retries after the first attempt. Default 2. */
  limit?: number;
  /** Methods that may be retried. Default GET, HEAD, OPTIONS, PUT, DELETE, TRACE (POST never, unless listed). */
  methods?: string[];
  /** Statuses that may be retried. Default 408, 425, 429, 500, 502, 503, 504. */
  statusCodes?: number[];
  /** Ceiling of the first retry's delay, in ms. Default 300. */
  baseDelay?: number;
  /** No backoff delay is longer than this, in ms. Default 10000. */
  maxDelay?: number;
  /** Default 'full'. */
  jitter?: Jitter;
  /** A Retry-After longer than this (ms) ends the request at once with its HttpError. Default 60000. */
  maxRetryAfter?: number;
  /** Whether a timed-out attempt is retried. Default true. */
  retryOnTimeout?: boolean;
}

/** One request: a URL string, or this. */
export interface RequestSpec {
  /** Absolute, or relative to the page. */
  url: string;
  /** Default 'GET'. */
  method?: string;
  /** Merged over `FetchOptions.headers`. */
  headers?: HeadersInit;
  /** Sent as is. A ReadableStream body is never retried. */
  body?: BodyInit | null;
  /** JSON.stringify'd and sent with content-type application/json (unless you set one). */
  json?: unknown;
  /** Per-attempt timeout for this request, in ms (Infinity for none). */
  timeout?: number;
  /** This request's retries: a number is the limit, false turns them off, an object overrides fields. */
  retry?: number | false | RetryOptions;
  /** Echoed in this request's result and error. */
  id?: string;
}

/** Debounce calls that share a key: only the latest runs, and every caller gets its outcome. */
export interface DebounceOptions {
  /** Calls with the same key debounce together. */
  key: string;
  /** Quiet time before the latest call runs, in ms. */
  wait: number;
  /** Longest postponement since the first postponed call, in ms. */
  maxWait?: number;
}

/** Options of one call. */
export interface FetchOptions {
  /** Per-attempt timeout in ms; each attempt gets a fresh one. Default 10000 (Infinity for none). */
  timeout?: number;
  /** Deadline for the whole call, retries and waits included, in ms. Default none. */
  totalTimeout?: number;
  /** A number is the retry limit; false turns retries off. */
  retry?: number | false | RetryOptions;
  /** Aborting it rejects with AbortError (and cancels every request in flight). */
  signal?: AbortSignal;
  /** Sent with every request, under each request's own headers. */
  headers?: HeadersInit;
  /** At most this many requests in flight for this call. Default unlimited. */
  concurrency?: number;
  /** How bodies are read. 'auto' (default): JSON if the content-type says so, else text; null for 204 and HEAD. */
  responseType?: 'auto' | 'json' | 'text' | 'arrayBuffer' | 'blob';
  /** Collapse bursts of calls with the same key into the latest. */
  debounce?: DebounceOptions;
  /** Called for every attempt start and end, retry wait, abort and settle. Exceptions are ignored. */
  onEvent?: (event: FetchEvent) => void;
}

/** A successful (or, inside an HttpError, final) response with its body read. */
export interface FetchResult<T = unknown> {
  /** The request's id, if it had one. */
  id?: string;
  /** The resolved URL requested. */
  url: string;
  status: number;
  statusText: string;
  ok: boolean;
  /** Response headers, names in lower case. */
  headers: Record<string, string>;
  /** The body, read as `responseType` says. */
  data: T;
  /** Attempts made, 1 when the first succeeded. */
  attempts: number;
  /** From the first attempt's start to the end, in ms. */
  duration: number;
}

/** The names of the errors a request can end with. */
export type FetchErrorName = 'HttpError' | 'TimeoutError' | 'NetworkError' | 'AbortError' | 'ParseError';

/** Why a request failed: a real Error whose `name` says what happened. */
export interface FetchError extends Error {
  name: FetchErrorName;
  url: string;
  method: string;
  id?: string;
  /** Attempts made (0 when the request never started). */
  attempts: number;
  /** HttpError: the final status. */
  status?: number;
  /** HttpError: the final response, body read. */
  response?: FetchResult;
  /** HttpError: the server's Retry-After, in ms, when it sent one. */
  retryAfter?: number;
  /** AbortError: the caller's signal, or a failed sibling in parallelFetch. */
  abortedBy?: 'user' | 'failFast';
  /** The underlying error: fetch's TypeError, JSON.parse's SyntaxError, the signal's reason. */
  cause?: unknown;
}

/** One entry of settledFetch, in the shape of Promise.allSettled. */
export type SettledResult<T = unknown> =
  | { status: 'fulfilled'; value: FetchResult<T> }
  | { status: 'rejected'; reason: FetchError };

interface FetchEventBase {
  /** The request's index in the call. */
  index: number;
  /** The attempt, from 1 (0 when none had started). */
  attempt: number;
  url: string;
  /** performance.now() when it happened. */
  time: number;
}

/** What onEvent receives. */
export type FetchEvent =
  | (FetchEventBase & { type: 'attemptStart' })
  | (FetchEventBase & { type: 'attemptEnd'; ok: boolean; status?: number; error?: FetchErrorName })
  | (FetchEventBase & { type: 'retryWait'; delay: number; error: FetchErrorName; status?: number; retryAfter?: number })
  | (FetchEventBase & { type: 'abort'; by: 'failFast' | 'user' | 'timeout' | 'debounce'; duringWait?: boolean })
  | (FetchEventBase & { type: 'settle'; ok: boolean; status?: number; error?: FetchErrorName });
"#;
