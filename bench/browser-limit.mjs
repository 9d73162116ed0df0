// How many requests Chromium accepts outstanding at once before it refuses them with
// net::ERR_INSUFFICIENT_RESOURCES: native fetch + Promise.allSettled of N requests to a loopback
// endpoint that answers after `delay` ms (so all N are outstanding together), for rising N; and
// the same N through the SDK's default client (perOrigin.concurrency) for comparison.
//
//   scripts/with-server.sh --mount /pkg=build/bench-pkg -- node bench/browser-limit.mjs [N,N,…]
import { chromium } from 'playwright-core';
import { CHROMIUM_ARGS } from '../tests/chromium-launch.mjs';
import { chromiumPath } from './lib/browser.mjs';

const origin = process.env.PF_TEST_SERVER;
if (!origin) throw new Error('PF_TEST_SERVER is not set: run under scripts/with-server.sh');
const sizes = (process.argv[2] ?? '500,1000,2000,3000,4000,5000').split(',').map(Number);
const browser = await chromium.launch({ executablePath: chromiumPath(), args: CHROMIUM_ARGS });
try {
  const rows = [];
  for (const n of sizes) {
    // A fresh page each time, so one run's refusals do not linger into the next.
    const page = await browser.newPage();
    await page.goto(`${origin}/r?page=1`);
    const result = await page.evaluate(async (n) => {
      const sdkModule = await import('/pkg/parallel_fetch.js');
      await sdkModule.default();
      const urls = Array.from({ length: n }, (_, i) => `/r?delay=20&i=${i}`);
      const t0 = performance.now();
      const native = await Promise.allSettled(urls.map((u) => fetch(u, { cache: 'no-store' }).then((r) => r.text())));
      const nativeMs = performance.now() - t0;
      const { settledFetch } = sdkModule;
      const t1 = performance.now();
      const sdk = await settledFetch(urls, { retry: false, timeout: 60000 });
      const sdkMs = performance.now() - t1;
      return {
        nativeFailed: native.filter((o) => o.status === 'rejected').length,
        nativeMs,
        sdkFailed: sdk.filter((o) => o.status === 'rejected').length,
        sdkMs,
      };
    }, n);
    rows.push({ n, ...result });
    await page.close();
  }
  console.log(`Chromium ${browser.version()}, 20 ms endpoint on loopback (HTTP/1.1, 6 connections per origin).\n`);
  console.log('| requests at once | native fetch: refused | native: wall ms | SDK default client: failed | SDK: wall ms |');
  console.log('|---:|---:|---:|---:|---:|');
  for (const r of rows) {
    console.log(`| ${r.n} | ${r.nativeFailed} | ${Math.round(r.nativeMs)} | ${r.sdkFailed} | ${Math.round(r.sdkMs)} |`);
  }
} finally {
  await browser.close();
}
