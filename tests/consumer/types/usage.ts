// Every option, request field and result shape, written as a user would. It must compile with
// `tsc --strict` in a browser project (tsconfig.json) and in a Node-only one without lib.dom
// (tsconfig.node.json). `exactly<T>()(value)` accepts only a value whose type is exactly T, so
// a declaration that decays to `any` fails here too.
import {
  createClient,
  fetchOne,
  type ClientOptions,
  type OriginStats,
  parallelFetch,
  settledFetch,
  type DebounceOptions,
  type FetchError,
  type FetchErrorName,
  type FetchEvent,
  type FetchOptions,
  type FetchResult,
  type Jitter,
  type RequestSpec,
  type RetryOptions,
  type SettledResult,
} from 'parallel-fetch';

type Exactly<A, B> =
  (<T>() => T extends A ? 1 : 2) extends <T>() => T extends B ? 1 : 2 ? true : false;
function exactly<T>() {
  return <V>(value: V, ..._proof: Exactly<V, T> extends true ? [] : [never]): V => value;
}

const jitters: Jitter[] = ['full', 'equal', 'decorrelated', 'none'];

const retry: RetryOptions = {
  limit: 3,
  methods: ['GET', 'PUT', 'report'],
  statusCodes: [429, 503] as const,
  baseDelay: 100,
  maxDelay: 5_000,
  jitter: jitters[2],
  maxRetryAfter: Infinity,
  retryOnTimeout: false,
};

const debounce: DebounceOptions = { key: 'search', wait: 250, maxWait: 1_000 };

const controller = new AbortController();

export const options: FetchOptions = {
  timeout: 3_000,
  totalTimeout: 10_000,
  retry,
  signal: controller.signal,
  headers: { accept: 'application/json' },
  concurrency: 4,
  responseType: 'auto',
  debounce,
  onEvent(event) {
    switch (event.type) {
      case 'attemptStart':
        exactly<number>()(event.attempt);
        break;
      case 'attemptEnd':
      case 'settle':
        exactly<boolean>()(event.ok);
        exactly<number | undefined>()(event.status);
        exactly<FetchErrorName | undefined>()(event.error);
        break;
      case 'retryWait':
        exactly<number>()(event.delay);
        exactly<FetchErrorName>()(event.error);
        exactly<number | undefined>()(event.retryAfter);
        break;
      case 'abort':
        exactly<'failFast' | 'user' | 'debounce'>()(event.by);
        exactly<boolean>()(event.duringWait);
        break;
      case 'hedgeStart':
        break;
      case 'breakerOpen':
      case 'breakerHalfOpen':
      case 'breakerClose':
      case 'budgetExhausted':
        exactly<string>()(event.origin);
        break;
      case 'rateLimited':
        exactly<string>()(event.origin);
        exactly<number>()(event.delay);
        break;
      default:
        exactly<never>()(event);
    }
    exactly<number>()(event.index);
    exactly<number>()(event.time);
    exactly<string>()(event.url);
  },
};

// The other ways to give each option.
export const alternatives: FetchOptions[] = [
  { retry: 0 },
  { retry: false },
  { timeout: Infinity, totalTimeout: Infinity, concurrency: Infinity },
  { headers: [['x-trace', '1']] },
  { headers: new Headers({ 'x-trace': '1' }) },
  { signal: AbortSignal.timeout(1_000) },
  { signal: null },
  { responseType: 'json' },
  { responseType: 'text' },
  { responseType: 'arrayBuffer' },
  { responseType: 'blob' },
  { debounce: { key: 'k', wait: 0 } },
  { onEvent: (event: FetchEvent) => console.log(event.type) },
  {},
];

export const requests: ReadonlyArray<string | RequestSpec> = [
  '/api/me',
  { url: '/api/jobs', method: 'POST', json: { name: 'build' }, id: 'create-job' },
  { url: '/api/upload', method: 'PUT', body: new Blob(['bytes']), headers: { 'content-type': 'text/plain' } },
  { url: '/api/form', method: 'POST', body: new URLSearchParams({ q: 'wasm' }) },
  { url: '/api/raw', method: 'POST', body: 'text', timeout: 500, retry: { limit: 1, methods: ['POST'] } },
  { url: '/api/none', method: 'DELETE', body: null, retry: false },
  { url: '/api/slow', timeout: Infinity, retry: 5 },
];

