//! Hostile input: values whose reads throw (Proxies with throwing traps, revoked Proxies,
//! throwing getters, fake AbortSignals) reject with a TypeError naming the field, never throw
//! synchronously, and leave the module working with its memory and externref table unchanged;
//! what fetch itself would refuse is refused at once; URL objects are requests.

use super::support::*;
use js_sys::{Array, Function, Promise, Reflect};
use parallel_fetch::web::api::{parallel_fetch, settled_fetch};
use wasm_bindgen::prelude::*;
use wasm_bindgen::JsCast;
use wasm_bindgen_futures::JsFuture;
use wasm_bindgen_test::wasm_bindgen_test;

/// The SDK's two functions as JS functions, so that a JS caller can call them as a page would.
fn as_js(settled: bool) -> Function {
    let f: Closure<dyn Fn(JsValue, JsValue) -> Promise> = if settled {
        Closure::new(|r: JsValue, o: JsValue| {
            settled_fetch(r.unchecked_into(), Some(o.unchecked_into()))
        })
    } else {
        Closure::new(|r: JsValue, o: JsValue| {
            parallel_fetch(r.unchecked_into(), Some(o.unchecked_into()))
        })
    };
    f.into_js_value().unchecked_into()
}

/// Calls `sdk(requests, options)` from JS and describes what happened: `threw: …` for a
/// synchronous throw, else the rejection as `Name: message` (or `resolved`).
async fn outcome(sdk: &Function, requests: &JsValue, options: &JsValue) -> String {
    let harness = Function::new_with_args(
        "sdk, requests, options",
        "try { return sdk(requests, options).then(() => 'resolved', (e) => \
           (e instanceof Error ? e.name + ': ' + e.message : 'not an Error: ' + String(e))); } \
         catch (e) { return Promise.resolve('threw: ' + String(e)); }",
    );
    let promise: Promise = harness
        .call3(&JsValue::UNDEFINED, sdk, requests, options)
        .expect("the harness itself never throws")
        .unchecked_into();
    JsFuture::from(promise)
        .await
        .ok()
        .and_then(|v| v.as_string())
        .unwrap_or_default()
}

/// `(requests, options, expected start of the outcome)` for each kind of hostile value.
fn hostile_cases(good: &str) -> Vec<(JsValue, JsValue, String)> {
    let source = format!(
        r#"(() => {{
  const good = {good:?};
  const trap = () => {{ throw new Error('trap'); }};
  const throwing = new Proxy({{}}, {{ get: trap, ownKeys: trap, getPrototypeOf: trap, has: trap, getOwnPropertyDescriptor: trap }});
  const revoked = Proxy.revocable({{}}, {{}}); revoked.revoke();
  const revokedArray = Proxy.revocable([], {{}}); revokedArray.revoke();
  const getter = (key) => Object.defineProperty({{}}, key, {{ enumerable: true, get: trap }});
  const throwsValue = (value) => Object.defineProperty({{}}, 'retry', {{ enumerable: true, get() {{ throw value; }} }});
  const fakeSignal = Object.create(AbortSignal.prototype);
  const badLength = new Proxy([good], {{ get: (t, k) => k === 'length' ? trap() : t[k] }});
  const badIndex = new Proxy([good, good], {{ get: (t, k) => k === '1' ? trap() : t[k] }});
  return [
    [[good], throwing, 'TypeError: options could not be read: Error: trap'],
    [[good], revoked.proxy, 'TypeError: options could not be read: TypeError: '],
    [[good], getter('retry'), 'TypeError: options.retry could not be read: Error: trap'],
    [[good], getter('signal'), 'TypeError: options.signal could not be read: Error: trap'],
    [[good], throwsValue('nope'), 'TypeError: options.retry could not be read: nope'],
    [[good], throwsValue({{ name: 'Custom', message: '' }}), 'TypeError: options.retry could not be read: Custom'],
    [[good], throwsValue(Object.create(null)), 'TypeError: options.retry could not be read: a value that cannot be shown'],
    [[good], throwsValue(throwing), 'TypeError: options.retry could not be read: a value that cannot be shown'],
    [[good], {{ retry: throwing }}, 'TypeError: options.retry could not be read: Error: trap'],
    [[good], {{ retry: {{ methods: revokedArray.proxy }} }}, 'TypeError: options.retry.methods could not be read: TypeError: '],
    [[good], {{ signal: fakeSignal }}, 'TypeError: options.signal must be an AbortSignal'],
    [[good], {{ signal: throwing }}, 'TypeError: options.signal could not be read: Error: trap'],
    [[good], {{ headers: throwing }}, 'TypeError: options.headers is not valid: Error: trap'],
    [[good], {{ debounce: getter('key') }}, 'TypeError: options.debounce.key could not be read: Error: trap'],
    [throwing, {{}}, 'TypeError: requests could not be read: Error: trap'],
    [42, {{}}, 'TypeError: requests must be an array of URL strings, URLs or request objects, got 42'],
    [revokedArray.proxy, {{}}, 'TypeError: requests could not be read: TypeError: '],
    [badLength, {{}}, 'TypeError: requests could not be read: Error: trap'],
    [badIndex, {{}}, 'TypeError: requests[1] could not be read: Error: trap'],
    [[throwing], {{}}, 'TypeError: requests[0] could not be read: Error: trap'],
    [[revoked.proxy], {{}}, 'TypeError: requests[0] could not be read: TypeError: '],
    [[getter('url')], {{}}, 'TypeError: requests[0].url could not be read: Error: trap'],
    [[{{ url: good, headers: throwing }}], {{}}, 'TypeError: requests[0].headers is not valid: Error: trap'],
    [[{{ url: good, method: 'POST', body: throwing }}], {{}}, 'TypeError: requests[0].body is refused by fetch: Error: trap'],
    [[{{ url: good, method: 'POST', json: throwing }}], {{}}, 'TypeError: requests[0].json cannot be serialized to JSON: Error: trap'],
    [[{{ url: throwing }}], {{}}, 'TypeError: requests[0].url could not be read: Error: trap'],
    [[{{ url: {{}} }}], {{}}, 'TypeError: requests[0].url must be a string or a URL, got an object'],
  ];
}})()"#
    );
    eval(&source)
        .unchecked_into::<Array>()
        .iter()
        .map(|case| {
            let case: Array = case.unchecked_into();
            (
                case.get(0),
                case.get(1),
                case.get(2).as_string().unwrap_or_default(),
            )
        })
        .collect()
}

