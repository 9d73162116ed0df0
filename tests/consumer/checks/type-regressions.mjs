// Proves the type checks catch regressions: each case patches a copy of the installed
// index.d.ts the way a careless change to src/web/typescript.rs or src/web/api.rs would
// (a field widened, a union loosened, an `any`), and requires tsc to fail on types/rejects.ts
// with "Unused '@ts-expect-error' directive" (TS2578) on exactly the lines the case names.
// Every tagged line must be named by some case, so none of them is dead weight. All cases
// compile as one program, each from its own copy of the package, to pay tsc's start once.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { addFile, addPackage, addTsconfig, consumer, expectations, scratchProject, tsc } from './tsc.mjs';

const PROFILE = 'tsconfig.json';

/** `dts` with every `from` replaced by `to` (after `anchor`, once, when given). */
const swap = (from, to, anchor) => (dts) => {
  const start = anchor === undefined ? 0 : dts.indexOf(anchor);
  if (start < 0 || dts.indexOf(from, start) < 0) throw new Error(`the .d.ts has no ${JSON.stringify(from)}`);
  if (anchor === undefined) return dts.replaceAll(from, to);
  const at = dts.indexOf(from, start);
  return dts.slice(0, at) + to + dts.slice(at + from.length);
};

const CASES = [
  {
    name: 'timeout accepts a string',
    patch: swap('timeout?: number;', 'timeout?: number | string;'),
    unlocks: ['timeout-string', 'request-timeout-string'],
  },
  {
    name: 'jitter is any string',
    patch: swap("export type Jitter = 'full' | 'equal' | 'decorrelated' | 'none';", 'export type Jitter = string;'),
    unlocks: ['jitter-unknown'],
  },
  {
    name: 'retry accepts true',
    patch: swap('retry?: number | false | RetryOptions;', 'retry?: number | boolean | RetryOptions;'),
    unlocks: ['retry-true'],
  },
  {
    name: 'options take unknown fields',
    patch: swap('export interface FetchOptions extends FetchInitFields {', 'export interface FetchOptions extends FetchInitFields {\n    [field: string]: unknown;'),
    // ClientOptions extends FetchOptions, so its misspellings get through too.
    unlocks: ['unknown-option', 'client-unknown-option', 'credentials-unknown'],
  },
  {
    name: 'client options take unknown fields',
    patch: swap("export interface ClientOptions extends Omit<FetchOptions, 'signal' | 'debounce'> {", "export interface ClientOptions extends Omit<FetchOptions, 'signal' | 'debounce'> {\n    [field: string]: unknown;"),
    unlocks: ['client-unknown-option'],
  },
  {
    name: 'credentials is any string',
    patch: swap("credentials?: 'omit' | 'same-origin' | 'include';", 'credentials?: string;'),
    unlocks: ['credentials-unknown'],
  },
  {
    name: 'responseType is any string',
    patch: swap("responseType?: 'auto' | 'json' | 'text' | 'arrayBuffer' | 'blob';", 'responseType?: string;'),
    unlocks: ['response-type'],
  },
  {
    name: 'debounce.wait is optional',
    patch: swap('wait: number;', 'wait?: number;', 'export interface DebounceOptions'),
    unlocks: ['debounce-no-wait'],
  },
  {
    name: 'signal is any',
    patch: swap('signal?: AbortSignal | null;', 'signal?: any;'),
    unlocks: ['signal-string'],
  },
  {
    name: 'headers are any',
    patch: swap("export type FetchHeadersInit = NonNullable<RequestInit['headers']>;", 'export type FetchHeadersInit = any;'),
    unlocks: ['headers-number'],
  },
  {
    name: 'body is any',
    patch: swap("export type FetchBodyInit = NonNullable<RequestInit['body']>;", 'export type FetchBodyInit = any;'),
    unlocks: ['body-number'],
  },
  {
    name: 'options are any',
    patch: swap('options?: FetchOptions', 'options?: any'),
    unlocks: ['timeout-string', 'jitter-unknown', 'retry-true', 'unknown-option', 'response-type', 'debounce-no-wait', 'signal-string', 'headers-number'],
  },
  {
    name: 'requests are any',
    patch: swap('requests: ReadonlyArray<string | URL | RequestSpec>', 'requests: any'),
    unlocks: ['request-timeout-string', 'not-an-array', 'no-url', 'request-number', 'body-number', 'id-number'],
  },
  {
    name: 'a request needs no url',
    patch: swap('url: string | URL;', 'url?: string | URL;', 'export interface RequestSpec'),
    unlocks: ['no-url'],
  },
  {
    name: 'a request id may be a number',
    patch: swap('id?: string;', 'id?: string | number;', 'export interface RequestSpec'),
    unlocks: ['id-number'],
  },
  {
    name: 'events are any',
    patch: swap('onEvent?: (event: FetchEvent) => void;', 'onEvent?: (event: any) => void;'),
    unlocks: ['event-unnarrowed'],
  },
  {
    name: 'result data is any',
    patch: swap('data: T;', 'data: any;'),
    unlocks: ['data-unknown'],
  },
  {
    name: 'settledFetch resolves to any[]',
    patch: swap('Promise<SettledResult[]>', 'Promise<any[]>'),
    unlocks: ['settled-unnarrowed'],
  },
  {
    name: 'parallelFetch resolves to any[]',
    patch: swap('Promise<FetchResult[]>', 'Promise<any[]>'),
    unlocks: ['results-not-settled'],
  },
  {
    name: 'an error name is any string',
    patch: swap('name: Name;', 'name: string;'),
    unlocks: ['error-name-typo'],
  },
  {
    name: 'every error has a status',
    patch: swap('status?: number;', 'status: number;', 'export interface FetchErrorBase'),
    unlocks: ['status-maybe-undefined'],
  },
];

