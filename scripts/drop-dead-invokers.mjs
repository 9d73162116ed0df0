// Drops the closure invokers that only wasm-bindgen's descriptors referenced, before wasm-opt:
//
//   node scripts/drop-dead-invokers.mjs IN.wasm OUT.wasm
//
// wasm-bindgen describes each closure type to its CLI by taking the address of its invoke shim
// (`wasm_bindgen::convert::closures::_::invoke::<…>`), so the linker puts every one that any
// descriptor names into the function table: those of every js-sys import taking a callback
// (typed arrays' `forEach`, `Set`, `Array.find`, …), used or not. The CLI runs the descriptors and
// removes them, exports the invokers of the closures the module really makes (the glue calls
// them by name), and leaves the rest in the table, where wasm-opt must keep them (2 KB raw,
// 1.3 KB gzipped: BENCHMARKS.md §2). Nothing else reaches them: the table is not exported, and
// the module's own function pointers (vtables) never name an invoker. So each table entry that
// is such an invoker, and not exported, is pointed at one stub that traps, and wasm-opt then
// removes the invokers. Invokers are found by name, so the input must keep its name section (as
// wasm-bindgen's output does); without names nothing is changed, nor in a table that is
// exported. Uses the JS API of the npm binaryen that scripts/wasm-opt.sh installs, whose path
// that script passes as BINARYEN_JS. Prints what it did.

import { readFileSync, writeFileSync } from 'node:fs';
import { pathToFileURL } from 'node:url';

const [inPath, outPath] = process.argv.slice(2);
if (!inPath || !outPath || !process.env.BINARYEN_JS) {
  console.error('usage: BINARYEN_JS=…/binaryen/index.js node scripts/drop-dead-invokers.mjs IN.wasm OUT.wasm');
  process.exit(2);
}
const { default: binaryen } = await import(pathToFileURL(process.env.BINARYEN_JS).href);

const INVOKER = /^wasm_bindgen(\[[0-9a-f]+\])?::convert::closures::_::invoke::</;
const STUB = '__dead_closure_invoker';

const module = binaryen.readBinary(readFileSync(inPath));
// The features rustc enables for wasm32-unknown-unknown (as scripts/wasm-opt.sh passes them);
// without them binaryen would write the module with newer encodings that browsers reject.
const F = binaryen.Features;
module.setFeatures(
  F.MVP | F.MutableGlobals | F.NontrappingFPToInt | F.BulkMemory | F.BulkMemoryOpt | F.SignExt |
    F.Multivalue | F.ReferenceTypes | F.CallIndirectOverlong,
);
binaryen.setDebugInfo(true); // keep the names, for `-g` builds and for twiggy

const exported = new Set();
const exportedTables = new Set();
for (let i = 0; i < module.getNumExports(); i++) {
  const { kind, value } = binaryen.getExportInfo(module.getExportByIndex(i));
  if (kind === binaryen.ExternalFunction) exported.add(value);
  if (kind === binaryen.ExternalTable) exportedTables.add(value);
}

let dropped = 0;
let skipped = 0;
for (let s = module.getNumElementSegments() - 1; s >= 0; s--) {
  const info = binaryen.getElementSegmentInfo(module.getElementSegmentByIndex(s));
  const offset = binaryen.getExpressionInfo(info.offset);
  // JS could read an exported table's entries; an offset that is not a constant is not ours.
  if (exportedTables.has(info.table) || offset.id !== binaryen.ConstId) {
    skipped++;
    continue;
  }
  {
    const entries = info.data.map((name) => {
      if (!INVOKER.test(name) || exported.has(name)) return name;
      dropped++;
      return STUB;
    });
    if (entries.every((name, i) => name === info.data[i])) continue;
    if (!module.getFunction(STUB)) module.addFunction(STUB, binaryen.none, binaryen.none, [], module.unreachable());
    module.removeElementSegment(info.name);
    module.addActiveElementSegment(info.table, info.name, entries, module.i32.const(offset.value));
  }
}
if (dropped > 0 && !module.validate()) {
  console.error('drop-dead-invokers: the changed module does not validate');
  process.exit(1);
}
writeFileSync(outPath, dropped > 0 ? module.emitBinary() : readFileSync(inPath));
console.log(
  `drop-dead-invokers: ${dropped} closure invokers dropped from the function table` +
    (skipped ? ` (${skipped} element segments left alone: exported table or computed offset)` : ''),
);
