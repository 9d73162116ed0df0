// Running tsc on the consumer's type files, as they are or in a scratch copy of the project
// whose installed parallel-fetch types may be patched.
import { execFileSync } from 'node:child_process';
import { cpSync, mkdirSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

export const consumer = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const repo = resolve(consumer, '../..');
const tscBin = join(consumer, 'node_modules/typescript/bin/tsc');

/** The TypeScript projects a user might have: a browser app, and Node without lib.dom. */
export const PROFILES = ['tsconfig.json', 'tsconfig.node.json'];

/**
 * Runs `tsc -p dir/tsconfig` and returns its exit status and diagnostics
 * ({ file, line, code, message }, message with its indented continuation lines).
 */
export function tsc(dir, tsconfig) {
  let status = 0;
  let output;
  try {
    output = execFileSync(process.execPath, [tscBin, '-p', join(dir, tsconfig), '--pretty', 'false'], {
      cwd: dir,
      encoding: 'utf8',
      stdio: ['ignore', 'pipe', 'pipe'],
    });
  } catch (e) {
    status = e.status ?? 1;
    output = `${e.stdout ?? ''}${e.stderr ?? ''}`;
  }
  const diagnostics = [];
  for (const line of output.split('\n')) {
    const m = /^(.+?)\((\d+),(\d+)\): error (TS\d+): (.*)$/.exec(line);
    if (m) diagnostics.push({ file: m[1], line: Number(m[2]), code: m[4], message: m[5] });
    else if (/^\s/.test(line) && diagnostics.length) diagnostics.at(-1).message += `\n${line.trim()}`;
  }
  return { status, output: output.trim(), diagnostics };
}

/**
 * The `@ts-expect-error [id] TSxxxx "fragment"` lines of a file: for each, the line the
 * error must be on (the next one), its id, code and message fragment.
 */
export function expectations(source) {
  const found = [];
  source.split('\n').forEach((text, i) => {
    if (!/^\s*\/\/ @ts-expect-error/.test(text)) return;
    const m = /\/\/ @ts-expect-error \[([\w-]+)\] (TS\d+) "((?:[^"\\]|\\.)*)"/.exec(text);
    if (!m) throw new Error(`line ${i + 1} has an untagged @ts-expect-error: ${text.trim()}`);
    found.push({ id: m[1], code: m[2], fragment: m[3].replace(/\\(.)/g, '$1'), directiveLine: i + 1, line: i + 2 });
  });
  return found;
}

/**
 * An empty scratch project under build/consumer/tsc/NAME that sees the consumer's @types.
 * Returns its directory.
 */
export function scratchProject(name) {
  const dir = join(repo, 'build/consumer/tsc', name);
  rmSync(dir, { recursive: true, force: true });
  mkdirSync(join(dir, 'node_modules'), { recursive: true });
  writeFileSync(join(dir, 'package.json'), '{ "type": "module" }\n');
  symlinkSync(join(consumer, 'node_modules/@types'), join(dir, 'node_modules/@types'));
  return dir;
}

/** Copies the installed parallel-fetch into `dir` as package `name`, its index.d.ts patched. */
export function addPackage(dir, name, patch) {
  const pkg = join(dir, 'node_modules', name);
  cpSync(join(consumer, 'node_modules/parallel-fetch'), pkg, { recursive: true });
  // tsc reads one copy of each name@version: the name keeps the copies apart.
  const manifest = JSON.parse(readFileSync(join(pkg, 'package.json'), 'utf8'));
  writeFileSync(join(pkg, 'package.json'), JSON.stringify({ ...manifest, name }));
  if (!patch) return;
  const dts = readFileSync(join(pkg, 'index.d.ts'), 'utf8');
  const patched = patch(dts);
  if (patched === dts) throw new Error(`${name}: the patch changed nothing`);
  writeFileSync(join(pkg, 'index.d.ts'), patched);
}

/** Writes `dir/tsconfig`: the consumer's settings of that name, over `files`. */
export function addTsconfig(dir, tsconfig, files) {
  const config = { extends: join(consumer, tsconfig), files };
  writeFileSync(join(dir, tsconfig), `${JSON.stringify(config, null, 2)}\n`);
}

/** Writes a file into `dir`, creating its directory. */
export function addFile(dir, file, text) {
  mkdirSync(dirname(join(dir, file)), { recursive: true });
  writeFileSync(join(dir, file), text);
}
