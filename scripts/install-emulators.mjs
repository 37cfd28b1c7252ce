#!/usr/bin/env node
/**
 * Fetches DynamoDB Local (AWS's own emulator, a Java jar) once into `.qts/dynamodb-local/`.
 * The jar ships inside the npm package amplify-dynamodb-simulator; `npm pack` downloads only that
 * tarball (≈ 56 MB) through the npm registry, which is the one network source CI can reach.
 * fauxqs (the SQS emulator) is a devDependency and needs nothing here.
 *
 * Usage: node scripts/install-emulators.mjs   (idempotent: does nothing when the jar is present)
 */
import { execFileSync, spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import {
  accessSync,
  constants,
  cpSync,
  existsSync,
  mkdirSync,
  mkdtempSync,
  readFileSync,
  renameSync,
  rmSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { delimiter, dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const PACKAGE = 'amplify-dynamodb-simulator@2.9.30';
const TARBALL = 'amplify-dynamodb-simulator-2.9.30.tgz';
// sha256 of DynamoDBLocal.jar inside that exact package version: a swapped jar must not run.
const JAR_SHA256 = '454305e9bc3e6ebcca5b62569869e31563b8d7e346474e94557b2600702146c7';

/** Repository root (this file lives in `scripts/`). */
export const REPO_ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..');
/** Where the emulator is cached, outside git (`.qts/` is ignored). */
export const DYNAMODB_LOCAL_DIR = join(REPO_ROOT, '.qts', 'dynamodb-local');

/** The error text when `java` is missing: says exactly how to install it. */
export const JAVA_MISSING =
  'DynamoDB Local needs a Java runtime (17+) and `java` was not found on the PATH. ' +
  'Install it with: sudo apt-get install -y openjdk-17-jre-headless';

/**
 * Throws with the install command unless an executable `java` is on the PATH. A file-system look-up
 * only, so the emulator start does not pay for a second JVM start just to probe.
 */
export function assertJavaOnPath() {
  for (const dir of (process.env.PATH ?? '').split(delimiter)) {
    if (dir === '') continue;
    try {
      accessSync(join(dir, 'java'), constants.X_OK);
      return;
    } catch {
      // not in this directory
    }
  }
  throw new Error(JAVA_MISSING);
}

/** Throws with the install command when no Java runtime is on the PATH or it does not run. */
export function assertJava() {
  assertJavaOnPath();
  const probe = spawnSync('java', ['-version'], { encoding: 'utf8' });
  if (probe.error !== undefined || probe.status !== 0) throw new Error(JAVA_MISSING);
}

function sha256(file) {
  return createHash('sha256').update(readFileSync(file)).digest('hex');
}

/** Downloads and unpacks DynamoDB Local unless it is already there; returns its directory. */
export function ensureDynamoDbLocal(log = (line) => process.stderr.write(`${line}\n`)) {
  const jar = join(DYNAMODB_LOCAL_DIR, 'DynamoDBLocal.jar');
  if (existsSync(jar)) return DYNAMODB_LOCAL_DIR;
  const work = mkdtempSync(join(tmpdir(), 'qts-ddb-'));
  try {
    log(`fetching ${PACKAGE} (DynamoDB Local) with npm pack…`);
    execFileSync('npm', ['pack', PACKAGE, '--silent', '--pack-destination', work], {
      stdio: ['ignore', 'ignore', 'inherit'],
    });
    execFileSync('tar', ['xzf', join(work, TARBALL), '-C', work, 'package/emulator'], { stdio: 'inherit' });
    const extracted = join(work, 'package', 'emulator');
    const actual = sha256(join(extracted, 'DynamoDBLocal.jar'));
    if (actual !== JAR_SHA256)
      throw new Error(`DynamoDBLocal.jar checksum mismatch: expected ${JAR_SHA256}, got ${actual}`);
    mkdirSync(dirname(DYNAMODB_LOCAL_DIR), { recursive: true });
    const staging = `${DYNAMODB_LOCAL_DIR}.partial`;
    rmSync(staging, { recursive: true, force: true });
    cpSync(extracted, staging, { recursive: true });
    // Rename last so an interrupted install never leaves a half-copied directory that looks complete.
    renameSync(staging, DYNAMODB_LOCAL_DIR);
    log(`DynamoDB Local installed in ${DYNAMODB_LOCAL_DIR}`);
    return DYNAMODB_LOCAL_DIR;
  } finally {
    rmSync(work, { recursive: true, force: true });
  }
}

if (process.argv[1] !== undefined && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  try {
    assertJava();
    ensureDynamoDbLocal();
  } catch (error) {
    process.stderr.write(`install-emulators: ${error instanceof Error ? error.message : String(error)}\n`);
    process.exit(1);
  }
}
