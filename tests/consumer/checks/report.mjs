// The report app/exercise.js must return, from any of the three places it runs.
import { deepStrictEqual } from 'node:assert/strict';

export function checkReport(report, tag) {
  deepStrictEqual(report, {
    first: { status: 200, key: `${tag}-first`, hit: 1, attempts: 1 },
    echo: {
      id: 'echo',
      method: 'POST',
      body: JSON.stringify({ from: tag }),
      contentType: 'application/json',
      from: tag,
    },
    retried: { status: 200, attempts: 2 },
    settled: [
      { status: 'rejected', name: 'HttpError', code: 404 },
      { status: 'rejected', name: 'TimeoutError', code: null },
      { status: 'fulfilled', code: 200 },
    ],
    failFast: { name: 'HttpError', status: 500, path: `/r?key=${tag}-broken&status=500` },
    events: ['attemptEnd', 'attemptStart', 'settle'],
  });
}
