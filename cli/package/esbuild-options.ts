import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { BuildOptions, Plugin } from 'esbuild';
import { parse } from 'yaml';

/** `custom.esbuild` of serverless.yml: the options serverless-esbuild builds the Lambda bundles with. */
interface ServerlessEsbuild {
  readonly bundle?: boolean;
  readonly minify?: boolean;
  readonly sourcemap?: boolean;
  readonly sourcesContent?: boolean;
  readonly target?: string;
  readonly platform?: 'node';
  readonly format?: 'cjs' | 'esm';
  readonly mainFields?: string[];
  readonly plugins?: string;
  readonly logOverride?: BuildOptions['logOverride'];
}

/**
 * The esbuild options of the Lambda bundles (serverless.yml `custom.esbuild`) as esbuild's own build
 * options, so every bundle of the project (functions and the executor) is built the same way: one
 * place to change minification, source maps, the target and the plugins (zod's locales dropped).
 */
export function serverlessEsbuildOptions(root: string): BuildOptions {
  // Only plain keys are read; CloudFormation tags (!Ref…) are irrelevant here and parsed leniently.
  const doc = parse(readFileSync(join(root, 'serverless.yml'), 'utf8'), { logLevel: 'silent' }) as {
    custom?: { esbuild?: ServerlessEsbuild };
  };
  const o = doc.custom?.esbuild;
  if (o === undefined) throw new Error('serverless.yml has no custom.esbuild section');
  return {
    bundle: o.bundle ?? true,
    minify: o.minify ?? true,
    sourcemap: o.sourcemap ?? true,
    sourcesContent: o.sourcesContent ?? false,
    target: o.target ?? 'node20',
    platform: o.platform ?? 'node',
    format: o.format ?? 'cjs',
    mainFields: o.mainFields ?? ['module', 'main'],
    plugins: o.plugins === undefined ? [] : (require(join(root, o.plugins)) as Plugin[]),
    ...(o.logOverride === undefined ? {} : { logOverride: o.logOverride }),
  };
}
