// The record of one run, built from the SDK's onEvent reports: one row per request, each a list
// of attempt bars and retry waits. The waterfall draws it; the scenarios read outcomes from it.
//
// Event order per request (see the SDK's FetchEvent type):
//   attemptStart → attemptEnd [→ retryWait → attemptStart → attemptEnd]… [→ abort] → settle
// A hedge (hedgeStart, then its own attemptStart) runs beside the attempt in flight: its bar
// takes a second lane, and each attemptEnd closes the bar of its own attempt number. A request
// cut short by a failed sibling, a newer debounced call or the caller's signal reports
// abort{by, duringWait} and then settle{error: 'AbortError'}.

import { attempts } from './format.js';

/** @typedef {{kind: 'attempt', attempt: number, start: number, end: number|null,
 *   outcome: string, status?: number, abortedBy?: string}} AttemptBar */
/** @typedef {{kind: 'wait', start: number, end: number|null, delay: number,
 *   retryAfter?: number, abortedBy?: string}} RetryWait */
/** @typedef {{label: string, segments: Array<AttemptBar|RetryWait>, settled: object|null,
 *   abortedBy: string|null}} Row */

export class Timeline {
  /** @param {number} origin performance.now() of the run's start: time 0 on the axis. */
  constructor(origin = performance.now()) {
    this.origin = origin;
    /** @type {Row[]} */
    this.rows = [];
    /** Instants worth showing on their own row (keystrokes), in ms since the origin. */
    this.marks = [];
    this.finishedAt = null;
    this.subscribers = new Set();
  }

  /** An onEvent callback for one call whose requests are labelled `labels` (by index). Rows
   *  appear at a request's first event, so calls that never ran (debounced away) leave none. */
  listener(labels) {
    const rows = new Map();
    const skipped = new Set();
    return (event) => {
      let row = rows.get(event.index);
      // A request cut short before it ever started (collapsed by debounce, or queued when a
      // sibling failed) reports only abort and then settle, with attempt 0: it gets no row. (One
      // that ended unsent for a reason of its own, a CircuitOpenError, keeps its row.)
      if (skipped.has(event.index)) return;
      if (!row && event.attempt === 0 && event.type === 'abort') {
        skipped.add(event.index);
        return;
      }
      if (!row) {
        row = { label: labels[event.index] ?? `#${event.index}`, segments: [], settled: null, abortedBy: null };
        rows.set(event.index, row);
        this.rows.push(row);
      }
      apply(row, event, event.time - this.origin);
      this.#changed();
    };
  }

  /** Notes an instant (e.g. a keystroke) on the marks row. */
  mark(time = performance.now()) {
    this.marks.push(time - this.origin);
    this.#changed();
  }

  /** Ends the run: its span stops growing. */
  finish(time = performance.now()) {
    this.finishedAt = time - this.origin;
    this.#changed();
  }

  /** Whether something is still in flight or waiting (so a drawing must keep moving). */
  get live() {
    return this.rows.some((row) => row.segments.some((s) => s.end === null));
  }

  /** The ms the drawing must cover at `now` (performance.now()). */
  span(now = performance.now()) {
    const ends = [this.finishedAt ?? 0, ...this.marks];
    for (const row of this.rows) {
      for (const s of row.segments) ends.push(s.end ?? now - this.origin);
    }
    return Math.max(0, ...ends);
  }

  /** Calls `fn` after every change; returns the unsubscribe function. */
  subscribe(fn) {
    this.subscribers.add(fn);
    return () => this.subscribers.delete(fn);
  }

  #changed() {
    for (const fn of this.subscribers) fn(this);
  }
}

/** What became of a row's request: 'ok', an error name, 'aborted', or 'pending'. */
export function rowOutcome(row) {
  if (row.abortedBy) return 'aborted';
  if (row.settled) return row.settled.ok ? 'ok' : row.settled.error;
  return 'pending';
}

/** One line about a row's fate, e.g. "200 · 1 attempt", "HttpError 503 · 3 attempts",
 *  "aborted (failFast)"; `compact` says "200", "HttpError 503 ×3" instead. */
export function rowSummary(row, { compact = false } = {}) {
  const tries = row.segments.filter((s) => s.kind === 'attempt').length;
  const count = compact ? (tries > 1 ? ` ×${tries}` : '') : ` · ${attempts(tries)}`;
  const outcome = rowOutcome(row);
  if (outcome === 'aborted') return `aborted (${row.abortedBy})`;
  if (outcome === 'pending') return 'in flight…';
  const status = row.settled.status ?? lastStatus(row);
  if (outcome === 'ok') return `${status}${count}`;
  return `${outcome}${status ? ` ${status}` : ''}${count}`;
}

function lastStatus(row) {
  const bars = row.segments.filter((s) => s.kind === 'attempt' && s.status);
  return bars.at(-1)?.status;
}

function apply(row, event, t) {
  const open = row.segments.at(-1);
  const openSegment = open && open.end === null ? open : null;
  switch (event.type) {
    case 'attemptStart': {
      if (openSegment?.kind === 'wait') openSegment.end = t;
      const lane = row.segments.filter((s) => s.kind === 'attempt' && s.end === null).length;
      row.segments.push({ kind: 'attempt', attempt: event.attempt, start: t, end: null, outcome: 'pending', lane });
      break;
    }
    case 'attemptEnd': {
      const bar = row.segments.find((s) => s.kind === 'attempt' && s.end === null && s.attempt === event.attempt)
        ?? (openSegment?.kind === 'attempt' ? openSegment : null);
      if (bar) {
        bar.end = t;
        bar.outcome = event.ok ? 'ok' : event.error === 'AbortError' ? 'aborted' : event.error;
        if (event.error === 'AbortError') bar.abortedBy = 'hedge';
        bar.status = event.status;
      }
      break;
    }
    case 'retryWait':
      row.segments.push({ kind: 'wait', start: t, end: null, delay: event.delay, retryAfter: event.retryAfter });
      break;
    case 'abort':
      row.abortedBy = event.by;
      for (const bar of row.segments.filter((s) => s.end === null && s !== openSegment)) {
        bar.end = t;
        bar.abortedBy = event.by;
        if (bar.kind === 'attempt') bar.outcome = 'aborted';
      }
      if (openSegment) {
        openSegment.end = t;
        openSegment.abortedBy = event.by;
        if (openSegment.kind === 'attempt') openSegment.outcome = 'aborted';
      }
      break;
    case 'settle':
      row.settled = { ok: event.ok, status: event.status, error: event.error, time: t };
      break;
    default:
      break;
  }
}
