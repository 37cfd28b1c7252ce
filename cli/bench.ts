import { existsSync } from 'node:fs';
import { resolve } from 'node:path';
import { jsonRows, machineLine, renderResults, summarise } from '../bench/lib/report';
import {
  type BenchOutcome,
  discoverBenchFiles,
  loadBenchFile,
  matchesFilter,
  type PlannedBenchmark,
  runBenchmark,
} from '../bench/lib/runner';
import { type CommandSpec, helpText, parseCommandLine, stringOption, UsageError } from './lib/args';
import { runCommand } from './lib/run-command';

const BENCH_DIR = resolve(__dirname, '../bench');

/**
 * Quick mode must finish within 2 minutes for every area together, so each bench file gets this
 * share in quick mode (bench/README.md, "Budget"); the runner warns when one goes over.
 */
export const QUICK_SECONDS_PER_FILE = 10;

const SPEC: CommandSpec = {
  usage: 'npm run bench -- [--quick] [--json] [--filter TEXT] [--strict]',
  summary:
    'Runs every bench/*.bench.ts in one process and prints one row per result: ratios against baselines measured in the same process (technicalindicators, a bare loop, JSON.parse, one thread) and absolute rates, each with its target.',
  options: [
    {
      name: 'quick',
      type: 'boolean',
      description: `Smaller inputs and fewer repetitions: the whole run under 2 minutes (about ${QUICK_SECONDS_PER_FILE} s per bench file). CI uses it.`,
    },
    {
      name: 'json',
      type: 'boolean',
      description:
        'Print only a JSON array on stdout: one {name, value, unit, baseline, ratio, target, pass} per result, plus {…, error} per benchmark that threw.',
    },
    {
      name: 'filter',
      type: 'string',
      value: 'TEXT',
      description:
        'Run only benchmarks whose "area: name" contains TEXT (case-insensitive), e.g. indicators.',
    },
    { name: 'strict', type: 'boolean', description: 'Also exit 1 when a target is missed.' },
    {
      name: 'list',
      type: 'boolean',
      description: 'List the benchmarks (area: name — description) and exit.',
    },
    {
      name: 'dir',
      type: 'string',
      value: 'DIR',
      defaultText: 'bench/',
      description: 'Where the *.bench.ts files are.',
    },
  ],
  examples: [
    'npm run bench',
    'npm run bench -- --quick',
    'npm run -s bench -- --quick --json > bench.json   # -s: no npm banner on stdout',
    'npm run bench -- --filter indicators',
    'npm run bench -- --quick --strict',
  ],
  notes: [
    'Exit status: 0 when every benchmark ran; 1 when one threw or failed to load (or, with --strict, missed a target); 2 for a usage error.',
    'Results on a shared machine are noisy: the targets are ratios with both sides interleaved in this process. See bench/README.md.',
  ],
};

/**
 * Live status on stderr when it is a terminal; one line per benchmark (no sub-steps) otherwise, so
 * CI logs stay short; nothing with --json.
 */
function statusLine(json: boolean): { say: (text: string, step?: boolean) => void; done: () => void } {
  if (json) return { say: () => {}, done: () => {} };
  if (process.stderr.isTTY !== true)
    return {
      say: (text, step) => (step === true ? undefined : process.stderr.write(`${text}\n`)),
      done: () => {},
    };
  let last = '';
  return {
    say: (text) => {
      const width = (process.stderr.columns ?? 100) - 1;
      last = text.length > width ? `${text.slice(0, width - 1)}…` : text;
      process.stderr.write(`\r\x1b[2K${last}`);
    },
    done: () => {
      if (last !== '') process.stderr.write('\r\x1b[2K');
    },
  };
}

async function main(): Promise<void> {
  const { options, help } = parseCommandLine(process.argv.slice(2), SPEC);
  if (help) {
    process.stdout.write(helpText(SPEC));
    return;
  }
  const quick = options.quick === true;
  const json = options.json === true;
  const filter = stringOption(options, 'filter');
  const dir = resolve(stringOption(options, 'dir') ?? BENCH_DIR);
  if (!existsSync(dir)) throw new UsageError(`--dir ${dir}: no such directory`);

  const planned: PlannedBenchmark[] = [];
  const outcomes: BenchOutcome[] = [];
  for (const file of discoverBenchFiles(dir)) {
    const loaded = await loadBenchFile(file);
    if (Array.isArray(loaded)) planned.push(...loaded.filter((p) => matchesFilter(p, filter)));
    else if (filter === undefined || file.area.includes(filter.toLowerCase())) outcomes.push(loaded);
  }
  if (options.list === true) {
    for (const p of planned)
      process.stdout.write(`${p.area}: ${p.benchmark.name} — ${p.benchmark.description}\n`);
    return;
  }
  if (planned.length === 0 && outcomes.length === 0)
    throw new UsageError(
      filter === undefined
        ? `no bench/*.bench.ts in ${BENCH_DIR}`
        : `no benchmark matches --filter ${filter}`,
    );

  // A bench file that prints must not corrupt the JSON on stdout.
  if (json) console.log = console.error;
  const status = statusLine(json);
  if (!json) process.stderr.write(`${machineLine(quick)}\n`);
  const started = performance.now();
  const secondsByArea = new Map<string, number>();
  for (const [i, p] of planned.entries()) {
    const head = `[${i + 1}/${planned.length}] ${p.area}: ${p.benchmark.name}`;
    status.say(head);
    const outcome = await runBenchmark(p, quick, (message) => status.say(`${head} — ${message}`, true));
    outcomes.push(outcome);
    secondsByArea.set(p.area, (secondsByArea.get(p.area) ?? 0) + outcome.seconds);
  }
  status.done();
  const totalSeconds = (performance.now() - started) / 1000;

  const summary = summarise(outcomes);
  if (json) process.stdout.write(`${JSON.stringify(jsonRows(outcomes), null, 2)}\n`);
  else {
    process.stdout.write(`${renderResults(outcomes)}\n\n`);
    const perArea = [...secondsByArea].map(([area, s]) => `${area} ${s.toFixed(1)} s`).join(', ');
    process.stdout.write(
      `${summary.results} results: ${summary.passed} targets met, ${summary.failed} missed, ${summary.errors} benchmarks failed; ${totalSeconds.toFixed(1)} s (${quick ? 'quick' : 'full'}: ${perArea}).\n`,
    );
  }
  if (quick)
    for (const [area, seconds] of secondsByArea)
      if (seconds > QUICK_SECONDS_PER_FILE)
        process.stderr.write(
          `warning: ${area}.bench.ts took ${seconds.toFixed(1)} s in quick mode, over its ${QUICK_SECONDS_PER_FILE} s share (bench/README.md, "Budget")\n`,
        );
  if (summary.errors > 0) throw new Error(`${summary.errors} benchmark(s) failed to run (see above)`);
  if (options.strict === true && summary.failed > 0)
    throw new Error(`${summary.failed} target(s) missed (--strict)`);
}

/**
 * A bench file that leaves a server, socket or timer open must not hang the run (CI would wait
 * forever): once everything is printed, exit after a grace period and name what was left open.
 */
function exitEvenIfHandlesLeak(): void {
  setTimeout(() => {
    const open = process.getActiveResourcesInfo().filter((r) => r !== 'TTYWrap');
    process.stderr.write(`warning: a benchmark left ${open.join(', ')} open; exiting anyway\n`);
    process.exit();
  }, 2_000).unref();
}

runCommand('bench', async () => {
  try {
    await main();
  } finally {
    exitEvenIfHandlesLeak();
  }
});
