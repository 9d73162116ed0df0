// The contenders of the overhead benchmark. Each takes a list of URLs, sends them all at once and
// resolves once every response body has been read and parsed as JSON, so they all do the same work.

const json = (response) => response.json();

/** Name → function(urls) → Promise. */
export function contenders({ parallelFetch, settledFetch, ky }) {
  return {
    'fetch + Promise.all': (urls) => Promise.all(urls.map((url) => fetch(url).then(json))),
    'fetch + Promise.allSettled': (urls) =>
      Promise.allSettled(urls.map((url) => fetch(url).then(json))),
    // ky retries twice by default; its default timeout is 10 s, like the SDK's.
    'ky (retry: 0)': (urls) => Promise.all(urls.map((url) => ky(url, { retry: 0 }).json())),
    // The SDK reads the body as text and JSON.parses it (responseType 'auto' on a JSON
    // content type); each attempt carries its own AbortController and a 10 s timer.
    parallelFetch: (urls) => parallelFetch(urls, { retry: false }),
    settledFetch: (urls) => settledFetch(urls, { retry: false }),
  };
}
