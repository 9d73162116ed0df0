// The demo page (www/), driven in headless Chromium through every scenario against the
// project's test server. It asserts what the page shows; timings only as ranges.
// Screenshots go to artifacts/demo/ (build artifacts, not committed).

import assert from 'node:assert/strict';
import { mkdir } from 'node:fs/promises';
import { after, before, test } from 'node:test';
import { fileURLToPath } from 'node:url';

import { demoOrigin, openDemo } from './browser.mjs';
import { healthy, setApi, setSdk, waitDone } from './controls.mjs';

const ARTIFACTS = fileURLToPath(new URL('../../artifacts/demo/', import.meta.url));

let page;
let browser;
let errors;

before(async () => {
  await mkdir(ARTIFACTS, { recursive: true });
  ({ browser, page, errors } = await openDemo());
});

after(async () => {
  await browser?.close();
});

/** Script errors on the page fail the test; HTTP errors the scenarios cause on purpose don't. */
function assertNoPageErrors() {
  const real = errors.filter((e) => !e.startsWith('Failed to load resource'));
  assert.deepEqual(real, [], 'errors on the page');
}

async function screenshot(name) {
  await page.screenshot({ path: `${ARTIFACTS}${name}.png` });
}

async function tab(name) {
  await page.getByRole('tab', { name }).click();
}

/** What one profile run panel shows. */
async function profileRun(id) {
  const panel = page.locator(`article.run[data-run="${id}"]`);
  return {
    panel,
    outcome: await panel.getAttribute('data-outcome'),
    totalMs: Number(await panel.locator('.total').getAttribute('data-ms')),
    rowOutcome: (label) => panel.locator(`g.row[data-label="${label}"]`).getAttribute('data-outcome'),
    bars: (label, outcome) => panel.locator(`g.row[data-label="${label}"] g.attempt[data-outcome="${outcome}"]`).count(),
  };
}

async function runProfile() {
  await page.getByRole('button', { name: 'Run all three' }).click();
  await waitDone(page, 'article.run');
}

test('profile: parallel loads take about as long as the slower API, not the sum', async (t) => {
  await tab(/Profile/);
  await setSdk(page, { 'Timeout per attempt (ms)': 3000, 'Retry limit': 2, Jitter: 'full' });
  await healthy(page, 'profile-personal', 800);
  await healthy(page, 'profile-professional', 1200);
  await runProfile();

  const [sequential, parallel, settled] = await Promise.all(['sequential', 'parallel', 'settled'].map(profileRun));
  t.diagnostic(`sequential ${sequential.totalMs} ms, parallel ${parallel.totalMs} ms, settled ${settled.totalMs} ms`);
  for (const run of [sequential, parallel, settled]) {
    assert.equal(run.outcome, 'ok');
    assert.equal(await run.rowOutcome('personal'), 'ok');
    assert.equal(await run.rowOutcome('professional'), 'ok');
  }
  assert.match(await parallel.panel.locator('[data-tile="personal"]').innerText(), /Ada Lovelace/);
  // Sequential pays both latencies (2000 ms); the parallel ones only the slower (1200 ms), with
  // 800 ms of slack for a busy machine before they would reach the sum.
  assert.ok(sequential.totalMs >= 2000 && sequential.totalMs < 5000, `sequential ${sequential.totalMs} ms`);
  for (const run of [parallel, settled]) {
    assert.ok(run.totalMs >= 1200 && run.totalMs < 2000, `parallel ${run.totalMs} ms`);
    assert.ok(run.totalMs < sequential.totalMs, `${run.totalMs} ms vs sequential ${sequential.totalMs} ms`);
  }
  await screenshot('profile-ok');
  assertNoPageErrors();
});

