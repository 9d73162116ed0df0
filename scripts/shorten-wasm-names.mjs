#!/usr/bin/env node
// Shortens the names wasm-bindgen gives the imports and exports between the .wasm and its JS
// glue (issue 11: 2.8 KB of the shipped 73.6 KB gzipped were those names, such as
// `wasm_bindgen_<hash>___convert__closures_____invoke___js_sys_<hash>___Function_fn_…` and
// `./parallel_fetch_bg.js` + `__wbg_static_accessor_WINDOW_<hash>` once per import).
//
//   node scripts/shorten-wasm-names.mjs GLUE.js MODULE.wasm
//
// Rewrites both files in place, together: every import of wasm-bindgen's own module gets a short
// name, every module a short key, and every export the glue reads but `memory` and
// `__wbindgen_externrefs` a short name, in the .wasm's import and export sections and in the glue
// (the import object's keys, the `wasm.<export>` reads). A JS snippet's import names are its own
// exports and stay. Nothing else changes: no function, type or data byte. It refuses, writing
// nothing, when the glue does not mention each name exactly where it expects (a wasm-bindgen whose
// glue reads names another way), so a mismatch fails the build instead of shipping a module that
// cannot start.
import { readFileSync, writeFileSync } from 'node:fs';

const [gluePath, wasmPath] = process.argv.slice(2);
if (!gluePath || !wasmPath) {
  console.error('usage: node scripts/shorten-wasm-names.mjs GLUE.js MODULE.wasm');
  process.exit(2);
}
const fail = (message) => {
  console.error(`shorten-wasm-names: ${message}`);
  process.exit(1);
};

const bytes = readFileSync(wasmPath);
let glue = readFileSync(gluePath, 'utf8');
if (bytes.readUInt32LE(0) !== 0x6d736100 || bytes.readUInt32LE(4) !== 1) fail(`${wasmPath} is not a wasm module`);

/** Reads an unsigned LEB128 at `at`: [value, next offset]. */
function leb(buf, at) {
  let value = 0;
  let shift = 0;
  for (;;) {
    const b = buf[at++];
    value += (b & 0x7f) * 2 ** shift;
    shift += 7;
    if (b < 0x80) return [value, at];
  }
}
function encodeLeb(value) {
  const out = [];
  do {
    let b = value % 128;
    value = Math.floor(value / 128);
    if (value) b |= 0x80;
    out.push(b);
  } while (value);
  return Buffer.from(out);
}
const encodeName = (s) => Buffer.concat([encodeLeb(Buffer.byteLength(s)), Buffer.from(s)]);
function readName(buf, at) {
  const [len, start] = leb(buf, at);
  return [buf.toString('utf8', start, start + len), start + len];
}
/** Skips a limits field (memory, table). */
function skipLimits(buf, at) {
  const flags = buf[at++];
  [, at] = leb(buf, at);
  if (flags & 1) [, at] = leb(buf, at);
  return at;
}
/** Skips one import's description, after its names. */
function skipImportDesc(buf, at) {
  const kind = buf[at++];
  switch (kind) {
    case 0: // function: type index
      return leb(buf, at)[1];
    case 1: // table: reftype, limits
      return skipLimits(buf, at + 1);
    case 2: // memory: limits
      return skipLimits(buf, at);
    case 3: // global: valtype, mutability
      return at + 2;
    case 4: // tag: attribute, type index
      return leb(buf, at + 1)[1];
    default:
      return fail(`import of unknown kind ${kind}`);
  }
}

const ALPHABET = 'abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ';
/** The `n`th short name: a … Z, aa, ab, …. */
function short(n) {
  let s = '';
  for (n += 1; n > 0; n = Math.floor((n - 1) / 52)) s = ALPHABET[(n - 1) % 52] + s;
  return s;
}
/** Exports that keep their names: what code other than the glue reads. */
const KEPT_EXPORTS = ['memory', '__wbindgen_externrefs'];
const escape = (s) => s.replace(/[$.*+?^(){}[\]|\\/]/g, '\\$&');

