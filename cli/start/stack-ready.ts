import { relative } from 'node:path';
import { tableStores } from '../../functions/lib/aws-deps';
import type { Env } from '../../functions/lib/function-env';
import type { Market } from '../../shared/src/domain/market/market-id';
import { MS } from '../../shared/src/domain/time/epoch';
import type { Clock } from '../../shared/src/ports/clock';
import type { StackInfo } from './stack-file';

const POLL_MS = 1_000;
const HEALTHY_WITHIN_MS = 120_000;
const BARS_WITHIN_MS = 75_000;

async function healthy(opsUrl: string): Promise<boolean> {
  try {
    const res = await fetch(`${opsUrl}/healthz`, { signal: AbortSignal.timeout(2_000) });
    await res.body?.cancel();
    return res.ok;
  } catch {
    return false;
  }
}

function pause(clock: Clock, stop: AbortSignal): Promise<boolean> {
  return clock.sleep(POLL_MS, stop).then(
    () => true,
    () => false,
  );
}

/** Waits until the executor answers /healthz with 200 (reconciled, feed up); false after two minutes. */
export async function waitForExecutor(opsUrl: string, clock: Clock, stop: AbortSignal): Promise<boolean> {
  const by = clock.now() + HEALTHY_WITHIN_MS;
  while (!(await healthy(opsUrl))) if (clock.now() > by || !(await pause(clock, stop))) return false;
  return true;
}

/**
 * Waits until the executor has stored every market's bar of the minute that just closed and an
 * equity point of this run (the analysis sizes nothing without one), so the first analysis can run
 * at once instead of at the next minute. False when that did not happen in time (the scheduler then
 * simply starts on the minute).
 */
export async function waitForBars(
  env: Env,
  markets: readonly string[],
  since: number,
  clock: Clock,
  stop: AbortSignal,
): Promise<boolean> {
  const { marketData, equity } = tableStores(env);
  const by = clock.now() + BARS_WITHIN_MS;
  for (;;) {
    const lastClosed = Math.floor(clock.now() / MS.minute) * MS.minute - MS.minute;
    const [point, latest] = await Promise.all([
      equity.latestPoint().catch(() => undefined),
      Promise.all(markets.map((m) => marketData.latestCandles(m as Market, '1m', 1).catch(() => []))),
    ]);
    const bars = latest.every((c) => (c[0]?.openTime ?? 0) >= lastClosed);
    if (bars && point !== undefined && point.at >= since) return true;
    if (clock.now() > by || !(await pause(clock, stop))) return false;
  }
}

/** The lines `npm start` prints once everything is up (stdout; in --json-logs mode nothing). */
export function readyBanner(options: {
  readonly info: StackInfo;
  readonly token: string | undefined;
  readonly telegram: boolean;
  readonly json: boolean;
  /** Where Upbit market data comes from (UPBIT_REST_URL may point elsewhere). */
  readonly upbitRestUrl?: string;
}): string {
  if (options.json) return '';
  const { info } = options;
  const inside = relative(process.cwd(), info.stateDir);
  const state = inside !== '' && !inside.startsWith('..') ? inside : info.stateDir;
  const exchange =
    info.exchange === 'sim'
      ? `the bundled fake exchange (fully offline) at ${info.sim?.restUrl ?? ''}`
      : options.upbitRestUrl === undefined || /^https:\/\/api\.upbit\.com\//.test(options.upbitRestUrl)
        ? 'real Upbit market data'
        : `Upbit market data from ${options.upbitRestUrl}`;
  const lines = [
    '',
    `QTS is running: ${info.mode === 'live' ? 'LIVE TRADING' : 'paper trading'} on ${exchange}`,
    `  Dashboard   ${info.dashboardUrl}`,
    options.token === undefined
      ? '  API token   from QTS_API_TOKEN'
      : `  API token   ${options.token}\n              (generated for this run and shown only now; the dashboard asks for it. Set QTS_API_TOKEN to keep one.)`,
    `  Markets     ${info.markets.join(', ')}`,
    `  State       ${state}   (reset: stop, then rm -rf ${state})`,
    `  Executor    ${info.executor.opsUrl}/healthz   (restarted automatically if it dies)`,
    `  Telegram    ${options.telegram ? 'alerts and commands on your chat' : 'not configured (TELEGRAM_BOT_TOKEN, TELEGRAM_CHAT_ID): alerts go to this log'}`,
    '  Operator    npm run ops -- status   (emergency-stop, close-all, release, report, strategy)',
    '  Stop        Ctrl+C',
    '',
  ];
  return `${lines.join('\n')}\n`;
}

/** Printed before anything starts in live mode, so nobody trades real money without seeing it. */
export const LIVE_BANNER = [
  '',
  '################################################################################',
  '#  LIVE TRADING: real orders with real money on Upbit.                          #',
  '#  Every risk limit and the emergency stop are active; Ctrl+C stops the stack   #',
  '#  (open orders are cancelled by the executor on the way out).                  #',
  '################################################################################',
  '',
].join('\n');
