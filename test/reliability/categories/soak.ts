import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { type StackProcess, startStack, survivors } from '../../stack/support/stack-process';
import { FAKE_SECRETS } from '../lib/captured-logs';
import type { CampaignContext, Category } from '../lib/context';
import {
  CounterAcrossRestarts,
  familySum,
  parseMetrics,
  processFacts,
  processTree,
} from '../lib/process-sampler';
import { atLeast, type CategoryResult, categoryResult, info, zero } from '../lib/report';
import { type SoakSample, soakFigures } from '../lib/soak-samples';

/** The soak: five markets (the seed markets `npm start` trades by default). */
const MARKETS = 5;
/** About this many samples per run, one every 1–30 s. */
const SAMPLES = 120;

/** Counters summed over executor restarts (a restart resets them). */
const COUNTERS = {
  decisions: 'qts_executor_decisions_total',
  ordersPlaced: 'qts_executor_orders_placed_total',
  ordersRejected: 'qts_executor_orders_rejected_total',
  fills: 'qts_executor_fills_total',
  wsReconnects: 'qts_executor_ws_reconnects_total',
} as const;

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

async function simTime(stack: StackProcess): Promise<number | undefined> {
  const url = stack.info.sim?.controlUrl;
  if (url === undefined) return undefined;
  const res = await fetch(`${url}/status`, { signal: AbortSignal.timeout(5_000) }).catch(() => undefined);
  const body = (await res?.json().catch(() => undefined)) as { simTime?: number } | undefined;
  return body?.simTime;
}

/** One sample: `/proc` of the stack, the emulators' process tree and the executor; the executor's /metrics. */
async function sample(
  stack: StackProcess,
  startedAt: number,
  counters: Record<keyof typeof COUNTERS, CounterAcrossRestarts>,
): Promise<SoakSample> {
  const now = stack.current();
  const rss: Record<string, number> = {};
  const fds: Record<string, number> = {};
  const roles: [string, number[]][] = [
    ['stack', [now.pid]],
    ['executor', now.executor.pid === undefined ? [] : [now.executor.pid]],
    ['emulators', now.emulators.pid === undefined ? [] : processTree(now.emulators.pid)],
  ];
  for (const [role, pids] of roles) {
    const facts = pids.flatMap((p) => processFacts(p) ?? []);
    if (facts.length === 0) continue;
    rss[role] = facts.reduce((s, f) => s + f.rssBytes, 0);
    fds[role] = facts.reduce((s, f) => s + f.fds, 0);
  }
  const text = await fetch(`${now.executor.opsUrl}/metrics`, { signal: AbortSignal.timeout(5_000) })
    .then((r) => r.text())
    .catch(() => '');
  const metrics = parseMetrics(text);
  if (now.executor.pid !== undefined)
    for (const [key, name] of Object.entries(COUNTERS))
      counters[key as keyof typeof COUNTERS].see(now.executor.pid, familySum(metrics, name));
  const lagP99 = metrics.get('qts_executor_event_loop_lag_seconds{quantile="0.99"}');
  const lagMax = metrics.get('qts_executor_event_loop_lag_seconds{quantile="max"}');
  const hasResources = [...metrics.keys()].some((k) => k.startsWith('qts_executor_active_resources'));
  return {
    hours: (Date.now() - startedAt) / 3_600_000,
    rss,
    fds,
    ...(hasResources ? { executorResources: familySum(metrics, 'qts_executor_active_resources') } : {}),
    ...(lagP99 === undefined ? {} : { lagP99 }),
    ...(lagMax === undefined ? {} : { lagMax }),
  };
}

/**
 * Category 6: the real local stack (`npm start -- --exchange sim`, five markets, the sim's market
 * `speed` times faster than the clock) left trading on its own for the scale's minutes while its
 * processes are sampled: RSS, open descriptors, the executor's live resources and event-loop lag.
 * Judged: memory flat and no handle growth after a warm-up, no executor restart, a clean stop.
 */
