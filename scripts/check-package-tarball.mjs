// Checks the packed npm tarball itself, as the registry would receive it:
// - it holds exactly the package's files, nothing stray, all world-readable;
// - package.json has the metadata users and tools read, and every path it names is there;
// - the public .d.ts has no `any` and a doc comment on every export and interface member.
//
//   node scripts/check-package-tarball.mjs build/package/parallel-fetch-X.Y.Z.tgz
import { readFileSync } from 'node:fs';
import { gunzipSync } from 'node:zlib';

const EXPECTED_FILES = [
  'index.d.ts',
  'index.js',
  'index.node.js',
  'package.json',
  'wasm/exchange.js',
  'wasm/guard.js',
  'wasm/headers.js',
  'wasm/parallel_fetch.js',
  'wasm/parallel_fetch_bg.wasm',
];
// npm adds these on its own when they exist; they are welcome.
const OPTIONAL_FILE = /^(README\.md|LICENSE[-.\w]*)$/;

const problems = [];
const fail = (message) => problems.push(message);

const tarball = process.argv[2];
if (!tarball) {
  console.error('usage: node scripts/check-package-tarball.mjs PACKAGE.tgz');
  process.exit(2);
}
const files = readTar(gunzipSync(readFileSync(tarball)));

checkFileList(files);
const manifest = JSON.parse(text(files, 'package.json'));
checkManifest(manifest, files);
checkTypes(text(files, 'index.d.ts'));

if (problems.length) {
  console.error(`check-package-tarball: ${tarball}:\n  ${problems.join('\n  ')}`);
  process.exit(1);
}
const sizes = [...files].map(([name, f]) => `${name} ${f.data.length} B`).join(', ');
console.log(`check-package-tarball: ok: ${sizes}`);

/** The regular files of a ustar archive, by path under `package/`. */
function readTar(buf) {
  const files = new Map();
  const field = (block, start, length) =>
    block.toString('utf8', start, start + length).replace(/\0.*$/s, '');
  for (let at = 0; at + 512 <= buf.length; ) {
    const header = buf.subarray(at, at + 512);
    if (header.every((b) => b === 0)) break;
    const name = field(header, 0, 100);
    const prefix = field(header, 345, 155);
    const mode = parseInt(field(header, 100, 8), 8);
    const size = parseInt(field(header, 124, 12), 8);
    const type = field(header, 156, 1) || '0';
    const path = prefix ? `${prefix}/${name}` : name;
    at += 512;
    if (type === '0') {
      if (!path.startsWith('package/')) fail(`${path} is outside package/`);
      files.set(path.slice('package/'.length), { mode, data: buf.subarray(at, at + size) });
    } else if (type !== '5') {
      fail(`${path}: unexpected entry type '${type}' (links have no place in a package)`);
    }
    at += Math.ceil(size / 512) * 512;
  }
  return files;
}

function text(files, name) {
  const file = files.get(name);
  if (!file) throw new Error(`${tarball} has no ${name}`);
  return file.data.toString('utf8');
}

function checkFileList(files) {
  for (const name of EXPECTED_FILES) if (!files.has(name)) fail(`missing file: ${name}`);
  for (const [name, { mode }] of files) {
    if (!EXPECTED_FILES.includes(name) && !OPTIONAL_FILE.test(name)) fail(`stray file: ${name}`);
    if ((mode & 0o444) !== 0o444) fail(`${name} is not readable by everyone (mode ${mode.toString(8)})`);
  }
}

function checkManifest(m, files) {
  const want = {
    name: 'parallel-fetch',
    license: 'MIT OR Apache-2.0',
    type: 'module',
    types: './index.d.ts',
  };
  for (const [key, value] of Object.entries(want)) {
    if (m[key] !== value) fail(`package.json ${key} is ${JSON.stringify(m[key])}, want ${JSON.stringify(value)}`);
  }
  if (!/^\d+\.\d+\.\d+/.test(m.version ?? '')) fail(`package.json version ${m.version} is not from Cargo.toml`);
  if (!m.description) fail('package.json has no description');
  if (!m.repository?.url) fail('package.json has no repository.url');
  if (!(m.keywords?.length > 0)) fail('package.json has no keywords');
  if (!m.engines?.node) fail('package.json does not say which Node it needs (engines.node)');

  const root = m.exports?.['.'];
  if (!root) fail('package.json has no exports["."]');
  else if (Object.keys(root)[0] !== 'types') fail('exports["."]: "types" must come first, or TypeScript skips it');
  const named = [m.main, m.types, ...Object.values(root ?? {}), ...Object.values(m.exports ?? {}).filter((v) => typeof v === 'string')];
  for (const path of [...named, ...(m.sideEffects || [])]) {
    if (typeof path !== 'string' || !files.has(path.replace(/^\.\//, ''))) fail(`package.json names ${path}, which is not in the package`);
  }
  // The entries start the wasm when imported: a bundler told they are pure may skip them
  // and reach the glue directly, uninitialised.
  for (const entry of ['./index.js', './index.node.js']) {
    if (!Array.isArray(m.sideEffects) || !m.sideEffects.includes(entry)) fail(`sideEffects must list ${entry}`);
  }
}

function checkTypes(dts) {
  const code = dts.replace(/\/\*[\s\S]*?\*\//g, '').replace(/\/\/.*$/gm, '');
  const anyLines = code.split('\n').filter((line) => /\bany\b/.test(line));
  for (const line of anyLines) fail(`index.d.ts uses any: ${line.trim()}`);

  // A declaration or member is documented when the line before it closes a doc comment.
  const lines = dts.split('\n');
  let inInterface = false;
  lines.forEach((line, i) => {
    const documented = /\*\/\s*$/.test(lines[i - 1] ?? '');
    if (/^export /.test(line)) {
      if (!documented) fail(`index.d.ts: no doc comment on: ${line.trim()}`);
      inInterface = /^export interface .*\{\s*$/.test(line);
    } else if (/^}/.test(line)) {
      inInterface = false;
    } else if (inInterface && /^\s+\w+\??:/.test(line) && !documented) {
      fail(`index.d.ts: no doc comment on member: ${line.trim()}`);
    }
  });
  for (const name of ['parallelFetch', 'settledFetch']) {
    if (!new RegExp(`^export function ${name}\\(`, 'm').test(dts)) fail(`index.d.ts does not declare ${name}`);
  }
}
