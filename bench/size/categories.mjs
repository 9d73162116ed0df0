// Groups twiggy's items by where the code comes from. The first matching rule wins; null means
// "not shipped" (name sections), which totals leave out.

const RULES = [
  [/" subsection$|^custom section 'name'/, null],
  [/flt2dec|fmt::float|bignum|<f64 as core|<f32 as core|grisu|dragon/, 'f64 formatting (`{}`/`{:?}` of floats)'],
  [/dec2flt/, 'f64 parsing (`str::parse::<f64>`)'],
  [/panic|slice_error_fail|slice_index|str_index|unwrap_failed|expect_failed|AccessError|assert_failed|Location/, 'panic paths (messages, hooks, bounds checks)'],
  [/escape_debug|<char as core\S*fmt|<str as core\S*fmt::Debug|fmt::Formatter|core\S*::fmt::|alloc\S*::fmt::|fmt::Write|Display>::fmt|Debug>::fmt/, 'core::fmt (`format!`, `to_string`, Display/Debug)'],
  [/dlmalloc|__rdl_|__rust_(alloc|dealloc|realloc)/, 'allocator (dlmalloc)'],
  [/futures_util|futures_channel|futures_core|futures_task/, 'futures (FuturesUnordered, select, RemoteHandle, oneshot)'],
  [/js_sys::futures|wasm_bindgen_futures/, 'wasm-bindgen-futures (promise ↔ future, task queue)'],
  [/gloo_timers/, 'gloo-timers'],
  [/hashbrown|hash::|sip::|HashMap/, 'HashMap (debounce keys)'],
  [/parallel_fetch::web::([a-z_]+)/, (m) => `src/web/${m[1]}.rs`],
  [/parallel_fetch::policy::([a-z_]+)/, (m) => `src/policy/${m[1]}.rs`],
  [/wasm_bindgen|__wbindgen|__externref|js_sys|web_sys|__wbg/, 'wasm-bindgen runtime and JS bindings'],
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
