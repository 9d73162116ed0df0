// Groups twiggy's items by where the code comes from. The first matching rule wins; null means
// "not shipped" (name sections), which totals leave out.

const RULES = [
  [/" subsection$|^custom section 'name'/, null],
  [/flt2dec|fmt::float|bignum|<f64 as core|<f32 as core|grisu|dragon/, 'f64 formatting (`{}`/`{:?}` of floats)'],
  [/dec2flt/, 'f64 parsing (`str::parse::<f64>`)'],
  [/panic|slice_error_fail|slice_index|str_index|unwrap_failed|expect_failed|AccessError|assert_failed|Location/, 'panic paths (messages, hooks, bounds checks)'],
  [/escape_debug|<char as core\S*fmt|<str as core\S*fmt::Debug|fmt::Formatter|core\S*::fmt::|alloc\S*::fmt::|fmt::Write|Display>::fmt|Debug>::fmt/, 'core::fmt (`format!`, `to_string`, Display/Debug)'],
  [/parallel_fetch::heap::|talc::|dlmalloc|__rdl_|__rust_(alloc|dealloc|realloc)/, 'allocator (src/heap.rs, and the __rust_* entry points)'],
  [/futures_util|futures_channel|futures_core|futures_task/, 'futures (FuturesUnordered, select, RemoteHandle, oneshot)'],
  [/js_sys::futures|wasm_bindgen_futures/, 'wasm-bindgen-futures (promise ↔ future, task queue)'],
  [/gloo_timers/, 'gloo-timers'],
  [/hashbrown|hash::|sip::|HashMap/, 'HashMap (debounce keys)'],
  [/parallel_fetch::web::([a-z_]+)/, (m) => `src/web/${m[1]}.rs`],
  [/parallel_fetch::policy::([a-z_]+)/, (m) => `src/policy/${m[1]}.rs`],
  [/wasm_bindgen|__wbindgen|__externref|js_sys|web_sys|__wbg|externref shim|multivalue shim/, 'wasm-bindgen runtime and JS bindings'],
  [/^data segment/, 'data segments (string literals, tables)'],
  [/GenericShunt|iter::|Iterator|RawVec|raw_vec|drop_in_place|alloc::|core::|str::|slice::|Vec|String|Rc<|Arc<|char::/, 'generic std code (iterators, Vec/String, drop glue; often inlined callers)'],
  [/^code\[\d+\]/, 'unnamed functions'],
  [/^(table|elem|type|import|export|global|memory|start|func)\b|section headers$|^custom section/, 'module structure (types, imports, exports, table, custom sections)'],
];

export function classify(name) {
  for (const [pattern, category] of RULES) {
    const m = name.match(pattern);
    if (m) return typeof category === 'function' ? category(m) : category;
  }
  return 'other';
}

// Size per feature: each of classify()'s groups goes to one feature, by the first rule that
// matches the group's name. The crate's own files (`src/...`) split three ways, everything from
// libraries (std, the allocator, futures, wasm-bindgen, compiler builtins) is the runtime
// whoever calls it, and what twiggy cannot attribute to a function (string literals, module
// structure, unnamed code) is left apart. FEATURE_RULE says the same in words, for the table's caption.
const FEATURE_RULES = [
  [/^src\/(web\/(client\w*|limiter|debounce|dedup\w*|hooks?)|policy\/(client|slots|debounce))\.rs$/, 'client'],
  [/^src\/(policy\/(breaker|budget|hedge|ratelimit|structured|resilience_options)|web\/hedged)\.rs$/, 'resilience'],
  [/^src\//, 'core'],
  [/^(data segments|module structure|unnamed functions)\b/, 'unattributed'],
  [/./, 'runtime'],
];

/** The features in the order the table lists them. */
export const FEATURES = ['core', 'client', 'resilience', 'runtime', 'unattributed'];

export const FEATURE_RULE =
  '**core**: the crate\'s own code for calls, requests and attempts, i.e. every `src/` file not listed ' +
  'below (`src/policy/*` but the client and resilience files, and `src/web/*`: api, join, request, ' +
  'attempt, exchange, result, outcome, prepare, validation, errors, events, …); **client**: ' +
  '`src/web/client*.rs`, `limiter.rs`, `debounce.rs` and any `dedup*`/`hooks` file, `src/policy/client.rs`, ' +
  '`slots.rs`, `debounce.rs`; **resilience**: `src/policy/breaker.rs`, `budget.rs`, `hedge.rs`, ' +
  '`ratelimit.rs`, `structured.rs`, `resilience_options.rs` (with their submodules) and ' +
  '`src/web/hedged.rs`; **runtime**: the libraries whoever calls them: allocator, futures, ' +
  'wasm-bindgen and its futures, gloo-timers, core::fmt, float formatting and parsing, panic paths, ' +
  'HashMap, generic std code and anything else twiggy names (compiler builtins, small `str` ' +
  'methods); **unattributed**: data segments (string literals of every feature), module ' +
  'structure and unnamed functions. A function is counted where its name ' +
  'says it is defined, so code inlined into it counts there too; a library\'s generic code ' +
  'instantiated for the crate\'s types counts under the first of the crate\'s files its name ' +
  'mentions (the `GenericShunt` that collects the prepared requests is `src/web/prepare.rs`), ' +
  'and as runtime when it names none.';

/** The feature a classify() group belongs to. */
export function feature(category) {
  for (const [pattern, name] of FEATURE_RULES) if (pattern.test(category)) return name;
  return 'runtime';
}
