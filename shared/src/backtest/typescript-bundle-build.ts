import { buildBundle } from './typescript-bundle';

// `node --require tsx/cjs typescript-bundle-build.ts ENTRY CACHE_DIR`: bundleTypeScript's build step,
// in a child process because esbuild plugins need its asynchronous API. Errors go to stderr.
const [entry, cacheDir] = process.argv.slice(2);
if (entry === undefined || cacheDir === undefined) {
  process.stderr.write('usage: typescript-bundle-build.ts ENTRY CACHE_DIR\n');
  process.exitCode = 2;
} else {
  buildBundle(entry, cacheDir).catch((error: unknown) => {
    const errors = (error as { errors?: { text: string; location?: { file: string; line: number } }[] })
      .errors;
    const first = errors?.[0];
    process.stderr.write(
      first === undefined
        ? `${error instanceof Error ? error.message : String(error)}\n`
        : `${first.location === undefined ? '' : `${first.location.file}:${first.location.line}: `}${first.text}\n`,
    );
    process.exitCode = 1;
  });
}
