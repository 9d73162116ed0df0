// Scenario 3: a search box. Every keystroke calls parallelFetch with `debounce`: a burst of
// keystrokes collapses into its latest call, and a keystroke while a request is in flight aborts
// it (latest wins), so a stale answer can never overwrite a fresh one. The server echoes the
// query, and the page checks that the result shown is for the text in the box.

import { apiControls, runKey } from '../controls.js';
import { h } from '../dom.js';
import { errorText } from '../format.js';
import { parallelFetch } from '../sdk.js';
import { Timeline } from '../timeline.js';
import { Waterfall } from '../waterfall.js';

/** After this long with nothing in flight, the next keystroke starts a new waterfall. */
const QUIET_MS = 2000;
/** What the "search index" holds; the results shown are the words starting with the query. */
const WORDS = ['parallel', 'parallelFetch', 'parameter', 'paragraph', 'partial', 'settledFetch', 'settle',
  'search', 'retry', 'Retry-After', 'timeout', 'totalTimeout', 'debounce', 'abort', 'AbortSignal', 'jitter',
  'waterfall', 'wasm', 'WebAssembly'];
const COUNTERS = [
  ['keystrokes', 'Keystrokes'],
  ['sent', 'Requests sent'],
  ['aborted', 'Stale requests aborted'],
  ['answered', 'Answers shown'],
];

export function searchScenario(section, sdk) {
  const api = apiControls(section.querySelector('[data-apis]'), { id: 'search-api', name: 'Search API', latency: 600 });
  const input = section.querySelector('#search-input');
  const resultBox = section.querySelector('[data-result]');
  const counterBox = section.querySelector('[data-counters]');
  const waterfall = new Waterfall(section.querySelector('[data-waterfall]'), { maxRows: 7, empty: 'Type in the search box.' });
  // One session from page load or Clear to the next Clear; late answers of an old one are ignored.
  let state = fresh();

  function fresh() {
    return {
      counts: { keystrokes: 0, sent: 0, aborted: 0, answered: 0 },
      timeline: null,
      pending: 0,
      shown: null,
      error: null,
      stop: new AbortController(),
    };
  }

  input.addEventListener('input', () => {
    const now = performance.now();
    const { timeline } = state;
    if (!timeline || (!timeline.live && now - timeline.origin - timeline.span(now) > QUIET_MS)) {
      state.timeline = new Timeline(now);
      waterfall.show(state.timeline);
    }
    state.timeline.mark(now);
    state.counts.keystrokes += 1;
    search(input.value, state);
    render();
  });

  section.querySelector('[data-clear]').addEventListener('click', () => {
    input.value = '';
    state.stop.abort();
    state = fresh();
    section.dataset.serverKey = runKey('search');
    waterfall.show(new Timeline());
    render();
  });

  function search(query, session) {
    const params = api.query(section.dataset.serverKey);
    params.set('q', query);
    const draw = session.timeline.listener([`“${query}”`]);
    const onEvent = (event) => {
      if (event.type === 'attemptStart') session.counts.sent += 1;
      // A keystroke collapsed before it was sent also reports its abort (attempt 0): not a stale request.
      if (event.type === 'abort' && event.by === 'debounce' && event.attempt > 0) session.counts.aborted += 1;
      draw(event);
      if (session === state) renderCounters();
    };
    session.pending += 1;
    const options = {
      ...sdk.options(),
      debounce: { key: 'search', wait: sdk.debounceWait() },
      signal: session.stop.signal,
      onEvent,
    };
    parallelFetch([{ id: 'search', url: `/r?${params}` }], options)
      // Every caller of a burst settles with the latest call's outcome: the same answer.
      .then(([result]) => {
        if (session.shown?.result !== result) session.counts.answered += 1;
        session.shown = { query: result.data.query.q ?? '', result };
        session.error = null;
      })
      .catch((error) => { session.error = error; })
      .finally(() => {
        session.pending -= 1;
        if (session === state) render();
      });
  }

  function render() {
    renderCounters();
    const { shown, error, pending } = state;
    const matches = shown !== null && shown.query === input.value;
    resultBox.dataset.match = String(matches);
    resultBox.dataset.pending = String(pending > 0);
    if (shown) resultBox.dataset.query = shown.query;
    else delete resultBox.dataset.query;
    const check = matches
      ? h('span', { class: 'check ok', title: 'The result shown is for the text in the box' }, '✓ matches the box')
      : pending > 0
        ? h('span', { class: 'check wait' }, '… waiting for the latest')
        : shown ? h('span', { class: 'check bad' }, '✗ does not match the box') : null;
    const heading = shown
      ? h('p', { class: 'result-heading' }, 'Results for ', h('q', { 'data-shown-query': '' }, shown.query), ' ', check)
      : h('p', { class: 'result-heading hint' }, 'No results yet. ', check);
    const words = shown ? WORDS.filter((w) => w.toLowerCase().startsWith(shown.query.toLowerCase())).slice(0, 6) : [];
    const list = shown && h('ul', { class: 'words' },
      words.length ? words.map((w) => h('li', {}, w)) : h('li', { class: 'hint' }, 'no matching words'));
    const failure = error && h('p', { class: 'search-error', role: 'alert' }, `Latest search failed: ${errorText(error)}`);
    resultBox.replaceChildren(...[heading, list, failure].filter(Boolean));
  }

  function renderCounters() {
    counterBox.replaceChildren(...COUNTERS.flatMap(([id, label]) => [
      h('div', { class: 'counter' }, h('dt', {}, label), h('dd', { 'data-counter': id }, String(state.counts[id]))),
    ]));
  }

  section.dataset.serverKey = runKey('search');
  render();
}