/** Replaces the one match of `pattern` in the glue, or fails. */
function replaceOnce(pattern, replacement, what) {
  const matches = glue.match(new RegExp(pattern.source, 'g')) ?? [];
  if (matches.length !== 1) fail(`the glue has ${matches.length} ${what}, expected exactly 1`);
  glue = glue.replace(pattern, replacement);
}

const sections = [];
let at = 8;
while (at < bytes.length) {
  const id = bytes[at];
  const [size, start] = leb(bytes, at + 1);
  sections.push({ id, body: bytes.subarray(start, start + size) });
  at = start + size;
}

const modules = new Map();
let importNames = 0;
let exportNames = 0;
for (const section of sections) {
  if (section.id === 2) {
    const body = section.body;
    let [count, p] = leb(body, 0);
    const imports = [];
    const seen = new Map();
    for (let i = 0; i < count; i++) {
      let module;
      let name;
      [module, p] = readName(body, p);
      [name, p] = readName(body, p);
      const descStart = p;
      p = skipImportDesc(body, p);
      if (!modules.has(module)) modules.set(module, short(modules.size));
      if (!seen.has(module)) seen.set(module, new Map());
      seen.get(module).set(name, name);
      imports.push({ module, name, desc: body.subarray(descStart, p) });
    }
    // The import object: wasm-bindgen's own module is `"./<name>_bg.js": import0`, an object
    // whose keys are the import names (`name: function(` or `name(`). A JS snippet's module is
    // a namespace import (`import * as importN from './snippet.js'`) under one key per use: its
    // names are the snippet's own exports and stay; its key shortens everywhere.
    for (const [module, names] of seen) {
      const key = new RegExp(`(["'])${escape(module)}\\1(\\s*:)`, 'g');
      const shortKey = `"${modules.get(module)}"$2`;
      if (!/^\.\/[^/]+_bg\.js$/.test(module)) {
        if (!key.test(glue)) fail(`the glue has no key "${module}"`);
        glue = glue.replace(key, shortKey);
        continue;
      }
      replaceOnce(key, shortKey, `keys "${module}"`);
      for (const name of names.keys()) {
        if (!/^[A-Za-z_$][\w$]*$/.test(name)) fail(`import name ${JSON.stringify(name)} is not an identifier`);
        const to = short(importNames++);
        replaceOnce(new RegExp(`(?<![\\w$.])${escape(name)}(?=\\s*[:(])`), to, `keys ${name}`);
        names.set(name, to);
      }
    }
    const parts = [encodeLeb(count)];
    for (const { module, name, desc } of imports) {
      parts.push(encodeName(modules.get(module)), encodeName(seen.get(module).get(name)), desc);
    }
    section.body = Buffer.concat(parts);
  } else if (section.id === 7) {
    const body = section.body;
    let [count, p] = leb(body, 0);
    const parts = [encodeLeb(count)];
    for (let i = 0; i < count; i++) {
      let name;
      [name, p] = readName(body, p);
      const descStart = p;
      p = leb(body, p + 1)[1];
      let to = name;
      const reads = new RegExp(`\\bwasm\\.${escape(name)}(?![\\w$])`, 'g');
      // `memory` and the externref table (the benchmarks' and the fuzz test's memory probes read
      // them), and what the glue never reads (such as std's `__abort_handler`), keep their names.
      if (!KEPT_EXPORTS.includes(name) && reads.test(glue)) {
        to = `_${short(exportNames++)}`;
        glue = glue.replace(reads, `wasm.${to}`);
      }
      parts.push(encodeName(to), body.subarray(descStart, p));
    }
    section.body = Buffer.concat(parts);
  }
}
if (importNames === 0) fail(`${wasmPath} has no imports to shorten: already shortened?`);

const out = [bytes.subarray(0, 8)];
for (const { id, body } of sections) out.push(Buffer.from([id]), encodeLeb(body.length), body);
const shortened = Buffer.concat(out);
if (!WebAssembly.validate(shortened)) fail('the rewritten module does not validate');
writeFileSync(wasmPath, shortened);
writeFileSync(gluePath, glue);
console.log(
  `shorten-wasm-names: ${importNames} imports from ${modules.size} modules, ${exportNames} exports: ` +
    `${bytes.length - shortened.length} B smaller .wasm`,
);
