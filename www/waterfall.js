// Draws a Timeline as an SVG waterfall: a time axis in ms, one row per request, one bar per
// attempt coloured by its outcome, retry waits as dashed gaps, and each request's fate at the
// right. While something is in flight it redraws every frame, so open bars grow live.

import { fillFor, inkFor } from './palette.js';
import { rowOutcome, rowSummary } from './timeline.js';

const NS = 'http://www.w3.org/2000/svg';
const SIZE = { label: 104, summary: 172, axis: 20, row: 24, bar: 14, bottom: 4, minWidth: 360 };
/** Narrower than this, the label and summary columns shrink and summaries get terse. */
const COMPACT_BELOW = 640;
const COMPACT = { ...SIZE, label: 84, summary: 128 };
/** Rough width of one 11px character, to decide whether a label fits inside a bar. */
const CHAR = 6.4;
const TICK_STEPS = [5, 10, 20, 25, 50, 100, 200, 250, 500, 1000, 2000, 2500, 5000, 10000, 20000, 30000, 60000];

export class Waterfall {
  /**
   * @param {HTMLElement} container where the SVG goes
   * @param {object} [options]
   * @param {() => number} [options.span] the least ms to show, so that waterfalls side by side
   *   can share one scale
   * @param {number} [options.maxRows] show only the latest rows
   * @param {string} [options.empty] what to say before the first run
   */
  constructor(container, { span = () => 0, maxRows = Infinity, empty = 'Not run yet.' } = {}) {
    // An inner box, so that the drawing's width is the frame's content width, padding aside.
    this.container = container.appendChild(document.createElement('div'));
    this.minSpan = span;
    this.maxRows = maxRows;
    this.empty = empty;
    this.timeline = null;
    this.unsubscribe = () => {};
    this.frame = 0;
    new ResizeObserver(() => this.redraw()).observe(this.container);
    this.redraw();
  }

  /** Draws `timeline` from now on, following its changes. */
  show(timeline) {
    this.unsubscribe();
    this.timeline = timeline;
    this.unsubscribe = timeline.subscribe(() => this.redraw());
    this.redraw();
  }

  /** Draws on the next frame (once, however often it is asked). */
  redraw() {
    if (this.frame) return;
    this.frame = requestAnimationFrame(() => {
      this.frame = 0;
      this.#draw();
      if (this.timeline?.live) this.redraw();
    });
  }

  #draw() {
    const width = this.container.clientWidth;
    if (width === 0) return; // hidden tab: the ResizeObserver redraws once it shows
    if (!this.timeline || this.timeline.rows.length + this.timeline.marks.length === 0) {
      this.container.replaceChildren(svg('svg', { class: 'waterfall empty', width, height: SIZE.axis + SIZE.row },
        text(12, SIZE.axis, this.empty, { class: 'empty-text' })));
      return;
    }
    this.container.replaceChildren(drawTimeline(this.timeline, {
      width: Math.max(width, SIZE.minWidth),
      minSpan: this.minSpan(),
      maxRows: this.maxRows,
      now: performance.now(),
    }));
  }
}

function drawTimeline(timeline, { width, minSpan, maxRows, now }) {
  const compact = width < COMPACT_BELOW;
  const size = compact ? COMPACT : SIZE;
  const rows = timeline.rows.slice(-maxRows);
  const hidden = timeline.rows.length - rows.length;
  const hasMarks = timeline.marks.length > 0;
  const lines = rows.length + (hasMarks ? 1 : 0);
  const height = SIZE.axis + lines * SIZE.row + SIZE.bottom;
  const track = width - size.label - size.summary;
  const span = Math.max(minSpan, timeline.span(now), 1);
  const x = (t) => size.label + (Math.max(0, t) / span) * track;
  const root = svg('svg', {
    class: 'waterfall', width, height, viewBox: `0 0 ${width} ${height}`, role: 'img',
    'aria-label': `Waterfall: ${rows.map((r) => `${r.label} ${rowSummary(r)}`).join('; ')}`,
  });
  root.append(axis(x, span, track, height));
  let y = SIZE.axis;
  if (hasMarks) {
    root.append(marksRow(timeline.marks, { x, y, hidden, summaryX: width - size.summary + 10 }));
    y += SIZE.row;
  }
  rows.forEach((row, i) => {
    root.append(drawRow(row, { x, y, now: now - timeline.origin, width, size, compact, stripe: i % 2 === 1 }));
    y += SIZE.row;
  });
  if (timeline.finishedAt !== null) {
    root.append(svg('line', {
      class: 'finish', x1: x(timeline.finishedAt), x2: x(timeline.finishedAt), y1: SIZE.axis - 4, y2: height,
    }));
  }
  return root;
}

/** Tick labels along the top and faint grid lines down the rows. */
function axis(x, span, track, height) {
  const group = svg('g', { class: 'axis' });
  const step = TICK_STEPS.find((s) => span / s <= track / 64) ?? TICK_STEPS.at(-1);
  group.append(text(0, SIZE.axis - 7, 'time (ms)', { class: 'axis-title' }));
  for (let t = 0; t <= span + 0.5; t += step) {
    group.append(
      svg('line', { x1: x(t), x2: x(t), y1: SIZE.axis - 3, y2: height }),
      text(x(t), SIZE.axis - 7, String(t), { 'text-anchor': 'middle' }),
    );
  }
  return group;
}

