// How every browser check launches Chromium: Debian's build (nothing is downloaded), with the
// flags it needs as root on these machines, whose closed network refuses Chromium's background
// connections. No imports, so any harness can use it whatever its node_modules.

/** Chromium's command-line flags. */
export const CHROMIUM_ARGS = [
  '--no-sandbox',
  '--disable-gpu',
  '--disable-dev-shm-usage',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--no-first-run',
];

/** Options for playwright-core's `chromium.launch`; `CHROMIUM` overrides the binary. */
export function chromiumLaunchOptions() {
  return { executablePath: process.env.CHROMIUM || '/usr/bin/chromium', args: CHROMIUM_ARGS };
}
