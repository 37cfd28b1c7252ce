import { runBundled } from './bundle-launcher';

// `node --require tsx/cjs cli/lib/run-bundled.ts ENTRY.ts [args…]`: see runBundled. Not a user
// command (npm scripts call it), so a missing entry is a plain usage line.
const [entry, ...args] = process.argv.slice(2);
if (entry === undefined) {
  process.stderr.write('usage: node --require tsx/cjs cli/lib/run-bundled.ts ENTRY.ts [args…]\n');
  process.exitCode = 2;
} else runBundled(entry, args);
