//! The TypeScript declarations of the public shapes (`types.d.ts`, beside this file), emitted
//! into the generated `.d.ts`. A native test (`policy::options` drift tests) checks its field
//! lists and defaults against the core's.
//!
//! Nothing here may be `any`: the consumer checks in tests/consumer compile code that must be
//! rejected, and an `any` would let it through. Headers and bodies are whatever the global
//! `RequestInit` says (lib "DOM" or @types/node), since they go to fetch unchanged.

use wasm_bindgen::prelude::*;

#[wasm_bindgen(typescript_custom_section)]
const TYPES: &'static str = include_str!("types.d.ts");
