import { helpText, parseCommandLine, UsageError } from './lib/args';
import { quietAwsSdkNodeNotice } from './lib/aws-sdk-notice';
import { runStack, StartExit } from './start/run-stack';
import { START_SPEC, startOptions } from './start/start-options';

/** Signals this close together are one keypress relayed by npm and tsx. */
const SAME_KEYPRESS_MS = 1_500;

/**
 * `npm start`: the local stack (cli/start/run-stack.ts). Composition root only: argv, signals,
 * exit codes. The first Ctrl+C stops everything in order; a second one exits at once (the children
 * still stop themselves: they watch their stdin, which closes with this process).
 */
async function main(argv: readonly string[]): Promise<number> {
  const { options, help } = parseCommandLine(argv, START_SPEC);
  if (help) {
    process.stdout.write(helpText(START_SPEC));
    return StartExit.ok;
  }
  const start = startOptions(options, process.env);
  quietAwsSdkNodeNotice();
  const stop = new AbortController();
  let firstSignalAt = 0;
  const onSignal = (signal: NodeJS.Signals): void => {
    if (stop.signal.aborted) {
      // One Ctrl+C reaches npm, tsx and this process alike, and both relay it: a repeat within a
      // second is that same keypress, not the operator insisting.
      if (Date.now() - firstSignalAt < SAME_KEYPRESS_MS) return;
      process.stderr.write(`npm start: ${signal} again: exiting now\n`);
      process.exit(130);
    }
    firstSignalAt = Date.now();
    process.stderr.write(`npm start: ${signal}: stopping (again to exit at once)\n`);
    stop.abort();
  };
  process.on('SIGINT', onSignal);
  process.on('SIGTERM', onSignal);
  // The terminal went away (closed window, dropped ssh): stop as cleanly as on Ctrl+C.
  process.on('SIGHUP', onSignal);
  return runStack(
    start,
    process.env,
    {
      stdout: (t) => process.stdout.write(t),
      stderr: (t) => process.stderr.write(t),
      colour: process.stdout.isTTY === true && process.env.NO_COLOR === undefined,
    },
    stop.signal,
  );
}

main(process.argv.slice(2)).then(
  (code) => process.exit(code),
  (error: unknown) => {
    if (error instanceof UsageError) {
      process.stderr.write(`npm start: ${error.message}\nRun \`npm start -- --help\` for usage.\n`);
      process.exit(StartExit.usage);
    }
    process.stderr.write(
      `npm start: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`,
    );
    process.exit(StartExit.failed);
  },
);
