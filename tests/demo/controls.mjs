// Filling the demo's controls by their labels, as a person would.

/** Sets the labelled controls inside `scope` (text and number inputs are filled, selects chosen). */
export async function setControls(scope, values) {
  for (const [label, value] of Object.entries(values)) {
    const control = scope.getByLabel(label, { exact: true });
    if ((await control.evaluate((e) => e.tagName)) === 'SELECT') await control.selectOption(String(value));
    else await control.fill(String(value));
  }
}

/** Sets the controls of one API, e.g. setApi(page, 'profile-personal', { 'Latency (ms)': 400 }). */
export function setApi(page, api, values) {
  return setControls(page.locator(`fieldset[data-api="${api}"]`), values);
}

/** Sets the SDK options in the side panel. */
export function setSdk(page, values) {
  return setControls(page.locator('#sdk-options'), values);
}

/** Every API back to healthy: no failures, no hang, no Retry-After. */
export async function healthy(page, api, latency) {
  await setApi(page, api, {
    'Latency (ms)': latency, 'Failure rate (%)': 0, Hang: 'no', 'Retry-After (s)': '',
  });
}

/** Waits until every element matching `selector` has data-state="done". */
export async function waitDone(page, selector, timeout = 20000) {
  await page.waitForFunction(
    (s) => [...document.querySelectorAll(s)].every((e) => e.dataset.state === 'done'),
    selector, { timeout });
}
