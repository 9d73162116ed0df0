// Scenario 2: checkout takes the payment and reserves the stock at once with settledFetch, then
// decides from both outcomes: place the order, refund the payment, release the stock, or fail.

import { apiControls, runKey } from '../controls.js';
import { h } from '../dom.js';
import { ms } from '../format.js';
import { settledFetch } from '../sdk.js';
import { Timeline } from '../timeline.js';
import { Waterfall } from '../waterfall.js';
import { decide } from './checkout-decision.js';

const ICONS = { place: '✓', refund: '↩', release: '↩', fail: '✗' };
/** [payment succeeds, stock succeeds] for each combination. */
const COMBINATIONS = [[true, true], [true, false], [false, true], [false, false]];

export function checkoutScenario(section, sdk) {
  const apisBox = section.querySelector('[data-apis]');
  const apis = {
    payment: apiControls(apisBox, { id: 'checkout-payment', name: 'Payment API', latency: 450, failureStatus: 500 }),
    inventory: apiControls(apisBox, { id: 'checkout-inventory', name: 'Inventory API', latency: 300 }),
  };
  const results = section.querySelector('[data-results]');
  const current = card('current', 'Your checkout (the controls as set)');
  // The four share one time scale, so that their waterfalls compare at a glance.
  const span = () => Math.max(0, ...matrix.map((c) => c.timeline?.span() ?? 0));
  const matrix = COMBINATIONS.map(([paid, reserved]) =>
    card(`${paid ? 'paid' : 'unpaid'}-${reserved ? 'reserved' : 'unreserved'}`,
      `payment ${paid ? 'succeeds' : 'fails'} · stock ${reserved ? 'succeeds' : 'fails'}`, span));
  results.append(current.element, h('div', { class: 'matrix' }, matrix.map((c) => c.element)));

  /** The two requests of one checkout; `force` makes each API succeed or fail. */
  const requests = (force = {}) => {
    const order = runKey('order');
    const payment = apis.payment.query(runKey('checkout-payment'), { fail: force.payment });
    const inventory = apis.inventory.query(runKey('checkout-inventory'), { fail: force.inventory });
    return [
      // POST is not retried by default; an idempotency key makes retrying a payment safe.
      { id: 'payment', method: 'POST', url: `/r?${payment}`, json: { order, amount: 42.5, currency: 'EUR' },
        headers: { 'Idempotency-Key': order }, retry: { methods: ['POST'] } },
      { id: 'inventory', method: 'PUT', url: `/r?${inventory}`, json: { order, sku: 'ENGINE-1', quantity: 1 } },
    ];
  };
  const buttons = [...section.querySelectorAll('.actions button')];
  const busy = async (work) => {
    buttons.forEach((b) => { b.disabled = true; });
    try { await work(); } finally { buttons.forEach((b) => { b.disabled = false; }); }
  };
  section.querySelector('[data-checkout]').addEventListener('click', () =>
    busy(() => current.run(requests(), sdk.options())));
  section.querySelector('[data-combinations]').addEventListener('click', () =>
    busy(async () => {
      // One after another: eight requests at once would queue behind the browser's six
      // connections per host, and the queued ones would time out for no fault of the APIs.
      for (const [i, [paid, reserved]] of COMBINATIONS.entries()) {
        await matrix[i].run(requests({ payment: !paid, inventory: !reserved }), sdk.options());
      }
      matrix.forEach((c) => c.redraw());
    }));
}

/** One checkout: its decision, why, and its waterfall. */
function card(id, caption, span = () => 0) {
  const decision = h('strong', { class: 'decision' }, '—');
  const why = h('span', { class: 'why' }, 'not run yet');
  const total = h('span', { class: 'total' }, '');
  const chart = h('div', { class: 'waterfall-frame' });
  const element = h('article', { class: 'checkout-card', 'data-case': id, 'data-state': 'idle' },
    h('header', {}, h('h3', {}, caption), total),
    h('p', { class: 'decision-line' }, decision, why),
    chart);
  const waterfall = new Waterfall(chart, { span, empty: 'Not run yet.' });
  const result = {
    element,
    timeline: null,
    redraw: () => waterfall.redraw(),
    async run(requests, options) {
      const timeline = new Timeline();
      result.timeline = timeline;
      waterfall.show(timeline);
      element.dataset.state = 'running';
      delete element.dataset.decision;
      decision.textContent = '…';
      why.textContent = 'waiting for both';
      total.textContent = '';
      const [payment, stock] = await settledFetch(requests, { ...options, onEvent: timeline.listener(['payment', 'inventory']) })
        .catch((error) => [{ status: 'rejected', reason: error }, { status: 'rejected', reason: error }]);
      timeline.finish();
      const verdict = decide(payment, stock);
      decision.textContent = `${ICONS[verdict.id]} ${verdict.title}`;
      why.textContent = verdict.why;
      total.textContent = ms(timeline.finishedAt);
      element.dataset.decision = verdict.id;
      element.dataset.state = 'done';
    },
  };
  return result;
}