const rejects = readFileSync(join(consumer, 'types/rejects.ts'), 'utf8');
const tags = expectations(rejects);
const lineOf = new Map(tags.map((t) => [t.id, t.directiveLine]));
const idAt = new Map(tags.map((t) => [t.directiveLine, t.id]));
const problems = [];

const unnamed = tags.filter((t) => !CASES.some((c) => c.unlocks.includes(t.id)));
for (const t of unnamed) problems.push(`no case unlocks [${t.id}]: add one, or the line proves nothing`);

const dir = scratchProject('regressions');
const caseFile = (i) => `cases/case-${i}.ts`;
for (const [i, c] of CASES.entries()) {
  for (const id of c.unlocks) if (!lineOf.has(id)) problems.push(`${c.name}: no [${id}] in rejects.ts`);
  addPackage(dir, `parallel-fetch-case-${i}`, c.patch);
  addFile(dir, caseFile(i), rejects.replace("from 'parallel-fetch'", `from 'parallel-fetch-case-${i}'`));
}
addTsconfig(dir, PROFILE, CASES.map((_, i) => caseFile(i)));
const result = tsc(dir, PROFILE);
if (result.status === 0) problems.push('tsc passes on every patched copy');

for (const [i, c] of CASES.entries()) {
  const unused = result.diagnostics
    .filter((d) => d.file === caseFile(i) && d.code === 'TS2578')
    .map((d) => idAt.get(d.line) ?? `line ${d.line}`);
  const want = [...c.unlocks].sort().join(', ');
  const got = unused.sort().join(', ');
  if (want !== got) problems.push(`${c.name}: unused directives are [${got}], want [${want}]`);
  else console.log(`type-regressions: caught "${c.name}": unused @ts-expect-error at [${got}]`);
  if (i === 0 && process.env.PF_SHOW_TSC) {
    console.log(result.output.split('\n').filter((l) => l.startsWith(caseFile(i))).join('\n'));
  }
}

if (problems.length) {
  console.error(`type-regressions: FAILED\n  ${problems.join('\n  ')}`);
  process.exit(1);
}
console.log(`type-regressions: ok: each of ${CASES.length} deliberate regressions makes tsc fail on exactly its lines`);
