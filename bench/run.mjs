// Runs the browser benchmarks against the test server and prints them as markdown.
//
//   PF_TEST_SERVER=http://127.0.0.1:PORT node bench/run.mjs [--smoke] [--doc BENCHMARKS.md]
//   PF_TEST_SERVER=… node bench/run.mjs --compare /PATH
//
// The server must serve bench/page at /, a web-target build of the SDK at /pkg and ky's
// distribution at /vendor/ky (mk/bench.mk starts it so). Sections: overhead (against native
// fetch and ky), profile (where the main thread's time goes), memory (a long mixed workload) and
// leaks (the leak test). --smoke runs each at a tiny size and asserts no timing; the leak test
// always runs in full and sets the exit status.
// --pkg names the directory served at /pkg (default build/bench-pkg), for the profile's labels.
// --doc replaces the generated sections of that markdown file. --compare /PATH runs only the
// overhead benchmark, with a second build of the SDK served at /PATH as two more contenders
// ("parallelFetch (B)", "settledFetch (B)"): a way to measure a change to src/ (see BENCHMARKS.md).
// Then the resilience sections: hedging (hedged against unhedged requests on a long-tailed
// endpoint, over the server's HTTP/2 port when PF_TEST_SERVER_TLS is set) and breaker (a steady
// stream at a failing origin). --only NAME,... runs just those sections (overhead, profile,
// memory, leaks, hedging, breaker) and, with --doc, rewrites just theirs.

import { openBenchPage } from './lib/browser.mjs';
import { replaceSections } from './lib/markdown.mjs';
import { overheadSection, FULL, SMOKE, TARGET_RATIO } from './lib/overhead.mjs';
import { memorySection } from './lib/memory.mjs';
import { leakTest } from './lib/leaks.mjs';
import { profileSection } from './lib/profile.mjs';
import { hedgingSection, FULL as HEDGING_FULL, SMOKE as HEDGING_SMOKE } from './lib/hedging.mjs';
import { breakerSection, FULL as BREAKER_FULL, SMOKE as BREAKER_SMOKE } from './lib/breaker.mjs';

const SECTIONS = ['overhead', 'profile', 'memory', 'leaks', 'hedging', 'breaker'];

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

async function overhead(session, smoke) {
  const { markdown, misses } = await overheadSection(session, smoke ? SMOKE : FULL);
  if (smoke) return markdown;
  const verdict = misses.length
    ? `**Target (≤ ${TARGET_RATIO}× native at N = 100 and 1000) missed:** ${misses.join('; ')}.`
    : `**Target met:** parallelFetch and settledFetch are within ${TARGET_RATIO}× of native at N = 100 and 1000.`;
  return `${markdown}\n\n${verdict}`;
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
    const seconds = ((performance.now() - started) / 1000).toFixed(1);
    console.log(`\n## ${title}  (${seconds} s)\n\n${markdown}`);
    sections[name] = markdown;
  };
  let leaksOk = true;
  try {
    await section('overhead', 'Overhead against native fetch and ky', () => overhead(session, args.smoke));
    if (!args.compare) {
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
