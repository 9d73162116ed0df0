// The form controls: how each API on the test server misbehaves, and the SDK's options.
// Every control has a <label>, and every value is read at the moment of a run.

import { h } from './dom.js';

const FAILURE_STATUSES = [500, 502, 503, 429, 404].map((code) => [code, String(code)]);
const HANG = [['no', 'never'], ['first', 'first try'], ['always', 'every try']];
const JITTER = ['full', 'equal', 'decorrelated', 'none'];

/**
 * Controls for one API on the test server: latency, failure rate and status, hang, Retry-After.
 * @returns {{name: string, query: (key: string, force?: {fail?: boolean}) => URLSearchParams}}
 */
export function apiControls(container, { id, name, latency, failureRate = 0, failureStatus = 503 }) {
  const field = (suffix, label, input) => {
    input.id = `${id}-${suffix}`;
    return h('div', { class: 'field' }, h('label', { for: input.id }, label), input);
  };
  const inputs = {
    latency: number({ value: latency, min: 0, max: 10000, step: 50 }),
    failureRate: number({ value: failureRate, min: 0, max: 100, step: 10 }),
    failureStatus: select(FAILURE_STATUSES, failureStatus),
    hang: select(HANG, 'no'),
    retryAfter: number({ value: '', min: 0, max: 60, step: 1, placeholder: 'none' }),
  };
  container.append(h('fieldset', { class: 'api', 'data-api': id },
    h('legend', {}, name),
    field('latency', 'Latency (ms)', inputs.latency),
    field('fail-rate', 'Failure rate (%)', inputs.failureRate),
    field('fail-status', 'Failure status', inputs.failureStatus),
    field('hang', 'Hang', inputs.hang),
    field('retry-after', 'Retry-After (s)', inputs.retryAfter),
  ));
  return {
    name,
    /** The test server's `/r` parameters for one request. `key` groups the hits of one run
     *  (so "hang the first attempt" counts per run); `force.fail` overrides the failure rate. */
    query(key, force = {}) {
      const params = new URLSearchParams({ key, delay: String(int(inputs.latency, 0)) });
      const rate = force.fail === undefined ? int(inputs.failureRate, 0) / 100 : Number(force.fail);
      if (rate > 0) params.set('fail_rate', String(Math.min(rate, 1)));
      params.set('fail_status', inputs.failureStatus.value);
      if (force.fail === undefined && inputs.hang.value === 'always') params.set('hang', '1');
      if (force.fail === undefined && inputs.hang.value === 'first') params.set('hang_first', '1');
      if (inputs.retryAfter.value !== '') params.set('retry_after', String(int(inputs.retryAfter, 0)));
      return params;
    },
  };
}

/**
 * The SDK's options: timeout, retry limit, base delay, jitter, totalTimeout, debounce wait.
 * @returns {{options: () => object, debounceWait: () => number}}
 */
export function sdkControls(container) {
  const inputs = {
    timeout: number({ value: 2000, min: 1, step: 100, placeholder: 'none' }),
    limit: number({ value: 2, min: 0, max: 10, step: 1 }),
    baseDelay: number({ value: 300, min: 0, step: 50 }),
    jitter: select(JITTER.map((j) => [j, j]), 'full'),
    totalTimeout: number({ value: '', min: 1, step: 100, placeholder: 'none' }),
    debounceWait: number({ value: 250, min: 0, step: 50 }),
  };
  const field = (id, label, input) => {
    input.id = `sdk-${id}`;
    return h('div', { class: 'field' }, h('label', { for: input.id }, label), input);
  };
  container.append(
    field('timeout', 'Timeout per attempt (ms)', inputs.timeout),
    field('retry-limit', 'Retry limit', inputs.limit),
    field('base-delay', 'Retry base delay (ms)', inputs.baseDelay),
    field('jitter', 'Jitter', inputs.jitter),
    field('total-timeout', 'totalTimeout (ms)', inputs.totalTimeout),
    field('debounce-wait', 'Debounce wait (ms, search)', inputs.debounceWait),
  );
  return {
    /** FetchOptions for a call, without onEvent. */
    options() {
      const options = {
        timeout: inputs.timeout.value === '' ? Infinity : int(inputs.timeout, 2000),
        retry: { limit: int(inputs.limit, 2), baseDelay: int(inputs.baseDelay, 300), jitter: inputs.jitter.value },
      };
      if (inputs.totalTimeout.value !== '') options.totalTimeout = int(inputs.totalTimeout, 10000);
      return options;
    },
    debounceWait: () => int(inputs.debounceWait, 250),
  };
}

/** A fresh server key per run, so per-key counters (hang the first attempt) start over. */
export function runKey(prefix) {
  runKey.count = (runKey.count ?? 0) + 1;
  return `${prefix}-${SESSION}-${runKey.count}`;
}
const SESSION = Math.random().toString(36).slice(2, 8);

function number(attrs) {
  return h('input', { type: 'number', inputmode: 'numeric', ...attrs });
}

function select(options, selected) {
  return h('select', {}, options.map(([value, label]) =>
    h('option', { value, selected: String(value) === String(selected) }, label)));
}

/** The input's value as a non-negative integer, or `fallback` when it is empty or not a number. */
function int(input, fallback) {
  const value = Number.parseInt(input.value, 10);
  return Number.isFinite(value) && value >= 0 ? value : fallback;
}
