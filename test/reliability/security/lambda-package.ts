import { execFile } from 'node:child_process';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { functionPackages, readTemplate } from '../../../cli/package/package-report';
import { zipEntries } from '../../../cli/package/zip-entries';
import { iamStatements, resourcesOf, type Template } from '../../infra/template-support';

const ROOT = join(__dirname, '..', '..', '..');
const OUT = join(ROOT, '.serverless');
const run = promisify(execFile);

/** Services whose resources are data: a wildcard there would reach beyond the system's own items. */
const DATA_SERVICES = /^(dynamodb|sqs|s3|ssm|secretsmanager|kms|sns):/;

/**
 * Upbit secret access in a bundle. The config module's tables name the variables (so their names
 * alone prove nothing); what counts is a direct property read of a key variable, or any module of
 * the Upbit client, its JWT signer or jsonwebtoken among the bundle's sources.
 */
const DIRECT_KEY_READ = /\.UPBIT_(ACCESS|SECRET)_KEY\b|\[\s*["'`]UPBIT_(ACCESS|SECRET)_KEY["'`]\s*\]/;
const SIGNER_SOURCES = /adapters\/upbit\/|upbit-jwt|node_modules\/jsonwebtoken\/|fake-exchange/;
/** The functions' config loader drops every UPBIT_* variable before reading (function-config.ts). */
const EXCHANGE_KEY_FILTER = /startsWith\(\s*["'`]UPBIT_["'`]\s*\)/;

/** What the packaged CloudFormation template and the Lambda bundles showed. */
export interface LambdaPackageScan {
  readonly functions: number;
  readonly statements: number;
  readonly wildcardActions: number;
  readonly wildcardDataResources: number;
  readonly upbitInEnvironment: number;
  readonly bundlesWithUpbitSecretAccess: number;
  readonly problems: readonly string[];
}

/**
 * `npm run package` (osls + esbuild, offline), then reads what would be deployed: every IAM
 * statement of every role and policy (no `*` in an action; no `*` resource, and no wildcard beyond
 * the system's own table index/stream or log streams, on a data service), the functions' environment
 * (no Upbit variable), and every function's JavaScript bundle (no Upbit key read, no JWT signer, no
 * order API).
 */
export async function scanLambdaPackage(): Promise<LambdaPackageScan> {
  await run(
    process.execPath,
    [join(ROOT, 'node_modules/tsx/dist/cli.mjs'), 'cli/package.ts', '--stage', 'dev', '--json'],
    {
      cwd: ROOT,
      maxBuffer: 16 * 1024 * 1024,
      env: { ...process.env, SLS_TELEMETRY_DISABLED: '1', SLS_NOTIFICATIONS_MODE: 'off' },
    },
  );
  const template = readTemplate(OUT) as Template;
  const problems: string[] = [];
  const statements = iamStatements(template);
  let wildcardActions = 0;
  let wildcardDataResources = 0;
  for (const s of statements) {
    for (const a of s.actions)
      if (a.includes('*')) {
        wildcardActions += 1;
        problems.push(`${s.role}: action ${a}`);
      }
    if (!s.actions.some((a) => DATA_SERVICES.test(a))) continue;
    for (const r of s.resources) {
      // `table/X/index/*` and `table/X/stream/*` name the table's own indexes and stream (also as
      // an Fn::Join of the table's Arn, "index"/"stream" and "*").
      const text = r.replace(/\/(index|stream)\/\*/g, '').replace(/"(index|stream)","\*"/g, '');
      if (r === '"*"' || text.includes('*')) {
        wildcardDataResources += 1;
        problems.push(`${s.role}: resource ${r}`);
      }
    }
  }
  const functions = resourcesOf(template, 'AWS::Lambda::Function');
  let upbitInEnvironment = 0;
  for (const [id, f] of functions)
    if (
      /UPBIT/i.test(JSON.stringify((f.Environment as { Variables?: object } | undefined)?.Variables ?? {}))
    ) {
      upbitInEnvironment += 1;
      problems.push(`${id}: an UPBIT variable in its environment`);
    }
  let bundlesWithUpbitSecretAccess = 0;
  for (const p of functionPackages(OUT)) {
    const base = p.handler.slice(0, p.handler.lastIndexOf('.'));
    const entries = zipEntries(p.zip);
    const text =
      entries
        .find((e) => e.name === `${base}.js`)
        ?.read()
        .toString('utf8') ?? '';
    const map =
      entries
        .find((e) => e.name === `${base}.js.map`)
        ?.read()
        .toString('utf8') ?? '{}';
    const sources = (JSON.parse(map) as { sources?: string[] }).sources ?? [];
    const found = [
      ...(DIRECT_KEY_READ.test(text) ? ['a direct UPBIT_*_KEY read'] : []),
      ...sources.filter((s) => SIGNER_SOURCES.test(s)).map((s) => `bundles ${s}`),
      ...(EXCHANGE_KEY_FILTER.test(text) ? [] : ['no UPBIT_* filter before the config is read']),
      ...(sources.length === 0 ? ['no source map to check the modules'] : []),
    ];
    if (found.length > 0) {
      bundlesWithUpbitSecretAccess += 1;
      problems.push(`${p.name}: ${found.slice(0, 3).join(', ')}`);
    }
  }
  return {
    functions: functions.length,
    statements: statements.length,
    wildcardActions,
    wildcardDataResources,
    upbitInEnvironment,
    bundlesWithUpbitSecretAccess,
    problems,
  };
}
