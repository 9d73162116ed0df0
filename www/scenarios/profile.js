// Scenario 1: a profile page built from a personal API and a professional API, loaded
// sequentially, with parallelFetch (all or nothing) and with settledFetch (every outcome).

import { apiControls, runKey } from '../controls.js';
import { h } from '../dom.js';
import { errorText, ms } from '../format.js';
import { parallelFetch, settledFetch } from '../sdk.js';
import { Timeline, rowOutcome, rowSummary } from '../timeline.js';
import { Waterfall } from '../waterfall.js';

/** What each API answers when it succeeds (the server sends it back as given). */
const BODIES = {
  personal: { name: 'Ada Lovelace', city: 'London' },
  professional: { title: 'Engineer', company: 'Babbage & Co' },
};

/** The three ways to load the page. Each resolves to
 *  { outcome: 'ok'|'partial'|'error', parts: {id: {ok, data}|{ok: false, error}}, failed? }. */
const STRATEGIES = {
  sequential: {
    title: 'Sequential',
    note: 'await personal, then await professional',
    async run(requests, options, timeline) {
      const parts = {};
      for (const request of requests) {
        try {
          const [result] = await parallelFetch([request], { ...options, onEvent: timeline.listener([request.id]) });
          parts[request.id] = { ok: true, data: result.data };
        } catch (error) {
          parts[request.id] = { ok: false, error };
          return { outcome: 'error', parts, failed: request.id };
        }
      }
      return { outcome: 'ok', parts };
    },
  },
  parallel: {
    title: 'parallelFetch',
    note: 'all or nothing: the first failure aborts the sibling',
    async run(requests, options, timeline) {
      try {
        const results = await parallelFetch(requests, { ...options, onEvent: timeline.listener(ids(requests)) });
        return { outcome: 'ok', parts: Object.fromEntries(results.map((r) => [r.id, { ok: true, data: r.data }])) };
      } catch (error) {
        return { outcome: 'error', parts: { [error.id]: { ok: false, error } }, failed: error.id };
      }
    },
  },
  settled: {
    title: 'settledFetch',
    note: 'every outcome: a failure leaves a partial page',
    async run(requests, options, timeline) {
      const settled = await settledFetch(requests, { ...options, onEvent: timeline.listener(ids(requests)) });
      const parts = Object.fromEntries(settled.map((s, i) => [requests[i].id, s.status === 'fulfilled'
        ? { ok: true, data: s.value.data }
        : { ok: false, error: s.reason }]));
      const loaded = Object.values(parts).filter((p) => p.ok).length;
      const outcome = loaded === requests.length ? 'ok' : loaded === 0 ? 'error' : 'partial';
      return { outcome, parts, failed: requests.find((r) => !parts[r.id].ok)?.id };
    },
  },
};

export function profileScenario(section, sdk) {
  const apisBox = section.querySelector('[data-apis]');
  const apis = {
    personal: apiControls(apisBox, { id: 'profile-personal', name: 'Personal API', latency: 400 }),
    professional: apiControls(apisBox, { id: 'profile-professional', name: 'Professional API', latency: 700 }),
  };
  // One scale for the three waterfalls, so that their lengths compare at a glance.
  const span = () => Math.max(0, ...panels.map((p) => p.timeline?.span() ?? 0));
  const panels = Object.entries(STRATEGIES).map(([id, strategy]) => runPanel(id, strategy, span));
  section.querySelector('[data-runs]').append(...panels.map((p) => p.element));

  const requests = () => Object.entries(apis).map(([id, api]) => {
    const params = api.query(runKey(`profile-${id}`));
    params.set('content_type', 'application/json');
    params.set('body', JSON.stringify(BODIES[id]));
    return { id, url: `/r?${params}` };
  });
  const buttons = [...section.querySelectorAll('.actions button')];
  const run = async (chosen) => {
    buttons.forEach((b) => { b.disabled = true; });
    try {
      // One after another, so that no run's timing is disturbed by another's requests.
      for (const panel of chosen) await panel.run(requests(), sdk.options());
      panels.forEach((p) => p.waterfall.redraw());
    } finally {
      buttons.forEach((b) => { b.disabled = false; });
    }
  };
  section.querySelector('[data-run-all]').addEventListener('click', () => run(panels));
  for (const button of section.querySelectorAll('[data-run]')) {
    button.addEventListener('click', () => run(panels.filter((p) => p.id === button.dataset.run)));
  }
}

