/**
 * Stand-in for commands whose issues have not landed yet, so `npm run <cmd>` explains itself
 * instead of failing with a missing-file error.
 */
const WHAT: Readonly<Record<string, string>> = {
  start: 'the local stack (executor + functions + dashboard on embedded emulators)',
  sim: 'the fake Upbit exchange',
  backtest: 'the backtester',
  optimize: 'the walk-forward optimizer',
  bench: 'the benchmarks',
  package: 'deployment packaging',
};

const command = process.argv[2] ?? 'unknown';
process.stderr.write(
  `npm run ${command}: ${WHAT[command] ?? 'this command'} is not built yet. See the status table in README.md.\n`,
);
process.exitCode = 2;
