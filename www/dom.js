// A tiny element builder: enough to make the page's pieces without a framework.

/** An element: `h('p', { class: 'note' }, 'text', child)`. Attributes set to null, undefined or
 *  false are left out; `on…` attributes become event listeners. Strings become text nodes, so
 *  user input is never parsed as HTML. */
export function h(tag, attrs = {}, ...children) {
  const element = document.createElement(tag);
  for (const [name, value] of Object.entries(attrs)) {
    if (value === null || value === undefined || value === false) continue;
    if (name.startsWith('on')) element.addEventListener(name.slice(2), value);
    else element.setAttribute(name, value === true ? '' : String(value));
  }
  element.append(...children.flat().filter((c) => c !== null && c !== undefined && c !== false));
  return element;
}
