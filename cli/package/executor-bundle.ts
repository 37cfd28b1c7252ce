import { statSync } from 'node:fs';
import { join, relative } from 'node:path';
import { build } from 'esbuild';
import { serverlessEsbuildOptions } from './esbuild-options';

/**
 * Where the production executor is built, relative to the repository root. Two levels below the
 * root, like its source `executor/src/main.ts`: main.ts finds config/default.yaml and package.json
 * at `__dirname/../..` from either place.
 */
export const EXECUTOR_BUNDLE = 'dist/executor/main.cjs';

/** What {@link buildExecutorBundle} wrote. */
export interface ExecutorBundle {
  readonly file: string;
  readonly bytes: number;
  readonly sourceMapBytes: number;
  /** Input files and their share of the bundle (bytes), largest first: what the executor loads. */
  readonly largestInputs: readonly { readonly path: string; readonly bytes: number }[];
}

/**
 * Builds the executor (`executor/src/main.ts`) into one minified CommonJS file with a line-only
 * source map, with the Lambda bundles' esbuild options. Every dependency is bundled: the bundle is
 * the whole program, so a VM release runs without node_modules, Node parses only the code the
 * executor reaches (tree-shaken), and nothing is transpiled at start (tsx keeps esbuild and the
 * transpiled sources in memory). Only ws's optional native add-ons stay out: ws falls back to
 * JavaScript without them, as it does today. `file` elsewhere than {@link EXECUTOR_BUNDLE} (tests)
 * must also sit two levels below a directory holding config/default.yaml.
 */
export async function buildExecutorBundle(
  root: string,
  file: string = join(root, EXECUTOR_BUNDLE),
): Promise<ExecutorBundle> {
  const result = await build({
    ...serverlessEsbuildOptions(root),
    entryPoints: [join(root, 'executor/src/main.ts')],
    outfile: file,
    external: ['bufferutil', 'utf-8-validate'],
    metafile: true,
    logLevel: 'error',
  });
  const output = result.metafile.outputs[relative(process.cwd(), file)];
  const largestInputs = Object.entries(output?.inputs ?? {})
    .map(([path, i]) => ({ path, bytes: i.bytesInOutput }))
    .sort((a, b) => b.bytes - a.bytes)
    .slice(0, 10);
  return {
    file,
    bytes: statSync(file).size,
    sourceMapBytes: statSync(`${file}.map`).size,
    largestInputs,
  };
}