export async function allOrNothing(): Promise<string> {
  const results = await parallelFetch(requests, options);
  exactly<FetchResult[]>()(results);
  const [me] = results;
  if (!me) return 'none';
  exactly<string | undefined>()(me.id);
  exactly<string>()(me.url);
  exactly<number>()(me.status);
  exactly<string>()(me.statusText);
  exactly<boolean>()(me.ok);
  exactly<Record<string, string>>()(me.headers);
  exactly<unknown>()(me.data);
  exactly<number>()(me.attempts);
  exactly<number>()(me.duration);
  // Bodies are unknown until the caller says what they hold.
  const user = me as FetchResult<{ name: string }>;
  return user.data.name;
}

export async function withoutOptions(): Promise<number> {
  const results = await parallelFetch(['/a', '/b'] as const);
  return results.length;
}

export async function failures(): Promise<string> {
  try {
    await parallelFetch(['/a', '/b']);
    return 'ok';
  } catch (caught) {
    const error = caught as FetchError;
    exactly<string>()(error.message);
    exactly<string>()(error.url);
    exactly<string>()(error.method);
    exactly<number>()(error.attempts);
    exactly<number | undefined>()(error.status);
    exactly<unknown>()(error.cause);
    switch (error.name) {
      case 'HttpError':
        exactly<number>()(error.status);
        exactly<FetchResult>()(error.response);
        exactly<number | undefined>()(error.retryAfter);
        return `HTTP ${error.status}`;
      case 'AbortError':
        exactly<'user' | 'failFast'>()(error.abortedBy);
        return error.abortedBy;
      case 'CircuitOpenError':
        exactly<string>()(error.origin);
        return `open until ${error.retryAfter ?? 'the probe decides'}`;
      case 'TimeoutError':
      case 'NetworkError':
      case 'ParseError':
        return error.name;
      default:
        return exactly<never>()(error);
    }
  }
}

export async function settled(): Promise<number> {
  const outcomes = await settledFetch(['/a', { url: '/b', id: 'b' }], { retry: false });
  exactly<SettledResult[]>()(outcomes);
  let fulfilled = 0;
  for (const outcome of outcomes) {
    if (outcome.status === 'fulfilled') {
      exactly<FetchResult>()(outcome.value);
      fulfilled += 1;
    } else {
      exactly<'rejected'>()(outcome.status);
      exactly<FetchError>()(outcome.reason);
      if (outcome.reason.name === 'HttpError') exactly<number>()(outcome.reason.status);
    }
  }
  return fulfilled;
}

// Results look like Promise.allSettled's, so code written for it accepts them.
export function likeAllSettled(outcomes: SettledResult[]): PromiseSettledResult<FetchResult>[] {
  return outcomes;
}

// A client, as a page adopts one.
const clientOptions: ClientOptions = {
  baseUrl: 'https://api.example/v1',
  credentials: 'include',
  headers: { accept: 'application/json' },
  dedupe: true,
  perOrigin: { concurrency: 8 },
  idempotencyKey: true,
  retry: { limit: 3, methods: ['GET', 'POST'] },
  hooks: {
    beforeRequest: ({ headers, attempt }) => { headers.set('x-attempt', String(attempt)); },
    afterResponse: async ({ status }) => (status === 401 ? 'retry' : undefined),
  },
  breaker: { failureRatio: 0.5, minimumThroughput: 10, window: 10000, breakDuration: 5000 },
  retryBudget: { ratio: 0.1, minPerSecond: 2 },
  rateLimit: true,
  hedge: { delay: 50, max: 1 },
};
const api = createClient(clientOptions);
const child = api.extend({ timeout: 2000, cache: 'no-store' });
export async function clientCalls(): Promise<void> {
  const one: FetchResult = await child.fetchOne({ url: '/me', searchParams: { q: 1 }, priority: 'high' });
  const all: FetchResult[] = await api.parallelFetch(['/a', new URL('https://b.example/')], { keepalive: true });
  const settledAll: SettledResult[] = await api.settledFetch(['/a'], { mode: 'cors' });
  const free: FetchResult = await fetchOne('/a', { redirect: 'follow' });
  const counters: OriginStats | undefined = api.stats()['https://api.example'];
  if (counters) exactly<'closed' | 'open' | 'half-open'>()(counters.breaker);
  try {
    await api.fetchOne('/a', { hedge: false });
  } catch (e) {
    const error = e as FetchError;
    if (error.name === 'CircuitOpenError') exactly<string>()(error.origin);
  }
  void one; void all; void settledAll; void free; void counters;
}
