// Preloaded (`node --require`) into the executor bundle by test/deploy/executor-bundle.test.ts: counts
// the reads of source map files and writes, at exit, whether the process ever read one and whether
// Node itself holds the bundle's map (as `--enable-source-maps` makes it), to SOURCE_MAP_PROBE_OUT.
const fs = require('node:fs');
const { findSourceMap } = require('node:module');

const read = fs.readFileSync;
let mapReads = 0;
fs.readFileSync = function readFileSync(path, ...rest) {
  if (String(path).endsWith('.map')) mapReads++;
  return read.call(this, path, ...rest);
};
process.on('exit', () => {
  const bundle = process.argv[1] ?? '';
  fs.writeFileSync(
    process.env.SOURCE_MAP_PROBE_OUT ?? '/dev/null',
    JSON.stringify({ mapReads, nodeHoldsMap: findSourceMap(bundle) !== undefined }),
  );
});
