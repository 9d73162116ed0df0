// Size as users ship it (issue 11): the npm package's .wasm, gzip -9, plus its browser entry
// bundled and minified by esbuild, gzip -9. That is what a page built with a bundler downloads:
// the bundle (the entry, wasm-bindgen's glue and its snippet, minified into one file) and the
// .wasm beside it, fetched at run time.
//
//   node bench/size/shipped.mjs [PACKAGE_DIR] [--json]
//
// PACKAGE_DIR is the assembled package, default build/package/parallel-fetch (`make package`,
// scripts/assemble-package.sh); this builds nothing of it. The entry is the one a browser bundler
// picks: esbuild resolves the package by name, through its package.json `exports` under the
// browser conditions, from a scratch project whose node_modules links to PACKAGE_DIR, and
// bundles `export * from '<name>'` (the whole API, nothing shaken off) with --bundle --minify
// --format=esm --platform=browser, externalising nothing but .wasm files. The .wasm measured is
// the one the entry loads (its `new URL('….wasm', import.meta.url)`). Prints markdown, or with
// --json the figures in bytes. KB = 1024 bytes; gzip is the gzip program's -9 (-n), as a server
// would precompress. bench/size/check.mjs holds `make test` to a ceiling on the total.

import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, symlinkSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { build, version as esbuildVersion } from 'esbuild';
import { kib, table } from '../lib/markdown.mjs';

export const DEFAULT_PACKAGE = 'build/package/parallel-fetch';
/** Issue 11's target for the shipped total (wasm gz + bundled JS gz), and what to aim for. */
export const TARGET_KB = 35;
export const AIM_KB = 30;

const gzip = (bytes) => execFileSync('gzip', ['-9', '-n', '-c'], { input: bytes, maxBuffer: 64 << 20 }).length;

/** The browser entry bundled as a user's bundler would: { code, entry (its path), inputs }. */
async function bundle(dir) {
  const { name } = JSON.parse(readFileSync(join(dir, 'package.json'), 'utf8'));
  const scratch = mkdtempSync(join(tmpdir(), 'pf-shipped-'));
  try {
    mkdirSync(join(scratch, 'node_modules'));
    symlinkSync(resolve(dir), join(scratch, 'node_modules', name), 'dir');
    const result = await build({
      stdin: { contents: `export * from ${JSON.stringify(name)};\n`, resolveDir: scratch, loader: 'js' },
      bundle: true,
      minify: true,
      format: 'esm',
      platform: 'browser',
      external: ['*.wasm'],
      write: false,
      metafile: true,
      absWorkingDir: scratch,
      logLevel: 'error',
      // wasm-bindgen's glue names the snippet module once per import in the import object; the
      // values are all the same namespace, so the duplicate keys are harmless.
      logOverride: { 'duplicate-object-key': 'silent' },
    });
    const imported = result.metafile.inputs['<stdin>']?.imports ?? [];
    if (imported.length !== 1) throw new Error(`shipped: esbuild resolved ${name} to ${JSON.stringify(imported)}`);
    const entry = resolve(scratch, imported[0].path);
    const inputs = Object.keys(result.metafile.inputs)
      .filter((input) => input !== '<stdin>')
      .map((input) => relative(resolve(dir), resolve(scratch, input)));
    return { code: result.outputFiles[0].contents, entry, inputs };
  } finally {
    rmSync(scratch, { recursive: true, force: true });
  }
}

/** The .wasm the entry loads at run time. */
function wasmOf(entry) {
  const source = readFileSync(entry, 'utf8');
  const urls = [...source.matchAll(/new URL\(\s*(['"])([^'"]+\.wasm)\1\s*,\s*import\.meta\.url\s*\)/g)].map((m) => m[2]);
  if (urls.length !== 1) throw new Error(`shipped: ${entry} loads ${urls.length} .wasm files (${urls.join(', ')}), expected 1`);
  const path = resolve(dirname(entry), urls[0]);
  if (!existsSync(path)) throw new Error(`shipped: ${entry} loads ${urls[0]}, which is not in the package`);
  return path;
}

/**
 * The shipped figure of the package in `dir`: { wasm, js, total } ({ raw, gzip } bytes each;
 * total.raw counts both too), and which files went in (`wasmFile`, `entry`, `inputs`, relative
 * to `dir`), and the esbuild version.
 */
export async function shippedSize(dir = DEFAULT_PACKAGE) {
  if (!existsSync(join(dir, 'package.json'))) {
    throw new Error(`shipped: no package at ${dir} (make package builds build/package/parallel-fetch)`);
  }
  const { code, entry, inputs } = await bundle(dir);
  const wasmPath = wasmOf(entry);
  const wasmBytes = readFileSync(wasmPath);
  const wasm = { raw: wasmBytes.length, gzip: gzip(wasmBytes) };
  const js = { raw: code.length, gzip: gzip(code) };
  return {
    wasm,
    js,
    total: { raw: wasm.raw + js.raw, gzip: wasm.gzip + js.gzip },
    wasmFile: relative(resolve(dir), wasmPath),
    entry: relative(resolve(dir), entry),
    inputs,
    esbuild: esbuildVersion,
  };
}

/** The figure as markdown: a table and the verdict against the target. */
export function shippedMarkdown(s) {
  const verdict =
    s.total.gzip <= AIM_KB * 1024
      ? `within the ${TARGET_KB} KB target and the ${AIM_KB} KB aim`
      : s.total.gzip <= TARGET_KB * 1024
        ? `within the ${TARGET_KB} KB target, ${kib(s.total.gzip - AIM_KB * 1024)} above the ${AIM_KB} KB aim`
        : `**${kib(s.total.gzip - TARGET_KB * 1024)} over** the ${TARGET_KB} KB target (aim: ${AIM_KB} KB)`;
  return [
    table(['shipped (`make package`)', 'raw', 'gzip -9'], [
      [`\`${s.wasmFile}\` (fetched at run time)`, kib(s.wasm.raw), kib(s.wasm.gzip)],
      [`JS: \`${s.entry}\` bundled by esbuild ${s.esbuild} (\`--bundle --minify --format=esm\`, only the .wasm external): ${s.inputs.map((f) => `\`${f}\``).join(', ')}`, kib(s.js.raw), kib(s.js.gzip)],
      ['**total**', kib(s.total.raw), `**${kib(s.total.gzip)}**`],
    ]),
    '',
    `Shipped size: ${kib(s.wasm.gzip)} of .wasm + ${kib(s.js.gzip)} of JS = **${kib(s.total.gzip)}** gzipped, ${verdict}.`,
  ].join('\n');
}

if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  const args = process.argv.slice(2);
  const json = args.includes('--json');
  const rest = args.filter((a) => a !== '--json');
  if (rest.length > 1 || rest.some((a) => a.startsWith('-'))) {
    console.error('usage: node bench/size/shipped.mjs [PACKAGE_DIR] [--json]');
    process.exit(2);
  }
  try {
    const s = await shippedSize(rest[0] ?? DEFAULT_PACKAGE);
    console.log(json ? JSON.stringify(s, null, 2) : shippedMarkdown(s));
  } catch (error) {
    console.error(error.message);
    process.exit(2);
  }
}