/** One strategy's panel: its total time, the page it could show, and its waterfall. */
function runPanel(id, strategy, span) {
  const total = h('span', { class: 'total' }, '—');
  const verdict = h('span', { class: 'verdict' }, 'not run yet');
  const preview = h('div', { class: 'preview' }, h('p', { class: 'hint' }, 'The page appears here.'));
  const chart = h('div', { class: 'waterfall-frame' });
  const element = h('article', { class: 'run', 'data-run': id, 'data-state': 'idle' },
    h('header', {},
      h('h3', {}, strategy.title),
      h('span', { class: 'note' }, strategy.note),
      verdict,
      total),
    h('div', { class: 'run-body' }, preview, chart));
  const panel = {
    id,
    element,
    timeline: null,
    waterfall: new Waterfall(chart, { span, empty: 'Press a run button.' }),
    async run(requests, options) {
      const timeline = new Timeline();
      panel.timeline = timeline;
      panel.waterfall.show(timeline);
      element.dataset.state = 'running';
      delete element.dataset.outcome;
      verdict.textContent = 'loading…';
      total.textContent = '…';
      // Bad input (a TypeError or RangeError naming the option) is an error page too.
      const report = await strategy.run(requests, options, timeline)
        .catch((error) => ({ outcome: 'error', parts: { call: { ok: false, error } }, failed: 'call' }));
      timeline.finish();
      const elapsed = timeline.finishedAt;
      total.textContent = ms(elapsed);
      total.dataset.ms = String(Math.round(elapsed));
      verdict.textContent = { ok: 'full page', partial: 'partial page', error: 'error page' }[report.outcome];
      element.dataset.outcome = report.outcome;
      element.dataset.state = 'done';
      preview.replaceChildren(...pageFor(report, timeline));
    },
  };
  return panel;
}

/** What the user would see: the profile, the profile with a hole, or an error. */
function pageFor(report, timeline) {
  if (report.outcome === 'error') {
    const failed = report.parts[report.failed];
    const others = timeline.rows.filter((row) => row.label !== report.failed);
    return [h('div', { class: 'page-error', role: 'alert' },
      h('strong', {}, 'Could not load your profile'),
      h('p', {}, `${report.failed} failed: ${errorText(failed.error)}`),
      ...others.map((row) => h('p', { class: 'sibling', 'data-sibling': row.label, 'data-sibling-outcome': rowOutcome(row) },
        `${row.label}: ${siblingFate(row)}`)))];
  }
  return ['personal', 'professional'].map((id) => tile(id, report.parts[id]));
}

function siblingFate(row) {
  const outcome = rowOutcome(row);
  if (outcome === 'aborted') return `aborted (${row.abortedBy})`;
  if (outcome === 'ok') return 'loaded, then discarded';
  return rowSummary(row);
}

function tile(id, part) {
  if (!part?.ok) {
    return h('div', { class: 'tile missing', 'data-tile': id, 'data-loaded': 'false' },
      h('span', { class: 'tile-title' }, id),
      h('span', {}, `✗ ${errorText(part?.error)}`));
  }
  const text = id === 'personal' ? `${part.data.name} · ${part.data.city}` : `${part.data.title} · ${part.data.company}`;
  return h('div', { class: 'tile', 'data-tile': id, 'data-loaded': 'true' },
    h('span', { class: 'tile-title' }, id), h('span', {}, text));
}

function ids(requests) {
  return requests.map((r) => r.id);
}
