// Headless Chromium loads the package four ways, each page calling the test server through it
// for real: the Vite build (/vite/), the webpack build (/webpack/) and the plain module page
// (/plain/), all served by the test server, and the Vite dev server with app/vite.config.js
// (proxying the API to the test server). An uncaught page error or a console warning fails
// the check: a .wasm served or found wrong shows up as one.
import { createServer as createHttpServer } from 'node:http';
import { join } from 'node:path';
import { chromium } from 'playwright-core';
import { createServer as createViteServer } from 'vite';
import { checkReport } from './report.mjs';
import { consumer } from './tsc.mjs';
import { chromiumLaunchOptions } from '../../chromium-launch.mjs';

const base = process.env.PF_TEST_SERVER;
if (!base) throw new Error('PF_TEST_SERVER is not set: run under scripts/with-server.sh');

const vite = await createViteServer({
  root: join(consumer, 'app'),
  configFile: join(consumer, 'app/vite.config.js'),
  logLevel: 'warn',
  appType: 'spa',
  server: { middlewareMode: true, hmr: false, proxy: { '/r': base, '/echo': base } },
});
const devServer = createHttpServer(vite.middlewares);
await new Promise((resolve) => devServer.listen(0, '127.0.0.1', resolve));
const devBase = `http://127.0.0.1:${devServer.address().port}`;

const PAGES = [
  { url: `${base}/vite/?tag=vite`, tag: 'vite', what: 'a Vite build' },
  { url: `${base}/webpack/?tag=webpack`, tag: 'webpack', what: 'a webpack build' },
  { url: `${base}/plain/?tag=plain`, tag: 'plain', what: 'a plain module script' },
  { url: `${devBase}/?tag=vite-dev`, tag: 'vite-dev', what: 'the Vite dev server' },
];

const browser = await chromium.launch(chromiumLaunchOptions());
try {
  for (const { url, tag, what } of PAGES) {
    const page = await browser.newPage();
    const noise = [];
    page.on('pageerror', (error) => noise.push(`page error: ${error.message}`));
    page.on('console', (message) => {
      // The 404 and 500 the exercise asks for are logged as failed loads: expected.
      if (message.type() === 'warning') noise.push(`console warning: ${message.text()}`);
      if (message.type() === 'error' && !message.text().startsWith('Failed to load resource')) {
        noise.push(`console error: ${message.text()}`);
      }
    });
    const started = performance.now();
    await page.goto(url);
    await page.waitForFunction(() => window.pfReport || window.pfError, null, { timeout: 20_000 });
    const { report, error } = await page.evaluate(() => ({ report: window.pfReport, error: window.pfError }));
    if (error) throw new Error(`${what}: the page failed: ${error}`);
    checkReport(report, tag);
    if (noise.length) throw new Error(`${what}:\n  ${noise.join('\n  ')}`);
    const ms = Math.round(performance.now() - started);
    console.log(`browser: ok: ${what} got real answers from the test server in ${ms} ms`);
    await page.close();
  }
} finally {
  await browser.close();
  await vite.close();
  devServer.close();
}