test('profile: when the professional API fails, parallelFetch aborts the sibling and settledFetch shows a partial page', async () => {
  await tab(/Profile/);
  // One retry 100 ms after the first failure: the professional API fails for good at ~500 ms,
  // while the personal API still has 1000 ms to go.
  await setSdk(page, { 'Timeout per attempt (ms)': 3000, 'Retry limit': 1, 'Retry base delay (ms)': 100, Jitter: 'none' });
  await healthy(page, 'profile-personal', 1500);
  await setApi(page, 'profile-professional', { 'Latency (ms)': 200, 'Failure rate (%)': 100, 'Failure status': 500 });
  await runProfile();

  const parallel = await profileRun('parallel');
  assert.equal(parallel.outcome, 'error');
  const error = parallel.panel.locator('.page-error');
  assert.match(await error.innerText(), /professional failed: HttpError 500/);
  assert.equal(await error.locator('[data-sibling="personal"]').getAttribute('data-sibling-outcome'), 'aborted');
  assert.match(await error.innerText(), /personal: aborted \(failFast\)/);
  // The waterfall: two failed professional attempts with a wait between, the personal bar cut.
  assert.equal(await parallel.rowOutcome('personal'), 'aborted');
  assert.equal(await parallel.bars('personal', 'aborted'), 1);
  assert.equal(await parallel.bars('professional', 'HttpError'), 2);
  assert.equal(await parallel.panel.locator('g.row[data-label="professional"] g.wait').count(), 1);
  assert.ok(parallel.totalMs >= 500 && parallel.totalMs < 1400, `fails fast: ${parallel.totalMs} ms`);

  const settled = await profileRun('settled');
  assert.equal(settled.outcome, 'partial');
  assert.equal(await settled.panel.locator('[data-tile="personal"]').getAttribute('data-loaded'), 'true');
  assert.equal(await settled.panel.locator('[data-tile="professional"]').getAttribute('data-loaded'), 'false');
  assert.match(await settled.panel.locator('[data-tile="professional"]').innerText(), /HttpError 500/);
  assert.equal(await settled.rowOutcome('personal'), 'ok');
  assert.equal(await settled.rowOutcome('professional'), 'HttpError');
  assert.ok(settled.totalMs >= 1500 && settled.totalMs < 2800, `waits for personal: ${settled.totalMs} ms`);

  const sequential = await profileRun('sequential');
  assert.equal(sequential.outcome, 'error');
  assert.ok(sequential.totalMs >= 2000, `personal, then professional: ${sequential.totalMs} ms`);
  await screenshot('profile-failure');
  assertNoPageErrors();
});

test('profile: a hung first attempt times out and the retry succeeds', async () => {
  await tab(/Profile/);
  await setSdk(page, { 'Timeout per attempt (ms)': 400, 'Retry limit': 1, 'Retry base delay (ms)': 100, Jitter: 'none' });
  await setApi(page, 'profile-personal', { 'Latency (ms)': 100, 'Failure rate (%)': 0, Hang: 'first' });
  await healthy(page, 'profile-professional', 100);
  await page.getByRole('button', { name: 'parallelFetch', exact: true }).click();
  await waitDone(page, 'article.run[data-run="parallel"]');
  const parallel = await profileRun('parallel');
  assert.equal(parallel.outcome, 'ok');
  assert.equal(await parallel.bars('personal', 'TimeoutError'), 1);
  assert.equal(await parallel.bars('personal', 'ok'), 1);
  // 400 ms timeout + 100 ms wait + 100 ms answer.
  assert.ok(parallel.totalMs >= 600 && parallel.totalMs < 2000, `${parallel.totalMs} ms`);
  await setApi(page, 'profile-personal', { Hang: 'no' });
  assertNoPageErrors();
});

test('profile: Retry-After sets the wait, and totalTimeout cuts the call short', async () => {
  await tab(/Profile/);
  await setSdk(page, { 'Timeout per attempt (ms)': 3000, 'Retry limit': 1, 'Retry base delay (ms)': 100, Jitter: 'none' });
  await setApi(page, 'profile-personal', { 'Latency (ms)': 100, 'Failure rate (%)': 100, 'Failure status': 503, 'Retry-After (s)': 1 });
  await healthy(page, 'profile-professional', 100);
  await page.getByRole('button', { name: 'settledFetch', exact: true }).click();
  await waitDone(page, 'article.run[data-run="settled"]');
  let settled = await profileRun('settled');
  assert.equal(settled.outcome, 'partial');
  const wait = settled.panel.locator('g.row[data-label="personal"] g.wait');
  assert.match(await wait.locator('title').textContent(), /retry wait 1000 ms \(Retry-After 1000 ms\)/);
  // 100 ms, the server's 1 s, 100 ms: the backoff's 100 ms gave way to Retry-After.
  assert.ok(settled.totalMs >= 1200 && settled.totalMs < 2600, `${settled.totalMs} ms`);

  await setSdk(page, { 'totalTimeout (ms)': 300 });
  await setApi(page, 'profile-personal', { 'Latency (ms)': 2000, 'Failure rate (%)': 0, 'Retry-After (s)': '' });
  await page.getByRole('button', { name: 'settledFetch', exact: true }).click();
  await waitDone(page, 'article.run[data-run="settled"]');
  settled = await profileRun('settled');
  assert.equal(settled.outcome, 'partial');
  assert.equal(await settled.rowOutcome('personal'), 'TimeoutError');
  assert.ok(settled.totalMs >= 290 && settled.totalMs < 1500, `cut at the deadline: ${settled.totalMs} ms`);
  await setSdk(page, { 'totalTimeout (ms)': '' });
  assertNoPageErrors();
});