async function run(ctx: CampaignContext): Promise<CategoryResult> {
  const started = Date.now();
  const { minutes, speed } = ctx.scale.soak;
  const durationMs = minutes * 60_000;
  const intervalMs = Math.min(30_000, Math.max(1_000, Math.round(durationMs / SAMPLES)));
  const stateDir = mkdtempSync(join(tmpdir(), 'qts-reliability-soak-'));
  const counters = {
    decisions: new CounterAcrossRestarts(),
    ordersPlaced: new CounterAcrossRestarts(),
    ordersRejected: new CounterAcrossRestarts(),
    fills: new CounterAcrossRestarts(),
    wsReconnects: new CounterAcrossRestarts(),
  };
  let stack: StackProcess | undefined;
  try {
    stack = await startStack({
      stateDir,
      token: FAKE_SECRETS.apiToken,
      extraArgs: ['--sim-speed', String(speed)],
      readyTimeoutMs: 180_000,
    });
    const readyAt = Date.now();
    const simStart = await simTime(stack);
    const samples: SoakSample[] = [];
    let nextProgress = readyAt + Math.max(60_000, durationMs / 12);
    while (Date.now() - readyAt < durationMs) {
      await sleep(Math.min(intervalMs, Math.max(0, durationMs - (Date.now() - readyAt))));
      samples.push(await sample(stack, readyAt, counters));
      if (Date.now() >= nextProgress) {
        nextProgress += Math.max(60_000, durationMs / 12);
        const last = samples.at(-1);
        ctx.progress(
          `soak: ${((Date.now() - readyAt) / 60_000).toFixed(0)}/${minutes} min, executor RSS ${((last?.rss.executor ?? 0) / 1024 ** 2).toFixed(0)} MB, ${counters.ordersPlaced.total} orders, ${counters.fills.total} fills`,
        );
      }
    }
    const simEnd = await simTime(stack);
    const restarts = stack.current().executor.restarts;
    const pids = stack.pids();
    const exitCode = await stack.stop();
    const left = await survivors(pids);
    const output = stack.output();
    const errors = output.split('\n').filter((l) => l.includes('"level":"error"'));
    const simHours =
      simStart === undefined || simEnd === undefined ? 'unavailable' : (simEnd - simStart) / 3_600_000;
    return categoryResult(
      'soak',
      '6. Soak',
      [
        atLeast('markets traded', stack.info.markets.length, MARKETS),
        info(
          'wall-clock minutes (after ready)',
          Math.round(((Date.now() - readyAt) / 60_000) * 10) / 10,
          'min',
        ),
        info(
          'simulated hours',
          typeof simHours === 'number' ? Math.round(simHours * 10) / 10 : simHours,
          'h',
          `sim speed ${speed}`,
        ),
        info('decisions received', counters.decisions.total),
        info(
          'orders placed / refused before sending or by the venue',
          `${counters.ordersPlaced.total} / ${counters.ordersRejected.total}`,
        ),
        info('fills booked', counters.fills.total),
        info('market data reconnects', counters.wsReconnects.total),
        ...soakFigures(samples, minutes / 60 / 6),
        zero('executor restarts', restarts),
        info('error log lines', errors.length, undefined, errors[0]?.slice(0, 300)),
        zero('stack exit code on SIGTERM', exitCode ?? 'killed by a signal'),
        zero('processes left after the stop', left.length),
      ],
      started,
      [
        `sampled every ${intervalMs / 1000} s; slopes by least squares after a warm-up of the first sixth of the run`,
        ...errors.slice(0, 5).map((e) => `error: ${e.slice(0, 400)}`),
      ],
    );
  } finally {
    if (stack !== undefined) {
      ctx.logs.sink('soak-stack')(stack.output());
      await stack.stop().catch(() => undefined);
    }
    rmSync(stateDir, { recursive: true, force: true });
  }
}

/** Category 6: the local stack left trading on an accelerated sim, its memory, handles and lag sampled. */
export const soak: Category = { id: 'soak', title: '6. Soak', run };
