// Builds app/main.js with webpack 5 and no configuration beyond entry and output (the
// package's `new URL('….wasm', import.meta.url)` and top-level await need none), into
// build/consumer/webpack with a page that loads it.
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import webpack from 'webpack';
import { consumer } from './tsc.mjs';

const out = join(consumer, '../../build/consumer/webpack');
const compiler = webpack({
  mode: 'production',
  context: consumer,
  entry: './app/main.js',
  output: { path: out, clean: true },
});
const stats = await new Promise((resolve, reject) =>
  compiler.run((error, result) => (error ? reject(error) : resolve(result))),
);
await new Promise((resolve) => compiler.close(resolve));
if (stats.hasErrors() || stats.hasWarnings()) {
  console.error(stats.toString({ colors: false, modules: false }));
  process.exit(1);
}
writeFileSync(
  join(out, 'index.html'),
  '<!doctype html>\n<meta charset="utf-8">\n<title>parallel-fetch in a webpack build</title>\n' +
    '<script src="main.js" defer></script>\n<body>running…</body>\n',
);
const assets = stats.toJson({ assets: true }).assets.map((a) => `${a.name} ${a.size} B`);
console.log(`webpack: ok: built ${assets.join(', ')}`);
