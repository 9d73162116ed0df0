// The colour key of the waterfalls.

import { h } from './dom.js';
import { OUTCOMES } from './palette.js';

export function legend(list) {
  const swatch = (fill) =>
    `<svg width="22" height="12" aria-hidden="true"><rect width="22" height="12" rx="3" fill="${fill}"/></svg>`;
  const item = (svgMarkup, label) => {
    const li = h('li', {}, label);
    li.insertAdjacentHTML('afterbegin', svgMarkup);
    return li;
  };
  list.append(
    ...OUTCOMES.map((o) => item(swatch(o.fill), o.label)),
    item('<svg width="22" height="12" aria-hidden="true"><line x1="1" x2="21" y1="6" y2="6" class="wait-line"/></svg>',
      'retry wait (backoff or Retry-After)'),
    item('<svg width="22" height="12" aria-hidden="true"><line x1="11" x2="11" y1="0" y2="12" class="mark-line"/></svg>',
      'keystroke (search)'),
  );
}
