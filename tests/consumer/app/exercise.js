// What every consumer runs (the Node script, the Vite and webpack builds, the Vite dev server
// and the plain module page): real calls through the installed package to the test server at
// `base` ('' for the page's own origin), with keys prefixed by `tag` so that no two runs share
// server state. checks/report.mjs says what the report must hold.
import { parallelFetch, settledFetch } from 'parallel-fetch';

export async function exercise(base, tag) {
  const r = (name, query = '') => `${base}/r?key=${tag}-${name}${query}`;
  const events = [];

  const [first, echo] = await parallelFetch(
    [r('first'), { url: `${base}/echo`, method: 'POST', json: { from: tag }, headers: { 'x-from': tag }, id: 'echo' }],
    { timeout: 5000, onEvent: (event) => events.push(event.type) },
  );
  const [retried] = await parallelFetch([r('retried', '&fail=1')], {
    retry: { limit: 2, baseDelay: 10, jitter: 'none' },
  });
  const settled = await settledFetch(
    [r('missing', '&status=404'), { url: r('hangs', '&hang=1'), timeout: 300 }, r('fine')],
    { retry: false },
  );
  const failFast = await parallelFetch([r('broken', '&status=500'), r('slow', '&delay=5000')], { retry: false }).then(
    () => 'resolved',
    (error) => ({ name: error.name, status: error.status, path: pathOf(error.url) }),
  );

  return {
    first: { status: first.status, key: first.data.key, hit: first.data.hit, attempts: first.attempts },
    echo: {
      id: echo.id,
      method: echo.data.method,
      body: echo.data.body,
      contentType: echo.data.headers['content-type'],
      from: echo.data.headers['x-from'],
    },
    retried: { status: retried.status, attempts: retried.attempts },
    settled: settled.map((outcome) =>
      outcome.status === 'fulfilled'
        ? { status: 'fulfilled', code: outcome.value.status }
        : { status: 'rejected', name: outcome.reason.name, code: outcome.reason.status ?? null },
    ),
    failFast,
    events: [...new Set(events)].sort(),
  };
}

const pathOf = (url) => {
  const { pathname, search } = new URL(url);
  return pathname + search;
};
