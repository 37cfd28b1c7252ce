import { existsSync, readFileSync } from 'node:fs';
import { basename, join } from 'node:path';
import { renderTable } from '../lib/table';
import { zipEntries } from './zip-entries';

/** The target of the issue: every function's bundle below 1 MB (minified JavaScript, uncompressed). */
export const MAX_BUNDLE_BYTES = 1_000_000;

/** What one function's package holds. */
export interface FunctionPackage {
  readonly name: string;
  readonly handler: string;
  readonly zip: string;
  readonly zipBytes: number;
  /** The handler's JavaScript bundle, uncompressed (what Node loads on a cold start). */
  readonly bundleBytes: number;
  readonly sourceMapBytes: number;
  readonly files: readonly string[];
  readonly ok: boolean;
}

interface Template {
  readonly Resources: Record<
    string,
    { readonly Type: string; readonly Properties?: Record<string, unknown> }
  >;
}

/** The CloudFormation template `osls package` wrote. */
export function readTemplate(dir: string): Template {
  return JSON.parse(readFileSync(join(dir, 'cloudformation-template-update-stack.json'), 'utf8')) as Template;
}

/**
 * Sizes of every Lambda function in a packaged service directory (`.serverless/`): the zip, and the
 * JavaScript bundle of its handler inside it, checked against {@link MAX_BUNDLE_BYTES}.
 */
export function functionPackages(dir: string): FunctionPackage[] {
  const template = readTemplate(dir);
  const out: FunctionPackage[] = [];
  for (const resource of Object.values(template.Resources)) {
    if (resource.Type !== 'AWS::Lambda::Function') continue;
    const props = resource.Properties ?? {};
    const name = String(props.FunctionName ?? '');
    const handler = String(props.Handler ?? '');
    const key = String((props.Code as { S3Key?: unknown } | undefined)?.S3Key ?? '');
    const zip = join(dir, basename(key));
    if (!existsSync(zip)) throw new Error(`package of ${name} not found: ${zip}`);
    const entries = zipEntries(zip);
    const bundleName = `${handler.slice(0, handler.lastIndexOf('.'))}.js`;
    const bundle = entries.find((e) => e.name === bundleName);
    if (bundle === undefined) throw new Error(`${zip} has no ${bundleName} for handler ${handler}`);
    const map = entries.find((e) => e.name === `${bundleName}.map`);
    out.push({
      name,
      handler,
      zip,
      zipBytes: readFileSync(zip).length,
      bundleBytes: bundle.size,
      sourceMapBytes: map?.size ?? 0,
      files: entries.map((e) => e.name),
      ok: bundle.size < MAX_BUNDLE_BYTES,
    });
  }
  return out.sort((a, b) => a.name.localeCompare(b.name));
}

const kb = (bytes: number): string => `${(bytes / 1024).toFixed(0)} KB`;

/** The size table `npm run package` prints. */
export function packageTable(packages: readonly FunctionPackage[]): string {
  return renderTable(
    ['function', 'bundle (js)', 'zip', 'source map', 'target < 1 MB'],
    packages.map((p) => [
      p.name,
      kb(p.bundleBytes),
      kb(p.zipBytes),
      kb(p.sourceMapBytes),
      p.ok ? 'ok' : 'TOO BIG',
    ]),
    ['left', 'right', 'right', 'right', 'left'],
  );
}
