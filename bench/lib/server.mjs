// The test server's records, read from Node (the page's requests are not disturbed by it).

const server = () => {
  const origin = process.env.PF_TEST_SERVER;
  if (!origin) throw new Error('PF_TEST_SERVER is not set (run through scripts/with-server.sh)');
  return origin;
};

export async function resetServer() {
  const response = await fetch(`${server()}/reset`, { method: 'POST' });
  if (!response.ok) throw new Error(`/reset: ${response.status}`);
}

export async function keyStats(key) {
  const response = await fetch(`${server()}/stats?key=${encodeURIComponent(key)}`);
  if (!response.ok) throw new Error(`/stats?key=${key}: ${response.status}`);
  return response.json();
}

/**
 * The key's record once nothing of it is in flight at the server (an aborted attempt is only
 * counted once the server notices the client went away), or after `timeoutMs` regardless.
 */
export async function settledStats(key, timeoutMs = 5000) {
  const until = Date.now() + timeoutMs;
  for (;;) {
    const stats = await keyStats(key);
    if (stats.inFlight === 0 || Date.now() > until) return stats;
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}
