// Headless Chromium through playwright-core (Debian's chromium: nothing is downloaded), with the
// DevTools-protocol probes the memory and leak checks need.

import { execFileSync } from 'node:child_process';
import { chromium } from 'playwright-core';
import { CHROMIUM_ARGS as ARGS } from '../../tests/chromium-launch.mjs';
import { browserProcesses, cpuTime } from './cpu.mjs';

export function chromiumPath() {
  if (process.env.CHROMIUM) return process.env.CHROMIUM;
  try {
    return execFileSync('bash', ['-c', 'command -v chromium'], { encoding: 'utf8' }).trim();
  } catch {
    throw new Error('chromium not found on PATH (scripts/ensure-tools.sh --browser installs it)');
  }
}

/**
 * Launches Chromium, opens the benchmark page served at `origin` and waits for it to load the
 * SDK (and, with `compare`, a second build of it from that path).
 */
export async function openBenchPage(origin, compare) {
  // The hedging benchmark and the HTTP/2 overhead run talk to the server's TLS port, whose
  // certificate is self-signed.
  const args = [...ARGS, '--ignore-certificate-errors'];
  const browser = await chromium.launch({ executablePath: chromiumPath(), args });
  try {
    return await openBenchPageIn(browser, origin, compare);
  } catch (error) {
    await browser.close();
    throw error;
  }
}

/**
 * Opens the benchmark page served at `origin` in a new context (its own cache and renderer) of
 * the running `browser`; as openBenchPage, and `close()` closes just this page's context. The
 * CPU probes cover the browser's processes as they are once the page has loaded.
 */
export async function openBenchPageIn(browser, origin, compare) {
  const page = await browser.newPage({ ignoreHTTPSErrors: true });
  const errors = [];
  page.on('pageerror', (error) => errors.push(error));
  await page.goto(`${origin}/index.html${compare ? `?compare=${encodeURIComponent(compare)}` : ''}`);
  await page.waitForFunction(() => window.benchReady === true, null, { timeout: 30_000 })
    .catch((error) => {
      throw errors.length ? errors[0] : error;
    });
  const cdp = await page.context().newCDPSession(page);
  return {
    browser,
    page,
    cdp,
    probes: probes(page, cdp, browserProcesses()),
    version: browser.version(),
    /** The protocol the page itself came over ('http/1.1', 'h2'), from its navigation timing. */
    protocol: () => page.evaluate(() => performance.getEntriesByType('navigation')[0]?.nextHopProtocol ?? ''),
    close: () => page.context().close(),
  };
}

function probes(page, cdp, processes) {
  const group = 'bench-probe';
  // Objects handed out under `group` stay alive until released, so every probe releases them.
  async function withGroup(fn) {
    try {
      return await fn();
    } finally {
      await cdp.send('Runtime.releaseObjectGroup', { objectGroup: group });
    }
  }
  const evaluate = async (expression) =>
    (await cdp.send('Runtime.evaluate', { expression, objectGroup: group })).result;

  return {
    /** Full GC, then again once FinalizationRegistry callbacks (wasm-bindgen's) have run. */
    async collectGarbage() {
      await cdp.send('HeapProfiler.collectGarbage');
      await page.waitForTimeout(100);
      await cdp.send('HeapProfiler.collectGarbage');
    },

    /** CPU ms so far of the whole browser (`all`) and of the renderer's main thread (`main`). */
    cpu: () => cpuTime(processes),

    async jsHeapUsed() {
      return (await cdp.send('Runtime.getHeapUsage')).usedSize;
    },

    /** The 'abort' listeners registered on the object `expression` evaluates to. */
    abortListeners(expression) {
      return withGroup(async () => {
        const target = await evaluate(expression);
        const { listeners } = await cdp.send('DOMDebugger.getEventListeners', {
          objectId: target.objectId,
        });
        return listeners.filter((l) => l.type === 'abort').length;
      });
    },

    /** How many live objects have the prototype `expression` evaluates to (in their chain). */
    liveObjects(expression) {
      return withGroup(async () => {
        const prototype = await evaluate(expression);
        const { objects } = await cdp.send('Runtime.queryObjects', {
          prototypeObjectId: prototype.objectId,
          objectGroup: group,
        });
        const { result } = await cdp.send('Runtime.callFunctionOn', {
          objectId: objects.objectId,
          functionDeclaration: 'function () { return this.length; }',
          returnByValue: true,
        });
        return result.value;
      });
    },
  };
}
