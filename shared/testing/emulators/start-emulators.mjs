#!/usr/bin/env node
/**
 * Starts DynamoDB Local and fauxqs (SQS) on free ports and reports their endpoints as one JSON line
 * on stdout (and in `--state-file` when given). A plain ESM script in its own process because
 * fauxqs is ESM-only while Jest runs CommonJS, and so one set of emulators serves a whole test run.
 *
 * Options:
 *   --state-file <path>     also write {status, dynamodb, sqs} / {status:"failed", error} there
 *   --db-path <dir>         persist DynamoDB data in <dir> (npm start) instead of -inMemory
 *   --dynamodb-port <n>     fixed port instead of a free one; --sqs-port <n> likewise
 *   --watch-stdin           exit when stdin closes (the parent died or is done)
 *   --owner-pid <pid>       exit when that process is gone (the Jest run that started us)
 * Stops both emulators on SIGTERM/SIGINT.
 */
import { spawn } from 'node:child_process';
import { mkdirSync, writeFileSync } from 'node:fs';
import { request } from 'node:http';
import { createServer } from 'node:net';
import { join, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { assertJavaOnPath, ensureDynamoDbLocal, JAVA_MISSING } from '../../../scripts/install-emulators.mjs';

const { values: args } = parseArgs({
  options: {
    'state-file': { type: 'string' },
    'db-path': { type: 'string' },
    'dynamodb-port': { type: 'string' },
    'sqs-port': { type: 'string' },
    'watch-stdin': { type: 'boolean', default: false },
    'owner-pid': { type: 'string' },
  },
});

const READY_TIMEOUT_MS = 60_000;
let java;
let fauxqs;

function report(state) {
  const line = JSON.stringify(state);
  if (args['state-file'] !== undefined) writeFileSync(args['state-file'], line);
  process.stdout.write(`${line}\n`);
}

function freePort() {
  return new Promise((resolvePort, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address();
      server.close(() => resolvePort(port));
    });
  });
}

function answers(endpoint) {
  return new Promise((resolveAnswer) => {
    const req = request(endpoint, { method: 'GET', timeout: 1000 }, (res) => {
      res.resume();
      resolveAnswer(true);
    });
    req.once('error', () => resolveAnswer(false));
    req.once('timeout', () => {
      req.destroy();
      resolveAnswer(false);
    });
    req.end();
  });
}

async function startDynamoDb() {
  assertJavaOnPath();
  const dir = ensureDynamoDbLocal();
  const port = args['dynamodb-port'] === undefined ? await freePort() : Number(args['dynamodb-port']);
  const dbPath = args['db-path'] === undefined ? undefined : resolve(args['db-path']);
  const storage = dbPath === undefined ? ['-inMemory'] : ['-dbPath', dbPath];
  if (dbPath !== undefined) mkdirSync(dbPath, { recursive: true });
  const output = [];
  java = spawn(
    'java',
    [
      // Start-up flags: C1 only and the serial collector roughly halve the JVM's time to the first
      // answer on small CI machines (8 s → 3 s measured on 2 busy cores); an emulator never runs long
      // enough to profit from C2 or a parallel GC.
      '-XX:TieredStopAtLevel=1',
      '-XX:+UseSerialGC',
      '-Xshare:auto',
      `-Djava.library.path=${join(dir, 'DynamoDBLocal_lib')}`,
      '-jar',
      join(dir, 'DynamoDBLocal.jar'),
      ...storage,
      // One database whatever the client's credentials and region (without it DynamoDB Local keeps
      // one per access key and region, and a CLI with other credentials would see no tables).
      '-sharedDb',
      '-port',
      String(port),
      '-disableTelemetry',
    ],
    // Run inside the emulator directory: DynamoDB Local drops a metadata file into its working directory.
    { stdio: ['ignore', 'pipe', 'pipe'], cwd: dir },
  );
  const remember = (chunk) => output.push(String(chunk));
  java.stdout.on('data', remember);
  java.stderr.on('data', remember);
  let exited;
  // No separate `java -version` probe (a second JVM start): a missing binary shows up as ENOENT here.
  let spawnError;
  java.once('error', (error) => {
    spawnError = error.code === 'ENOENT' ? new Error(JAVA_MISSING) : error;
  });
  java.once('exit', (code) => {
    exited = code;
  });
  const endpoint = `http://127.0.0.1:${port}`;
  const deadline = Date.now() + READY_TIMEOUT_MS;
  // Polls the port until DynamoDB Local answers: it has no readiness signal of its own.
  while (!(await answers(endpoint))) {
    if (spawnError !== undefined) throw spawnError;
    if (exited !== undefined)
      throw new Error(`DynamoDB Local exited with code ${exited}: ${output.join('').slice(-2000)}`);
    if (Date.now() > deadline) throw new Error(`DynamoDB Local did not answer on ${endpoint} within 60 s`);
    await new Promise((r) => setTimeout(r, 100));
  }
  java.stdout.off('data', remember);
  java.stderr.off('data', remember);
  java.stdout.resume();
  java.stderr.resume();
  return endpoint;
}

async function startSqs() {
  const { startFauxqs } = await import('fauxqs');
  const port = args['sqs-port'] === undefined ? 0 : Number(args['sqs-port']);
  fauxqs = await startFauxqs({ port, logger: false, host: '127.0.0.1' });
  return `http://127.0.0.1:${fauxqs.port}`;
}

async function stopJava() {
  if (java === undefined || java.exitCode !== null) return;
  const exited = new Promise((r) => java.once('exit', r));
  java.kill('SIGTERM');
  const timer = setTimeout(() => java.kill('SIGKILL'), 5000);
  await exited;
  clearTimeout(timer);
}

async function stop() {
  await Promise.all([stopJava(), fauxqs?.stop().catch(() => undefined)]);
  process.exit(0);
}

process.once('SIGTERM', stop);
process.once('SIGINT', stop);
if (args['watch-stdin']) {
  process.stdin.resume();
  process.stdin.once('end', stop);
  process.stdin.once('close', stop);
}

if (args['owner-pid'] !== undefined) {
  const owner = Number(args['owner-pid']);
  const watch = setInterval(() => {
    try {
      process.kill(owner, 0);
    } catch {
      clearInterval(watch);
      stop();
    }
  }, 2000);
  watch.unref();
}

try {
  const [dynamodb, sqs] = await Promise.all([startDynamoDb(), startSqs()]);
  report({ status: 'ready', dynamodb, sqs, pid: process.pid });
} catch (error) {
  report({ status: 'failed', error: error instanceof Error ? error.message : String(error) });
  await Promise.all([stopJava(), fauxqs?.stop().catch(() => undefined)]);
  process.exit(1);
}
