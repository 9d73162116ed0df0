// Makes the README's picture of the demo: the profile scenario with a hung first attempt that
// times out and is retried, and a failing API that is retried and then fails for good, which
// aborts its sibling under parallelFetch and leaves a partial page under settledFetch.
// Deterministic timings (no jitter), so that every regeneration tells the same story.
//
//   scripts/with-server.sh --mount /=www --mount /pkg=pkg -- node tests/demo/readme-screenshot.mjs docs/demo.png
// (or `make demo-screenshot`)

import { writeFile } from 'node:fs/promises';

import UPNG from 'upng-js';

import { openDemo } from './browser.mjs';
import { setApi, setSdk, waitDone } from './controls.mjs';

const out = process.argv[2] ?? 'docs/demo.png';
const { browser, page, errors } = await openDemo();
try {
  await setSdk(page, { 'Timeout per attempt (ms)': 600, 'Retry limit': 1, 'Retry base delay (ms)': 200, Jitter: 'none' });
  await setApi(page, 'profile-personal', { 'Latency (ms)': 300, Hang: 'first' });
  await setApi(page, 'profile-professional', { 'Latency (ms)': 400, 'Failure rate (%)': 100, 'Failure status': 503 });
  await page.getByRole('button', { name: 'Run all three' }).click();
  await waitDone(page, 'article.run');
  await page.mouse.move(0, 0); // no hover highlight
  const bottom = await page.evaluate(() => {
    const last = [...document.querySelectorAll('main > section:not([hidden]) > *, aside')].at(-1);
    return Math.max(...[...document.querySelectorAll('main > section:not([hidden]), aside')]
      .map((e) => e.getBoundingClientRect().bottom), last.getBoundingClientRect().bottom);
  });
  const png = await page.screenshot({ clip: { x: 0, y: 0, width: 1280, height: Math.ceil(bottom) + 16 } });
  await writeFile(out, quantized(png));
  const real = errors.filter((e) => !e.startsWith('Failed to load resource'));
  if (real.length) throw new Error(`errors on the page: ${real.join('; ')}`);
  console.log(`wrote ${out}`);
} finally {
  await browser.close();
}

/** The screenshot with a 256-colour palette: flat UI colours survive unchanged, and the file
 *  shrinks to a third, small enough to commit. */
function quantized(png) {
  const image = UPNG.decode(png);
  const rgba = UPNG.toRGBA8(image)[0];
  return Buffer.from(UPNG.encode([rgba], image.width, image.height, 256));
}
