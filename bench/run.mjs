// Runs the browser benchmarks against the test server and prints them as markdown.
//
//   PF_TEST_SERVER=http://127.0.0.1:PORT node bench/run.mjs [--smoke] [--doc BENCHMARKS.md]
//   PF_TEST_SERVER=… node bench/run.mjs --compare /PATH
//
// The server must serve bench/page at /, a web-target build of the SDK at /pkg and ky's
// distribution at /vendor/ky (mk/bench.mk starts it so), with --tls-port for HTTP/2
// (PF_TEST_SERVER_TLS). Sections: overhead (against native fetch and ky, over HTTP/1.1, with the
// target's verdict), overhead-h2 (the same over HTTP/2, on a page served from the TLS port;
// skipped without PF_TEST_SERVER_TLS), startup (import and init of the SDK to its first call,
// against ky, in fresh pages), profile (where the main thread's time goes), memory (a long mixed
// workload) and leaks (the leak test). --smoke runs each at a tiny size and asserts no timing;
// the leak test always runs in full and sets the exit status.
// --pkg names the directory served at /pkg (default build/bench-pkg), for the profile's labels.
// --doc replaces the generated sections of that markdown file. --compare /PATH runs only the
// overhead benchmarks (both protocols, or those --only names), with a second build of the SDK
// served at /PATH as two more contenders ("parallelFetch (B)", "settledFetch (B)"): a way to
// measure a change to src/ (see BENCHMARKS.md).
// Then the resilience sections: hedging (hedged against unhedged requests on a long-tailed
// endpoint, over the server's HTTP/2 port when PF_TEST_SERVER_TLS is set) and breaker (a steady
// stream at a failing origin). --only NAME,... runs just those sections (overhead, overhead-h2,
// startup, profile, memory, leaks, hedging, breaker) and, with --doc, rewrites just theirs.

import { openBenchPage, openBenchPageIn } from './lib/browser.mjs';
import { replaceSections } from './lib/markdown.mjs';
import { overheadSection, FULL, SMOKE, HTTP1, HTTP2 } from './lib/overhead.mjs';
import { startupSection, FULL as STARTUP_FULL, SMOKE as STARTUP_SMOKE } from './lib/startup.mjs';
import { memorySection } from './lib/memory.mjs';
import { leakTest } from './lib/leaks.mjs';
import { profileSection } from './lib/profile.mjs';
import { hedgingSection, FULL as HEDGING_FULL, SMOKE as HEDGING_SMOKE } from './lib/hedging.mjs';
import { breakerSection, FULL as BREAKER_FULL, SMOKE as BREAKER_SMOKE } from './lib/breaker.mjs';

const SECTIONS = ['overhead', 'overhead-h2', 'startup', 'profile', 'memory', 'leaks', 'hedging', 'breaker'];

function parseArgs(argv) {
  const args = { smoke: false, doc: null, compare: null, pkg: 'build/bench-pkg', only: null };
  for (let i = 0; i < argv.length; i++) {
    if (argv[i] === '--smoke') args.smoke = true;
    else if (argv[i] === '--doc') args.doc = argv[++i];
    else if (argv[i] === '--compare') args.compare = argv[++i];
    else if (argv[i] === '--pkg') args.pkg = argv[++i];
    else if (argv[i] === '--only') args.only = argv[++i].split(',');
    else throw new Error(`unknown argument ${argv[i]} (usage: run.mjs [--smoke] [--doc FILE] [--pkg DIR] [--compare /PATH] [--only NAME,...])`);
  }
  for (const name of args.only ?? []) {
    if (!SECTIONS.includes(name)) throw new Error(`--only: no section ${name} (${SECTIONS.join(', ')})`);
  }
  return args;
}

/** The overhead tables and verdict in `session`'s page, checking it came over `protocol`. */
async function overhead(session, smoke, protocol) {
  const nextHop = await session.protocol();
  if (nextHop !== protocol.nextHop) {
    throw new Error(`overhead over ${protocol.name}: the page came over ${nextHop || 'an unknown protocol'}`);
  }
  return (await overheadSection(session, smoke ? SMOKE : FULL, protocol)).markdown;
}

/** The same over HTTP/2: a second page, served from the server's TLS port. */
async function overheadH2(session, args) {
  const tls = process.env.PF_TEST_SERVER_TLS;
  if (!tls) return null;
  const h2 = await openBenchPageIn(session.browser, tls, args.compare);
  try {
    return await overhead(h2, args.smoke, HTTP2);
  } finally {
    await h2.close();
  }
}

async function main() {
  const args = parseArgs(process.argv.slice(2));
  const origin = process.env.PF_TEST_SERVER;
  if (!origin) throw new Error('PF_TEST_SERVER is not set (run through scripts/with-server.sh)');
  const session = await openBenchPage(origin, args.compare);
  const sections = {};
  const section = async (name, title, fn) => {
    if (args.only && !args.only.includes(name)) return;
    const started = performance.now();
    const markdown = await fn();
    if (markdown === null) {
      console.log(`\n## ${title}: skipped (PF_TEST_SERVER_TLS is not set: scripts/with-server.sh --tls-port 0)`);
      return;
    }
    const seconds = ((performance.now() - started) / 1000).toFixed(1);
    console.log(`\n## ${title}  (${seconds} s)\n\n${markdown}`);
    sections[name] = markdown;
  };
  let leaksOk = true;
  try {
    await section('overhead', 'Overhead against native fetch and ky (HTTP/1.1)', () => overhead(session, args.smoke, HTTP1));
    await section('overhead-h2', 'Overhead against native fetch and ky (HTTP/2)', () => overheadH2(session, args));
    if (!args.compare) {
      await section('startup', 'Start-up: import to first call', async () =>
        (await startupSection(session, args.smoke ? STARTUP_SMOKE : STARTUP_FULL, { smoke: args.smoke })).markdown,
      );
      await section('profile', 'Where parallelFetch spends the main thread', () =>
        profileSection(session, args.pkg, args.smoke ? { n: 3, calls: 1 } : {}),
      );
      await section('memory', 'Memory over a long mixed workload', () =>
        memorySection(session, args.smoke ? { warmup: 100, requests: 300 } : { warmup: 2000, requests: 20_000 }),
      );
      await section('leaks', 'Leak test', async () => {
        const result = await leakTest(session);
        leaksOk = result.ok;
        return `${result.markdown}\n\n${result.ok ? 'Leak test passed.' : '**Leak test FAILED.**'}`;
      });
      // After the leak test, so that nothing these clients leave behind can count against it.
      await section('hedging', 'Hedged requests against a long tail', async () => {
        const { markdown, misses } = await hedgingSection(session, args.smoke ? HEDGING_SMOKE : HEDGING_FULL, { smoke: args.smoke });
        if (args.smoke) return markdown;
        return `${markdown}\n\n${misses.length ? '**Target missed.**' : '**Target met.**'}`;
      });
      await section('breaker', 'Circuit breaker against a failing origin', async () =>
        (await breakerSection(session, args.smoke ? BREAKER_SMOKE : BREAKER_FULL, { smoke: args.smoke })).markdown,
      );
    }
  } finally {
    await session.browser.close();
  }
  if (args.doc && !args.smoke && !args.compare) replaceSections(args.doc, sections);
  console.log(`\nChromium ${session.version}${leaksOk ? '' : ': the leak test FAILED'}`);
  process.exitCode = leaksOk ? 0 : 1;
}

main().catch((error) => {
  console.error(`bench: ${error.stack ?? error}`);
  process.exitCode = 2;
});
