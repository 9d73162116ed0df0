// Markdown output: tables, and replacing the generated sections of BENCHMARKS.md in place.
// A generated section sits between `<!-- BEGIN name -->` and `<!-- END name -->`; everything
// outside the markers is hand-written and left alone.

import { readFileSync, writeFileSync } from 'node:fs';

/** A markdown table; `align` is a string of 'l'/'r' per column (default: first left, rest right). */
export function table(header, rows, align) {
  const aligns = align ?? 'l' + 'r'.repeat(header.length - 1);
  const rule = [...aligns].map((a) => (a === 'r' ? '---:' : '---'));
  return [header, rule, ...rows].map((cells) => `| ${cells.join(' | ')} |`).join('\n');
}

export const fixed = (value, digits = 1) => (Number.isFinite(value) ? value.toFixed(digits) : '–');

export function kib(bytes) {
  return `${(bytes / 1024).toFixed(1)} KB`;
}

/** Replaces the body of each named section of the markdown file at `path`. */
export function replaceSections(path, sections) {
  let text = readFileSync(path, 'utf8');
  for (const [name, body] of Object.entries(sections)) {
    const begin = `<!-- BEGIN ${name} -->`;
    const end = `<!-- END ${name} -->`;
    const from = text.indexOf(begin);
    const to = text.indexOf(end);
    if (from < 0 || to < from) throw new Error(`${path}: no section markers for "${name}"`);
    text = `${text.slice(0, from + begin.length)}\n${body.trim()}\n${text.slice(to)}`;
  }
  writeFileSync(path, text);
}
