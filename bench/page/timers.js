// Counts pending timers, so a run can check that every setTimeout it caused was either fired or
// cleared: a leaked retry or timeout timer shows up as a pending one after the calls settle.
(() => {
  const pending = new Set();
  const { setTimeout: set, clearTimeout: clear } = globalThis;
  globalThis.setTimeout = function setTimeout(callback, ms, ...args) {
    const id = set(
      (...a) => {
        pending.delete(id);
        if (typeof callback === 'function') callback(...a);
      },
      ms,
      ...args,
    );
    pending.add(id);
    return id;
  };
  globalThis.clearTimeout = function clearTimeout(id) {
    pending.delete(id);
    clear(id);
  };
  globalThis.pendingTimers = () => pending.size;
})();
