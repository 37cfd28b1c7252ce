import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseOrderIdentifier } from '../../shared/src/domain/orders/identifiers';
import { eventually, type StackProcess, startStack, survivors } from './support/stack-process';

/**
 * CI's smoke run of the two commands a new user types (`.ci/run`, section "smoke"): the real
 * `npm start -- --exchange sim` on free ports, `/api/health`, one full analysis → decision → paper
 * order cycle on the sim, then a clean stop (exit 0, no process left). Bounded: 3 minutes in all.
 * Usage: npx tsx test/stack/stack-smoke.ts
 */
const BUDGET_MS = 180_000;

async function main(): Promise<void> {
  const started = Date.now();
  const left = () => Math.max(1_000, BUDGET_MS - (Date.now() - started));
  const stateDir = mkdtempSync(join(tmpdir(), 'qts-smoke-'));
  let stack: StackProcess | undefined;
  const abort = () => {
    void stack?.stop().finally(() => process.exit(1));
  };
  process.once('SIGTERM', abort);
  process.once('SIGINT', abort);
  try {
    stack = await startStack({
      stateDir,
      token: `smoke-${Date.now()}-token-0123456789`,
      readyTimeoutMs: left(),
    });
    const s = stack;
    const health = await eventually(
      '/api/health',
      async () => ((await s.api('/api/health', { auth: false })).status === 200 ? true : undefined),
      left(),
      s.output,
    );
    const identifier = await eventually(
      'a paper order on the sim from a decision of the minute analysis',
      async () => (await s.simOrderIdentifiers())[0],
      left(),
      s.output,
    );
    const pids = s.pids();
    const code = await s.stop();
    stack = undefined;
    const alive = await survivors(pids);
    if (code !== 0) throw new Error(`npm start exited with ${code} on SIGTERM`);
    if (alive.length > 0) throw new Error(`processes left running after the stop: ${alive.join(', ')}`);
    const decision = parseOrderIdentifier(identifier)?.decisionId ?? identifier;
    process.stdout.write(
      `stack smoke: health ${health ? 'ok' : '?'}, decision ${decision} → order ${identifier} on the sim, clean stop, ${Math.round((Date.now() - started) / 1000)} s\n`,
    );
  } finally {
    if (stack !== undefined) await stack.stop().catch(() => undefined);
    rmSync(stateDir, { recursive: true, force: true });
  }
}

main().then(
  () => process.exit(0),
  (error: unknown) => {
    process.stderr.write(`stack smoke: FAILED: ${error instanceof Error ? error.message : String(error)}\n`);
    process.exit(1);
  },
);
