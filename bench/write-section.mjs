// Replaces one generated section of a markdown file with standard input.
//
//   node bench/write-section.mjs FILE NAME [--demote N] < body.md
//
// --demote N adds N levels to every heading of the body (a report's "# Title" becomes "### Title"
// under the document's own headings).

import { readFileSync } from 'node:fs';
import { replaceSections } from './lib/markdown.mjs';

const [file, name, flag, levels] = process.argv.slice(2);
if (!file || !name || (flag && flag !== '--demote')) {
  console.error('usage: node bench/write-section.mjs FILE NAME [--demote N] < body.md');
  process.exit(2);
}
let body = readFileSync(0, 'utf8');
if (flag) body = body.replace(/^#/gm, '#'.repeat(Number(levels) + 1));
replaceSections(file, { [name]: body });
