// Headless Chromium for the demo's tests and screenshots: Debian's build (no browser download),
// one 1280×800 page on the demo served by the project's test server.

import { chromium } from 'playwright-core';
import { CHROMIUM_ARGS as ARGS } from '../chromium-launch.mjs';

/** The demo's origin: the test server that scripts/with-server.sh started. */
export function demoOrigin() {
  const origin = process.env.PF_TEST_SERVER;
  if (!origin) throw new Error('PF_TEST_SERVER is not set: run through scripts/with-server.sh (see mk/demo.mk)');
  return origin;
}

/** Opens the demo and waits until the SDK has loaded. Page errors are collected in `errors`. */
export async function openDemo({ width = 1280, height = 800 } = {}) {
  const browser = await chromium.launch({
    executablePath: process.env.CHROMIUM ?? '/usr/bin/chromium',
    args: ARGS,
  });
  const page = await browser.newPage({ viewport: { width, height } });
  const errors = [];
  page.on('pageerror', (error) => errors.push(error.message));
  page.on('console', (message) => { if (message.type() === 'error') errors.push(message.text()); });
  await page.goto(`${demoOrigin()}/`);
  await page.locator('body[data-ready="true"]').waitFor({ timeout: 15000 });
  return { browser, page, errors };
}
