// Code the types must reject. Each `@ts-expect-error` is tagged `[id] TSxxxx "fragment"`:
// checks/types.mjs compiles a copy without the directives and requires exactly one error
// per tagged line, with that code and a message containing the fragment (the right reason).
// If a type decayed to `any` the line would compile, its directive would be unused, and
// plain `tsc` fails on this file (checks/type-regressions.mjs proves that for each case).
import { createClient, parallelFetch, settledFetch, type FetchError, type FetchResult } from 'parallel-fetch';

declare const results: FetchResult[];
declare const error: FetchError;

// @ts-expect-error [timeout-string] TS2322 "not assignable to type 'number'"
parallelFetch(['/a'], { timeout: '5s' });
// @ts-expect-error [request-timeout-string] TS2322 "not assignable to type 'number'"
parallelFetch([{ url: '/a', timeout: '5s' }]);
// @ts-expect-error [jitter-unknown] TS2322 "'\"random\"' is not assignable to type 'Jitter"
parallelFetch(['/a'], { retry: { jitter: 'random' } });
// @ts-expect-error [retry-true] TS2322 "not assignable to type 'number | false | RetryOptions"
settledFetch(['/a'], { retry: true });
// @ts-expect-error [unknown-option] TS2561 "Did you mean to write 'timeout'?"
parallelFetch(['/a'], { timout: 5 });
// @ts-expect-error [client-unknown-option] TS2561 "Did you mean to write 'baseUrl'?"
createClient({ baseURL: 'https://api.example' });
// @ts-expect-error [credentials-unknown] TS2322 "'\"sometimes\"' is not assignable to type"
createClient({ credentials: 'sometimes' });
// @ts-expect-error [response-type] TS2322 "'\"xml\"' is not assignable to type '\"arrayBuffer\" | \"auto\" | \"blob\" | \"json\" | \"text\""
parallelFetch(['/a'], { responseType: 'xml' });
// @ts-expect-error [debounce-no-wait] TS2741 "Property 'wait' is missing"
parallelFetch(['/a'], { debounce: { key: 'search' } });
// @ts-expect-error [signal-string] TS2322 "not assignable to type 'AbortSignal'"
parallelFetch(['/a'], { signal: 'stop' });
// @ts-expect-error [headers-number] TS2322 "Type 'number' is not assignable"
parallelFetch(['/a'], { headers: 42 });
// @ts-expect-error [not-an-array] TS2345 "not assignable to parameter of type 'readonly (string | RequestSpec | URL)[]'"
parallelFetch('/a');
// @ts-expect-error [no-url] TS2322 "Property 'url' is missing"
settledFetch([{ method: 'POST', json: {} }]);
// @ts-expect-error [request-number] TS2322 "Type 'number' is not assignable to type 'string | RequestSpec | URL'"
parallelFetch([42]);
// @ts-expect-error [body-number] TS2322 "Type 'number' is not assignable"
parallelFetch([{ url: '/a', method: 'POST', body: 42 }]);
// @ts-expect-error [id-number] TS2322 "not assignable to type 'string'"
parallelFetch([{ url: '/a', id: 7 }]);
// @ts-expect-error [event-unnarrowed] TS2339 "Property 'delay' does not exist"
parallelFetch(['/a'], { onEvent: (event) => event.delay });
// @ts-expect-error [data-unknown] TS2571 "Object is of type 'unknown'"
results[0]?.data.name;
// @ts-expect-error [settled-unnarrowed] TS2339 "Property 'value' does not exist"
settledFetch(['/a']).then((all) => all[0]?.value);
// @ts-expect-error [status-maybe-undefined] TS2322 "'number | undefined' is not assignable to type 'number'"
export const status: number = error.status;
// @ts-expect-error [error-name-typo] TS2367 "have no overlap"
export const isHttp = error.name === 'HttpErr';
// @ts-expect-error [results-not-settled] TS2339 "Property 'reason' does not exist"
parallelFetch(['/a']).then((all) => all[0]?.reason);