/** The keystrokes row: a tick per instant. */
function marksRow(marks, { x, y, hidden, summaryX }) {
  const group = svg('g', { class: 'marks' });
  group.append(text(0, y + SIZE.row / 2 + 4, 'keystrokes', { class: 'row-label' }));
  for (const t of marks) {
    group.append(svg('line', { x1: x(t), x2: x(t), y1: y + 5, y2: y + SIZE.row - 5 }));
  }
  if (hidden > 0) {
    group.append(text(summaryX, y + SIZE.row / 2 + 4, `${hidden} earlier row${hidden === 1 ? '' : 's'} not shown`, { class: 'note' }));
  }
  return group;
}

function drawRow(row, { x, y, now, width, size, compact, stripe }) {
  const outcome = rowOutcome(row);
  const group = svg('g', { class: 'row', 'data-label': row.label, 'data-outcome': outcome });
  if (stripe) group.append(svg('rect', { class: 'stripe', x: 0, y, width, height: SIZE.row }));
  const mid = y + SIZE.row / 2;
  group.append(text(0, mid + 4, clip(row.label, size.label - 8), { class: 'row-label' }, row.label));
  for (const segment of row.segments) {
    const start = x(segment.start);
    const end = Math.max(x(segment.end ?? now), start + 2);
    group.append(segment.kind === 'attempt'
      ? attemptBar(segment, start, end, mid)
      : retryWait(segment, start, end, mid));
  }
  group.append(text(width - size.summary + 10, mid + 4, rowSummary(row, { compact }), { class: `summary ${outcome}` }));
  return group;
}

function attemptBar(bar, start, end, mid) {
  const width = end - start;
  const group = svg('g', { class: 'attempt', 'data-outcome': bar.outcome, 'data-attempt': bar.attempt,
    ...(bar.lane ? { 'data-hedge': 'true' } : {}) });
  // A hedge overlaps the attempt it races: a thinner bar across the lower part of the row.
  const height = bar.lane ? SIZE.bar * 0.6 : SIZE.bar;
  if (bar.lane) mid += SIZE.bar * 0.45;
  group.append(svg('rect', {
    x: start, y: mid - height / 2, width, height, rx: 3, fill: fillFor(bar.outcome),
  }, svg('title', {}, barTitle(bar))));
  const label = barLabel(bar);
  if (label.length * CHAR + 8 < width) {
    group.append(text(start + width / 2, mid + 4, label, { 'text-anchor': 'middle', fill: inkFor(bar.outcome), class: 'bar-text' }));
  }
  return group;
}

function retryWait(wait, start, end, mid) {
  const group = svg('g', { class: 'wait' });
  group.append(svg('line', { x1: start, x2: end, y1: mid, y2: mid }, svg('title', {}, waitTitle(wait))));
  // The longest label that fits: "Retry-After 1000" or "wait 240", else just the ms.
  const delay = String(Math.round(wait.delay));
  const labels = [wait.retryAfter !== undefined ? `Retry-After ${delay}` : `wait ${delay}`, delay];
  const label = labels.find((l) => l.length * CHAR + 6 < end - start);
  if (label) {
    group.append(text((start + end) / 2, mid - 3, label, { 'text-anchor': 'middle', class: 'wait-text' }));
  }
  return group;
}

function barLabel(bar) {
  switch (bar.outcome) {
    case 'ok': case 'HttpError': return String(bar.status ?? bar.outcome);
    case 'TimeoutError': return 'timeout';
    case 'NetworkError': return 'network';
    case 'ParseError': return 'parse';
    case 'aborted': return 'aborted';
    default: return '…';
  }
}

function barTitle(bar) {
  const when = `${Math.round(bar.start)}–${bar.end === null ? 'now' : Math.round(bar.end)} ms`;
  const what = bar.outcome === 'aborted' ? `aborted by ${bar.abortedBy}` : bar.outcome;
  return `attempt ${bar.attempt}: ${what}${bar.status ? ` ${bar.status}` : ''}, ${when}`;
}

function waitTitle(wait) {
  const why = wait.retryAfter !== undefined ? ` (Retry-After ${wait.retryAfter} ms)` : '';
  const cut = wait.abortedBy ? `, cut short by ${wait.abortedBy}` : '';
  return `retry wait ${Math.round(wait.delay)} ms${why}${cut}`;
}

/** `value` shortened with an ellipsis to about `px` wide. */
function clip(value, px) {
  const fits = Math.floor(px / CHAR);
  return value.length <= fits ? value : `${value.slice(0, fits - 1)}…`;
}

function text(x, y, content, attrs = {}, title) {
  return svg('text', { x, y, ...attrs }, content, title ? svg('title', {}, title) : null);
}

function svg(tag, attrs = {}, ...children) {
  const element = document.createElementNS(NS, tag);
  for (const [name, value] of Object.entries(attrs)) element.setAttribute(name, String(value));
  element.append(...children.filter((c) => c !== null && c !== undefined));
  return element;
}