test('checkout: each combination of outcomes gets its decision', async () => {
  await tab(/Checkout/);
  await setSdk(page, { 'Timeout per attempt (ms)': 3000, 'Retry limit': 1, 'Retry base delay (ms)': 100, Jitter: 'none' });
  await healthy(page, 'checkout-payment', 150);
  await healthy(page, 'checkout-inventory', 100);
  await page.getByRole('button', { name: 'Run all four combinations' }).click();
  await waitDone(page, '.matrix .checkout-card');
  const expected = {
    'paid-reserved': ['place', /Place the order/],
    'paid-unreserved': ['refund', /Refund the payment/],
    'unpaid-reserved': ['release', /Release the stock/],
    'unpaid-unreserved': ['fail', /Fail the checkout/],
  };
  for (const [id, [decision, text]] of Object.entries(expected)) {
    const card = page.locator(`.checkout-card[data-case="${id}"]`);
    assert.equal(await card.getAttribute('data-decision'), decision, id);
    assert.match(await card.locator('.decision').innerText(), text, id);
  }
  // The payment is a POST, retried because it carries an idempotency key: two attempts.
  const unpaid = page.locator('.checkout-card[data-case="unpaid-reserved"]');
  assert.equal(await unpaid.locator('g.row[data-label="payment"] g.attempt').count(), 2);
  assert.equal(await unpaid.locator('g.row[data-label="inventory"]').getAttribute('data-outcome'), 'ok');

  // The controls as set: the inventory API down with a 503.
  await setApi(page, 'checkout-inventory', { 'Failure rate (%)': 100, 'Failure status': 503 });
  await page.getByRole('button', { name: 'Check out' }).click();
  await waitDone(page, '.checkout-card[data-case="current"]');
  const current = page.locator('.checkout-card[data-case="current"]');
  assert.equal(await current.getAttribute('data-decision'), 'refund');
  assert.match(await current.locator('.why').innerText(), /HttpError 503/);
  await screenshot('checkout');
  assertNoPageErrors();
});

