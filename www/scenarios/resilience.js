// Scenario 4: resilience across calls. One client, with a circuit breaker and a retry budget,
// calls a flaky API: drive it into failure and watch the breaker open (requests fail fast, with
// nothing sent), the budget run out, and, on a long-tailed API, hedges race the slow attempts.

import { apiControls, runKey } from '../controls.js';
import { h } from '../dom.js';
import { createClient } from '../sdk.js';
import { Timeline } from '../timeline.js';
import { Waterfall } from '../waterfall.js';

const BURST = 10;
const CLIENT_EVENTS = ['breakerOpen', 'breakerHalfOpen', 'breakerClose', 'budgetExhausted', 'rateLimited', 'hedgeStart'];
const COUNTERS = [
  ['breaker', 'Breaker'],
  ['budget', 'Retries the budget allows'],
  ['sent', 'Attempts sent'],
  ['retries', 'Retries'],
  ['hedges', 'Hedges'],
  ['failedFast', 'Failed fast (nothing sent)'],
];

export function resilienceScenario(section, sdk) {
  const apis = section.querySelector('[data-apis]');
  const flaky = apiControls(apis, { id: 'resilience-api', name: 'Flaky API', latency: 150, failureRate: 0 });
  const counterBox = section.querySelector('[data-counters]');
  const log = section.querySelector('[data-log]');
  const waterfall = new Waterfall(section.querySelector('[data-waterfall]'), { empty: 'Send a burst.' });
  let failedFast = 0;
  const onEvent = (event) => {
    if (!CLIENT_EVENTS.includes(event.type)) return;
    const what = event.type === 'hedgeStart' ? `hedge for request #${event.index}` : event.origin;
    log.prepend(h('li', { 'data-event': event.type }, h('strong', {}, event.type), ` ${what}`));
    while (log.children.length > 12) log.lastChild.remove();
  };
  // One client for the flaky API: its breaker and budget live across every burst.
  const client = createClient({
    breaker: { failureRatio: 0.5, minimumThroughput: 5, window: 10000, breakDuration: 3000 },
    retryBudget: { ratio: 0.1, minPerSecond: 0.3, window: 10000 },
    onEvent,
  });
  // Another for the long-tailed API, so that hedges spend a budget of their own (the flaky
  // API's runs out during an outage, and would then refuse every hedge).
  const hedging = createClient({ onEvent });

  const counters = new Map(COUNTERS.map(([id, label]) => {
    const value = h('dd', { 'data-stat': id }, '—');
    counterBox.append(h('div', {}, h('dt', {}, label), value));
    return [id, value];
  }));
  const refresh = () => {
    const stats = client.stats()[location.origin] ?? {};
    const hedgeStats = hedging.stats()[location.origin] ?? {};
    for (const [id, element] of counters) {
      const value = id === 'failedFast' ? failedFast : id === 'hedges' ? hedgeStats.hedges ?? 0 : stats[id];
      element.textContent = value === undefined ? '—' : value === Infinity ? '∞' : String(value);
    }
    section.dataset.breaker = stats.breaker ?? 'closed';
  };
  refresh();

  const buttons = [...section.querySelectorAll('.actions button')];
  const run = async (requests, options, through = client) => {
    buttons.forEach((b) => { b.disabled = true; });
    section.dataset.state = 'running';
    const timeline = new Timeline();
    waterfall.show(timeline);
    const labels = requests.map((_, i) => `#${i}`);
    const timer = setInterval(refresh, 100);
    try {
      const entries = await through.settledFetch(requests, { ...sdk.options(), ...options, onEvent: timeline.listener(labels) });
      failedFast += entries.filter((e) => e.status === 'rejected' && e.reason.name === 'CircuitOpenError').length;
    } finally {
      timeline.finish();
      clearInterval(timer);
      refresh();
      buttons.forEach((b) => { b.disabled = false; });
      section.dataset.state = 'done';
    }
  };

  section.querySelector('[data-burst]').addEventListener('click', () => {
    const key = runKey('resilience');
    run(Array.from({ length: BURST }, (_, i) => `/r?${flaky.query(`${key}-${i}`)}`), {});
  });
  section.querySelector('[data-hedged]').addEventListener('click', () => {
    // A tail: one request in four has a first attempt that never answers (the server hangs that
    // hit); the rest answer in 40 ms. Hedged after 150 ms, the hedge answers and the hung attempt
    // is aborted.
    const key = runKey('hedged');
    const requests = Array.from({ length: BURST }, (_, i) =>
      `/r?key=${key}-${i}&delay=40${i % 4 === 1 ? '&hang_first=1' : ''}`);
    run(requests, { hedge: { delay: 150 } }, hedging);
  });
}
