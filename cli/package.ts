import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { type CommandSpec, helpText, parseCommandLine, stringOption, UsageError } from './lib/args';
import { runCommand } from './lib/run-command';
import { buildExecutorBundle, EXECUTOR_BUNDLE } from './package/executor-bundle';
import { functionPackages, MAX_BUNDLE_BYTES, packageTable } from './package/package-report';

const ROOT = resolve(__dirname, '..');
const OUT_DIR = join(ROOT, '.serverless');

const SPEC: CommandSpec = {
  usage: 'npm run package -- [--stage dev|prod] [--json] | --executor [--json]',
  summary:
    'Builds every cloud function offline with osls + serverless-esbuild into .serverless/ (zips and the CloudFormation template) and prints the bundle size of each; fails when a bundle is 1 MB or more. With --executor (npm run build:executor): builds the production executor instead, one file with the same esbuild options.',
  options: [
    { name: 'stage', type: 'string', value: 'STAGE', description: 'Deployment stage.', defaultText: 'dev' },
    {
      name: 'executor',
      type: 'boolean',
      description: `Build only the executor: ${EXECUTOR_BUNDLE} (+ .map), every dependency bundled, run by the VM's systemd unit.`,
    },
    { name: 'json', type: 'boolean', description: 'Print one JSON object on stdout, nothing else.' },
  ],
  examples: ['npm run package', 'npm run package -- --stage prod --json', 'npm run build:executor'],
  notes: [
    'No AWS account is needed: osls runs with dummy credentials and never calls AWS for `package`.',
    'Deploy the result with `npx osls deploy --stage STAGE --package .serverless` and real credentials.',
    'Exit codes: 0 packaged within the size target, 1 packaging failed or a bundle is too big, 2 usage error.',
  ],
};

/** The environment osls runs in: dummy credentials, so packaging can never touch a real account. */
function offlineEnv(): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = { ...process.env };
  for (const name of [
    'AWS_PROFILE',
    'AWS_SESSION_TOKEN',
    'AWS_SECURITY_TOKEN',
    'AWS_CONTAINER_CREDENTIALS_FULL_URI',
  ])
    delete env[name];
  return {
    ...env,
    AWS_ACCESS_KEY_ID: 'offline-packaging',
    AWS_SECRET_ACCESS_KEY: 'offline-packaging',
    AWS_EC2_METADATA_DISABLED: 'true',
    SLS_TELEMETRY_DISABLED: '1',
    SLS_NOTIFICATIONS_MODE: 'off',
  };
}

/**
 * Runs `osls package`; its progress goes to stderr (kept off stdout for --json). osls gets a
 * scratch TMPDIR of its own, removed afterwards: serverless-esbuild stages each function's zip in
 * a directory under the temporary directory and fails to remove it (a non-recursive remove of a
 * directory, its error swallowed), which left five directories in /tmp per packaging.
 */
async function oslsPackage(stage: string, quiet: boolean): Promise<void> {
  const scratch = mkdtempSync(join(tmpdir(), 'qts-package-'));
  try {
    await oslsPackageIn(stage, quiet, scratch);
  } finally {
    rmSync(scratch, { recursive: true, force: true });
  }
}

function oslsPackageIn(stage: string, quiet: boolean, scratch: string): Promise<void> {
  const bin = require.resolve('osls/bin/serverless.js', { paths: [ROOT] });
  return new Promise((done, fail) => {
    const child = spawn(process.execPath, [bin, 'package', '--stage', stage], {
      cwd: ROOT,
      env: { ...offlineEnv(), TMPDIR: scratch, TMP: scratch, TEMP: scratch },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let output = '';
    const keep = (chunk: Buffer): void => {
      output += chunk.toString('utf8');
      if (!quiet) process.stderr.write(chunk);
    };
    child.stdout.on('data', keep);
    child.stderr.on('data', keep);
    child.on('error', fail);
    child.on('close', (code) => {
      if (code === 0) done();
      else fail(new Error(`osls package failed (exit ${code})${quiet ? `:\n${output.trim()}` : ''}`));
    });
  });
}

async function main(): Promise<void> {
  const { options, help } = parseCommandLine(process.argv.slice(2), SPEC);
  if (help) {
    process.stdout.write(helpText(SPEC));
    return;
  }
  if (options.executor === true) {
    const bundle = await buildExecutorBundle(ROOT);
    if (options.json === true) process.stdout.write(`${JSON.stringify(bundle, null, 2)}\n`);
    else
      process.stdout.write(
        `${EXECUTOR_BUNDLE}: ${(bundle.bytes / 1_000_000).toFixed(2)} MB (source map ${(bundle.sourceMapBytes / 1_000_000).toFixed(2)} MB)\nlargest inputs: ${bundle.largestInputs
          .slice(0, 5)
          .map((i) => `${i.path} ${Math.round(i.bytes / 1000)} KB`)
          .join(', ')}\n`,
      );
    return;
  }
  const stage = stringOption(options, 'stage') ?? 'dev';
  if (!/^[a-z][a-z0-9-]{0,15}$/.test(stage))
    throw new UsageError(`--stage must be a short lower-case name, got "${stage}"`);
  const json = options.json === true;
  await oslsPackage(stage, json);
  const packages = functionPackages(OUT_DIR);
  const tooBig = packages.filter((p) => !p.ok);
  if (json)
    process.stdout.write(
      `${JSON.stringify({ stage, dir: OUT_DIR, maxBundleBytes: MAX_BUNDLE_BYTES, functions: packages }, null, 2)}\n`,
    );
  else process.stdout.write(`\n${packageTable(packages)}\n\nPackages and template in ${OUT_DIR}\n`);
  if (tooBig.length > 0)
    throw new Error(
      `bundle over the ${MAX_BUNDLE_BYTES / 1_000_000} MB target: ${tooBig.map((p) => `${p.name} (${p.bundleBytes} bytes)`).join(', ')}`,
    );
}

runCommand('npm run package', main);