test('search: the result shown always matches the text typed, and stale requests are aborted', async () => {
  await tab(/Search/);
  await setSdk(page, { 'Timeout per attempt (ms)': 3000, 'Retry limit': 2, 'Debounce wait (ms, search)': 150 });
  await healthy(page, 'search-api', 800);
  const result = page.locator('[data-result]');
  // Record every state the result box passes through: once nothing is pending, the result
  // shown must be for the text in the box.
  await result.evaluate((box) => {
    window.mismatches = [];
    new MutationObserver(() => {
      const input = document.getElementById('search-input');
      if (box.dataset.query !== undefined && box.dataset.pending === 'false' && box.dataset.match !== 'true') {
        window.mismatches.push({ shown: box.dataset.query, typed: input.value });
      }
    }).observe(box, { attributes: true });
  });

  const input = page.getByLabel('Search', { exact: true });
  const typed = 'parallelFetch';
  // Bursts of fast keystrokes collapse; each pause (350 ms) outlasts the debounce wait (150 ms)
  // but not the latency (800 ms), so the next burst catches a request in flight and aborts it.
  for (const burst of ['par', 'allel', 'Fe', 'tch']) {
    await input.pressSequentially(burst, { delay: 40 });
    await page.waitForTimeout(350);
  }
  await page.waitForFunction(() => {
    const box = document.querySelector('[data-result]');
    return box.dataset.pending === 'false' && box.dataset.match === 'true';
  }, null, { timeout: 10000 });

  assert.equal(await input.inputValue(), typed);
  assert.equal(await result.getAttribute('data-query'), typed);
  assert.equal(await result.locator('[data-shown-query]').innerText(), typed);
  assert.match(await result.innerText(), /✓ matches the box/);
  assert.deepEqual(await page.evaluate(() => window.mismatches), []);

  const counter = async (id) => Number(await page.locator(`[data-counter="${id}"]`).innerText());
  const keystrokes = await counter('keystrokes');
  const sent = await counter('sent');
  const aborted = await counter('aborted');
  assert.equal(keystrokes, typed.length);
  assert.ok(aborted >= 2, `stale requests aborted: ${aborted}`);
  // Four bursts: about one request each, far fewer than keystrokes (a slow machine may split one).
  assert.ok(sent >= aborted + 1 && sent <= keystrokes / 2, `${sent} requests for ${keystrokes} keystrokes`);
  const waterfall = page.locator('#search svg.waterfall');
  assert.equal(await waterfall.locator('g.row[data-outcome="aborted"]').count(), aborted);
  assert.equal(await waterfall.locator(`g.row[data-label="“${typed}”"]`).getAttribute('data-outcome'), 'ok');

  // The server saw the aborts too: the browser closed those requests before they answered.
  const key = await page.locator('#search').getAttribute('data-server-key');
  const stats = await (await fetch(`${demoOrigin()}/stats?key=${key}`)).json();
  assert.ok(stats.aborted >= 1, `server-side aborts: ${JSON.stringify(stats)}`);
  assert.equal(stats.hits, sent);
  await screenshot('search');

  // Clear during a request: its late answer must not come back into the emptied box.
  await input.pressSequentially('zz', { delay: 20 });
  await page.waitForTimeout(250);
  await page.getByRole('button', { name: 'Clear' }).click();
  await page.waitForTimeout(1000);
  assert.equal(await input.inputValue(), '');
  assert.equal(await result.getAttribute('data-query'), null);
  assert.equal(await counter('keystrokes'), 0);
  assertNoPageErrors();
});

test('resilience: a failing API opens the breaker, the budget runs out, and hedges race the tail', async () => {
  await tab(/Resilience/);
  await setSdk(page, { 'Timeout per attempt (ms)': 2000, 'Retry limit': 2, 'Retry base delay (ms)': 20, Jitter: 'none', 'totalTimeout (ms)': '' });
  await setApi(page, 'resilience-api', { 'Latency (ms)': 50, 'Failure rate (%)': 100, 'Failure status': '503', Hang: 'no', 'Retry-After (s)': '' });
  const section = page.locator('#resilience');
  const stat = async (id) => section.locator(`[data-stat="${id}"]`).innerText();
  const burst = async (name) => {
    await section.getByRole('button', { name }).click();
    await page.waitForFunction(() => document.querySelector('#resilience').dataset.state === 'done', null, { timeout: 20000 });
  };
  await burst('Send a burst of 10');
  await burst('Send a burst of 10');
  assert.equal(await section.getAttribute('data-breaker'), 'open');
  assert.equal(await stat('breaker'), 'open');
  assert.ok(Number(await stat('failedFast')) >= 10, `failed fast: ${await stat('failedFast')}`);
  const events = await section.locator('[data-log] li').evaluateAll((items) => items.map((li) => li.dataset.event));
  assert.ok(events.includes('breakerOpen'), `events: ${events}`);
  assert.ok(events.includes('budgetExhausted'), `events: ${events}`);
  await screenshot('resilience-open');

  // The API recovers; after the break one probe goes through and the breaker closes.
  await setApi(page, 'resilience-api', { 'Failure rate (%)': 0 });
  await page.waitForTimeout(3200);
  await burst('Send a burst of 10');
  assert.equal(await stat('breaker'), 'closed');
  await burst('Hedged burst (long tail)');
  // Three of the ten first attempts hang: each is hedged, and the hedge wins.
  assert.ok(Number(await stat('hedges')) >= 3, `hedges: ${await stat('hedges')}`);
  assert.ok(await section.locator('svg.waterfall g.attempt[data-hedge="true"]').count() >= 3, 'hedge bars overlap');
  await screenshot('resilience-hedged');
  assertNoPageErrors();
});
