// The types as a user compiles them, in a browser project and in a Node-only one:
// 1. `tsc --strict` passes on types/usage.ts and types/rejects.ts (so every @ts-expect-error
//    in rejects.ts meets an error);
// 2. with the directives removed, rejects.ts has exactly one error per tagged line, with the
//    tagged code and message (so each line fails for the reason it claims), and usage.ts none.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { PROFILES, addFile, addPackage, addTsconfig, consumer, expectations, scratchProject, tsc } from './tsc.mjs';

const problems = [];
const expected = expectations(readFileSync(join(consumer, 'types/rejects.ts'), 'utf8'));

for (const profile of PROFILES) {
  const plain = tsc(consumer, profile);
  if (plain.status !== 0) problems.push(`${profile}: tsc fails on the consumer's code:\n${plain.output}`);
}

const stripped = scratchProject('without-directives');
addPackage(stripped, 'parallel-fetch');
const source = (file) => readFileSync(join(consumer, file), 'utf8');
addFile(stripped, 'types/usage.ts', source('types/usage.ts'));
addFile(stripped, 'types/rejects.ts', source('types/rejects.ts').replace(/^(\s*)\/\/ @ts-expect-error .*$/gm, '$1// (directive removed)'));
for (const profile of PROFILES) addTsconfig(stripped, profile, ['types/usage.ts', 'types/rejects.ts']);
for (const profile of PROFILES) {
  const { diagnostics } = tsc(stripped, profile);
  for (const want of expected) {
    const here = diagnostics.filter((d) => d.file === 'types/rejects.ts' && d.line === want.line);
    const right = here.length === 1 && here[0].code === want.code && here[0].message.includes(want.fragment);
    if (!right) {
      const got = here.map((d) => `${d.code} ${d.message}`).join('\n      ') || 'no error';
      problems.push(`${profile}: [${want.id}] line ${want.line}: want one ${want.code} "${want.fragment}", got:\n      ${got}`);
    }
  }
  const tagged = new Set(expected.map((e) => e.line));
  for (const d of diagnostics) {
    if (d.file !== 'types/rejects.ts' || !tagged.has(d.line)) {
      problems.push(`${profile}: unexpected error ${d.file}:${d.line} ${d.code} ${d.message}`);
    }
  }
}

if (problems.length) {
  console.error(`types: FAILED\n  ${problems.join('\n  ')}`);
  process.exit(1);
}
console.log(
  `types: ok: usage.ts and rejects.ts compile under ${PROFILES.join(' and ')}; ` +
    `${expected.length} rejected lines each fail with their tagged error`,
);
