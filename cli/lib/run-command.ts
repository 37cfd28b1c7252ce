import { UsageError } from './args';

/**
 * Runs a CLI's main function with uniform exit codes: 0 on success, 2 for usage errors (with a hint
 * to `--help`), 1 for anything else. Messages go to stderr so `--json` stdout stays parseable.
 */
export function runCommand(name: string, main: () => Promise<void>): void {
  main().then(
    () => {
      process.exitCode = 0;
    },
    (error: unknown) => {
      if (error instanceof UsageError) {
        process.stderr.write(`${name}: ${error.message}\nRun with --help for usage.\n`);
        process.exitCode = 2;
        return;
      }
      const message = error instanceof Error ? error.message : String(error);
      process.stderr.write(`${name}: ${message}\n`);
      process.exitCode = 1;
    },
  );
}
