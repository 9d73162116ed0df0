// Size of the web package: what ships (the optimised .wasm (scripts/wasm-opt.sh's flags) and the JS glue, raw, gzip and brotli) and,
// from twiggy, what the .wasm is made of, grouped by where the code comes from.
//
//   node bench/size/report.mjs PKG_DIR [NAMED_WASM]
//
// NAMED_WASM is the same build optimised the same way but with its name section kept
// (wasm-opt with the same flags and -g), so twiggy can attribute functions; name sections are left out of totals.
// Without it there is no breakdown. Prints markdown. gzip is the gzip program's -9, as a
// server would precompress; brotli is Node's at quality 11.

import { execFileSync } from 'node:child_process';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { brotliCompressSync, constants } from 'node:zlib';
import { kib, table } from '../lib/markdown.mjs';
import { classify, feature, FEATURE_RULE, FEATURES } from './categories.mjs';

/** Target for the gzipped .wasm, in bytes. */
const TARGET_GZIP = 35 * 1024;

function sizes(bytes) {
  return {
    raw: bytes.length,
    gzip: execFileSync('gzip', ['-9', '-n', '-c'], { input: bytes, maxBuffer: 64 << 20 }).length,
    brotli: brotliCompressSync(bytes, { params: { [constants.BROTLI_PARAM_QUALITY]: 11 } }).length,
  };
}

function shippedTable(pkg) {
  const wasm = sizes(readFileSync(join(pkg, 'parallel_fetch_bg.wasm')));
  // The glue, with any inline_js snippets wasm-bindgen wrote beside it.
  const snippets = existsSync(join(pkg, 'snippets'))
    ? readdirSync(join(pkg, 'snippets'), { recursive: true }).filter((f) => f.endsWith('.js'))
    : [];
  const glue = sizes(
    Buffer.concat([join(pkg, 'parallel_fetch.js'), ...snippets.map((f) => join(pkg, 'snippets', f))].map((f) => readFileSync(f))),
  );
  const total = { raw: wasm.raw + glue.raw, gzip: wasm.gzip + glue.gzip, brotli: wasm.brotli + glue.brotli };
  const row = (name, s) => [name, kib(s.raw), kib(s.gzip), kib(s.brotli)];
  const verdict = (what, gz) =>
    `${what} gzipped is ${kib(gz)}: ${gz <= TARGET_GZIP ? 'within' : `**${kib(gz - TARGET_GZIP)} over**`} the ${kib(TARGET_GZIP)} target.`;
  return [
    table(['file (web target, wasm-opt -Os and more: scripts/wasm-opt.sh)', 'raw', 'gzip -9', 'brotli 11'], [
      row('parallel_fetch_bg.wasm', wasm),
      row(`parallel_fetch.js (glue${snippets.length ? ` + ${snippets.length} snippets` : ''})`, glue),
      row('**total**', total),
    ]),
    '',
    `${verdict('The .wasm', wasm.gzip)} ${verdict('With the glue it', total.gzip)} ` +
      '(Issue 11 judges the package as shipped, the .wasm plus the bundled and minified JS: ' +
      '`node bench/size/shipped.mjs`.)',
  ].join('\n');
}

function twiggyItems(wasm) {
  const json = execFileSync('twiggy', ['top', '-n', '100000', '--format', 'json', wasm], {
    encoding: 'utf8',
    maxBuffer: 64 << 20,
  });
  // A std rebuilt from source (scripts/with-lean-std.sh) names items in the v0 scheme, with each
  // crate's disambiguator: `parallel_fetch[b3f8c9df2e2f797b]::web::join::run`. The groups (and the
  // tables) go by the plain path.
  return JSON.parse(json).map((item) => {
    const name = item.name.replace(/\[[0-9a-f]{8,}\]/g, '');
    return { ...item, name, category: classify(name) };
  });
}

function breakdown(wasm) {
  const items = twiggyItems(wasm).filter((item) => item.category !== null);
  const total = items.reduce((sum, item) => sum + item.shallow_size, 0);
  const byCategory = new Map();
  for (const item of items) {
    const entry = byCategory.get(item.category) ?? { bytes: 0, count: 0, biggest: item };
    entry.bytes += item.shallow_size;
    entry.count += 1;
    if (item.shallow_size > entry.biggest.shallow_size) entry.biggest = item;
    byCategory.set(item.category, entry);
  }
  const pct = (bytes) => `${((bytes * 100) / total).toFixed(1)}%`;
  const short = (name) => (name.length > 90 ? `${name.slice(0, 87)}…` : name).replace(/\|/g, '\\|');
  const categories = [...byCategory.entries()]
    .sort(([, a], [, b]) => b.bytes - a.bytes)
    .map(([name, e]) => [name, kib(e.bytes), pct(e.bytes), e.count, `\`${short(e.biggest.name)}\``]);
  const byFeature = new Map(FEATURES.map((name) => [name, { bytes: 0, count: 0, groups: new Map() }]));
  for (const item of items) {
    const entry = byFeature.get(feature(item.category));
    entry.bytes += item.shallow_size;
    entry.count += 1;
    entry.groups.set(item.category, (entry.groups.get(item.category) ?? 0) + item.shallow_size);
  }
  const features = FEATURES.map((name) => {
    const e = byFeature.get(name);
    const largest = [...e.groups.entries()]
      .sort(([, a], [, b]) => b - a)
      .slice(0, 3)
      .map(([group, bytes]) => `${group.replace(/ \(.*$/, '')} ${kib(bytes)}`)
      .join('; ');
    return [name, kib(e.bytes), pct(e.bytes), e.count, largest || '–'];
  });
  const top = items
    .sort((a, b) => b.shallow_size - a.shallow_size)
    .slice(0, 20)
    .map((item) => [`\`${short(item.name)}\``, item.shallow_size, pct(item.shallow_size), item.category]);
  return [
    `twiggy (shallow bytes of the optimised module, names kept only to attribute them; ${kib(total)} of code and data):`,
    '',
    table(['where it comes from', 'bytes', 'share', 'items', 'largest item'], categories, 'lrrrl'),
    '',
    `Size per feature: the same items grouped by feature. ${FEATURE_RULE}`,
    '',
    table(['feature', 'bytes', 'share', 'items', 'largest groups'], features, 'lrrrl'),
    '',
    'The 20 largest items:',
    '',
    table(['item', 'bytes', 'share', 'group'], top, 'lrrl'),
  ].join('\n');
}

const [pkg, named] = process.argv.slice(2);
if (!pkg) {
  console.error('usage: node bench/size/report.mjs PKG_DIR [NAMED_WASM]');
  process.exit(2);
}
console.log(named ? `${shippedTable(pkg)}\n\n${breakdown(named)}` : shippedTable(pkg));
