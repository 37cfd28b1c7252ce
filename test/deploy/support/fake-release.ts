import { copyFileSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';

/** The repository's VM scripts, copied into every fake release so remote mode runs the real ones. */
export const VM_DIR = resolve(__dirname, '../../../infra/vm');
const VM_FILES = ['lib.sh', 'deploy.sh', 'rollback.sh', 'qts-executor.service'] as const;

/** How a fake release behaves: its checks' exit codes and what its /healthz reports once running. */
export interface ReleaseBehaviour {
  readonly selfCheck?: number;
  readonly dryRun?: number;
  readonly health?: 'healthy' | 'unhealthy' | 'unreconciled';
  /** `npm run build:executor` fails (the bundle cannot be built). */
  readonly buildFails?: boolean;
  /**
   * A release from before the bundle: its unit starts `executor/fake-main.js` from the source tree
   * (like `node --import tsx executor/src/main.ts`) and it has no build script.
   */
  readonly unbundled?: boolean;
}

// The fake executor: records each check and exits with the code its release's behaviour names.
const FAKE_MAIN = `
const fs = require('node:fs');
const b = JSON.parse(fs.readFileSync('behaviour.json', 'utf8'));
const args = process.argv.slice(2);
fs.appendFileSync(process.env.FAKE_VM_CHECKS, JSON.stringify({
  release: process.env.QTS_RELEASE, args, script: process.argv[1], cwd: process.cwd(), envKeys: Object.keys(process.env).sort(),
}) + '\\n');
process.exitCode = args.includes('--self-check') ? (b.selfCheck ?? 0) : args.includes('--dry-run') ? (b.dryRun ?? 0) : 0;
`;

// The fake \`npm run build:executor\`: "bundles" the fake executor where the unit expects the bundle.
const FAKE_BUILD = `
const fs = require('node:fs');
const b = JSON.parse(fs.readFileSync('behaviour.json', 'utf8'));
if (b.buildFails) { console.error('fake build: esbuild failed'); process.exit(1); }
fs.mkdirSync('dist/executor', { recursive: true });
fs.copyFileSync('executor/fake-main.js', 'dist/executor/main.cjs');
`;

const FAKE_LOCK = {
  name: 'fake-release',
  version: '1.0.0',
  lockfileVersion: 3,
  requires: true,
  packages: { '': { name: 'fake-release', version: '1.0.0' } },
};

/**
 * Writes a release's source tree (what `git archive` of the repository would hold): the fake
 * executor and build, the release's behaviour, and the repository's real VM scripts.
 */
export function writeReleaseSource(dir: string, behaviour: ReleaseBehaviour): string {
  mkdirSync(join(dir, 'executor'), { recursive: true });
  mkdirSync(join(dir, 'infra/vm'), { recursive: true });
  const scripts = behaviour.unbundled === true ? {} : { 'build:executor': 'node build.js' };
  writeFileSync(
    join(dir, 'package.json'),
    JSON.stringify({ name: 'fake-release', version: '1.0.0', scripts }),
  );
  writeFileSync(join(dir, 'package-lock.json'), JSON.stringify(FAKE_LOCK));
  writeFileSync(join(dir, 'executor/fake-main.js'), FAKE_MAIN);
  writeFileSync(join(dir, 'build.js'), FAKE_BUILD);
  writeFileSync(join(dir, 'behaviour.json'), JSON.stringify(behaviour));
  for (const f of VM_FILES) copyFileSync(join(VM_DIR, f), join(dir, 'infra/vm', f));
  if (behaviour.unbundled === true) {
    // The unit of an older release, as it would be on the VM: it starts the source tree.
    const unit = join(dir, 'infra/vm/qts-executor.service');
    writeFileSync(
      unit,
      readFileSync(unit, 'utf8').replace(/^ExecStart=.*$/m, 'ExecStart=/usr/bin/node executor/fake-main.js'),
    );
  }
  return dir;
}