#[wasm_bindgen_test]
async fn hostile_values_reject_naming_the_field_and_never_throw() {
    let good = url("/r");
    for settled in [false, true] {
        let sdk = as_js(settled);
        for (requests, options, expected) in hostile_cases(&good) {
            let got = outcome(&sdk, &requests, &options).await;
            assert!(
                got.starts_with(&expected),
                "expected {expected:?}…, got {got:?}"
            );
        }
    }
}

#[wasm_bindgen_test]
async fn five_thousand_hostile_calls_leave_the_module_whole_and_its_memory_flat() {
    let good = url("/r");
    let cases = hostile_cases(&good);
    let sdk = as_js(false);
    let memory = || {
        let memory: js_sys::WebAssembly::Memory = wasm_bindgen::memory().unchecked_into();
        let buffer = Reflect::get(&memory.buffer(), &"byteLength".into()).expect("byteLength");
        buffer.as_f64().unwrap_or_default()
    };
    // Warm up, so that the allocator and the externref table have reached their working size.
    for (requests, options, _) in cases.iter().cycle().take(500) {
        outcome(&sdk, requests, options).await;
    }
    let (bytes, refs) = (memory(), wasm_bindgen::externref_heap_live_count());
    for (requests, options, expected) in cases.iter().cycle().take(5_000) {
        let got = outcome(&sdk, requests, options).await;
        assert!(got.starts_with(expected.as_str()), "{got}");
    }
    assert_eq!(memory(), bytes, "wasm memory grew");
    let grown = wasm_bindgen::externref_heap_live_count().saturating_sub(refs);
    assert!(grown <= 2, "{grown} externrefs leaked");
    let results = parallel(strings(&[good]), js("{}"))
        .await
        .expect("the module still works");
    assert_eq!(number(&at(&results, 0), "status"), 200.0);
}

#[wasm_bindgen_test]
async fn what_fetch_would_refuse_is_a_type_error_at_once_and_nothing_is_sent() {
    let k = key("refused");
    let target = url(&format!("/r?key={k}"));
    let with_credentials = target.replacen("http://", "http://user:pw@", 1);
    let source = format!(
        r#"(() => {{
  const target = {target:?};
  return [
    [[{with_credentials:?}], 'TypeError: requests[0].url must not include credentials'],
    [[{{ url: target, method: 'POST', body: Symbol('s') }}], 'TypeError: requests[0].body is refused by fetch: TypeError: '],
    [[{{ url: target, method: 'PUT', body: {{ toString() {{ throw new Error('no'); }} }} }}], 'TypeError: requests[0].body is refused by fetch: Error: no'],
    [[{{ url: target, method: 'TRACE' }}], 'TypeError: requests[0].method "TRACE" is forbidden by fetch'],
    [[target.replace('http:', 'ftp:')], 'TypeError: requests[0].url has the scheme "ftp:", which fetch cannot request'],
    [[42], 'TypeError: requests[0] must be a URL string, a URL or an object with a url, got 42'],
    [[{{ href: target }}], 'TypeError: requests[0] has no option "href"'],
  ];
}})()"#
    );
    let sdk = as_js(true);
    for case in eval(&source).unchecked_into::<Array>().iter() {
        let case: Array = case.unchecked_into();
        let expected = case.get(1).as_string().unwrap_or_default();
        let got = outcome(&sdk, &case.get(0), &js("{}")).await;
        assert!(
            got.starts_with(&expected),
            "expected {expected:?}…, got {got:?}"
        );
    }
    sleep(100).await;
    assert_eq!(
        stats(&k).await.hits,
        0,
        "nothing was sent, so nothing was retried"
    );
}

#[wasm_bindgen_test]
async fn url_objects_are_requests_as_fetch_takes_them() {
    let (a, b) = (key("url-a"), key("url-b"));
    let source = format!(
        "[new URL({:?}), {{ url: new URL({:?}), id: 'b' }}]",
        url(&format!("/r?key={a}")),
        url(&format!("/r?key={b}"))
    );
    let results = parallel(eval(&source), js("{}"))
        .await
        .expect("URL objects work");
    assert_eq!(text(&get(&at(&results, 0), "data"), "key"), a);
    assert_eq!(text(&get(&at(&results, 1), "data"), "key"), b);
    assert_eq!(text(&at(&results, 1), "id"), "b");
}
