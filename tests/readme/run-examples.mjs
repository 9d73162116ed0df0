// Runs every README block marked `<!-- example: NAME -->` as a module script on a page served by
// the test server, and checks each `console.log(...); // OUTPUT` line printed exactly OUTPUT.
//
//   PF_TEST_SERVER=http://127.0.0.1:PORT node tests/readme/run-examples.mjs
// (the server must mount tests/readme/page at /readme and the assembled package at /package;
// `make test-readme` does.)
import { readFile } from 'node:fs/promises';
import { chromium } from 'playwright-core';
import { chromiumLaunchOptions } from '../chromium-launch.mjs';

const server = process.env.PF_TEST_SERVER;
if (!server) throw new Error('PF_TEST_SERVER is not set');
const readme = await readFile(new URL('../../README.md', import.meta.url), 'utf8');
const examples = [...readme.matchAll(/<!-- example: (\S+) -->\s*```js\n([\s\S]*?)```/g)]
  .map(([, name, code]) => ({ name, code, expected: expectedOutput(code) }));
if (examples.length === 0) throw new Error('no examples found in README.md');

/** The `// OUTPUT` comments of the lines that log, in order. */
function expectedOutput(code) {
  return code.split('\n')
    .filter((line) => line.includes('console.log(') && line.includes('// '))
    .map((line) => line.slice(line.lastIndexOf('// ') + 3).trim());
}

const browser = await chromium.launch(chromiumLaunchOptions());
let failures = 0;
try {
  for (const { name, code, expected } of examples) {
    const page = await browser.newPage();
    const logged = [];
    const errors = [];
    page.on('console', (message) => { if (message.type() === 'log') logged.push(message.text()); });
    page.on('pageerror', (error) => errors.push(String(error)));
    await page.goto(`${server}/readme/index.html`);
    await page.addScriptTag({ type: 'module', content: `${code}\nwindow.__exampleDone = true;` });
    await page.waitForFunction(() => window.__exampleDone, null, { timeout: 15000 }).catch((e) => errors.push(String(e)));
    const problems = [...errors];
    if (JSON.stringify(logged) !== JSON.stringify(expected)) {
      problems.push(`printed ${JSON.stringify(logged)}\n    README says ${JSON.stringify(expected)}`);
    }
    if (problems.length) {
      failures += 1;
      console.log(`not ok - README example "${name}"\n    ${problems.join('\n    ')}`);
    } else {
      console.log(`ok - README example "${name}" (${logged.length} lines as written)`);
    }
    await page.close();
  }
} finally {
  await browser.close();
}
console.log(`${examples.length - failures} passed, ${failures} failed`);
process.exit(failures ? 1 : 0);
