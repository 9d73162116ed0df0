// How each outcome looks in the waterfalls and the legend, in one place.

/** Outcome of an attempt bar: 'ok', an error name, 'aborted' or 'pending' (still in flight). */
export const OUTCOMES = [
  { id: 'ok', label: 'ok (2xx)', fill: '#2f9e44' },
  { id: 'HttpError', label: 'HttpError', fill: '#f76707' },
  { id: 'TimeoutError', label: 'TimeoutError', fill: '#7048e8' },
  { id: 'NetworkError', label: 'NetworkError', fill: '#e03131' },
  { id: 'ParseError', label: 'ParseError', fill: '#c2255c' },
  { id: 'aborted', label: 'aborted (by a sibling, debounce or you)', fill: 'url(#hatch-aborted)' },
  { id: 'pending', label: 'in flight', fill: '#74c0fc' },
];

const BY_ID = new Map(OUTCOMES.map((o) => [o.id, o]));

/** The SVG fill of a bar with this outcome. */
export function fillFor(outcome) {
  return (BY_ID.get(outcome) ?? BY_ID.get('NetworkError')).fill;
}

/** Text colour that reads on top of that fill. */
export function inkFor(outcome) {
  return outcome === 'aborted' || outcome === 'pending' ? '#212529' : '#fff';
}
