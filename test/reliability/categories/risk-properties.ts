import { seeded } from '../../executor/support/child-executor';
import type { CampaignContext, Category } from '../lib/context';
import { atLeast, type CategoryResult, categoryResult, info, zero } from '../lib/report';
import { type PathOutcome, runPath } from '../risk/path-oracle';

/** Share of the paths run with the five real strategies (they need a 220-bar warm-up each). */
const REAL_SHARE = 50;

async function run(ctx: CampaignContext): Promise<CategoryResult> {
  const started = Date.now();
  const n = ctx.scale.riskPaths;
  const sum: Record<string, number> = {};
  const details: string[] = [];
  let real = 0;
  let pathsWithStop = 0;
  for (let i = 0; i < n; i++) {
    const useReal = i % REAL_SHARE === 0;
    if (useReal) real += 1;
    const r: PathOutcome = runPath(seeded(ctx.seed * 100_003 + i), {
      bars: ctx.scale.riskBars,
      realStrategies: useReal,
      seed: ctx.seed + i,
    });
    for (const [k, v] of Object.entries(r)) if (typeof v === 'number') sum[k] = (sum[k] ?? 0) + v;
    if (r.dropEpisodes > 0) pathsWithStop += 1;
    for (const d of r.details) if (details.length < 10) details.push(`path ${i}: ${d}`);
    if (i % 500 === 499) ctx.progress(`risk: ${i + 1}/${n} paths`);
    // Let timers (progress, a parent's heartbeat) run between paths.
    if (i % 50 === 49) await new Promise((r) => setImmediate(r));
  }
  const v = (k: string) => sum[k] ?? 0;
  return categoryResult(
    'risk',
    '5. Risk properties (full pipeline)',
    [
      atLeast('random market paths', n, n),
      info('  of which with the five real strategies (others: seeded random voters)', real),
      info(
        'bar steps / fills',
        `${v('steps').toLocaleString('en-US')} / ${v('fills').toLocaleString('en-US')}`,
      ),
      zero('exposure cap breaches (total, strategy, market)', v('exposureBreaches')),
      zero('orders above the per-trade cap', v('tradeBreaches')),
      zero('steps with more markets held than allowed', v('positionBreaches')),
      zero('short holdings or negative cash', v('shortOrOverdrawn')),
      zero('buys placed while the emergency latch was set', v('buysWhileLatched')),
      info('−3 % drops reached (episodes / paths)', `${v('dropEpisodes')} / ${pathsWithStop}`),
      atLeast('steps at or below −3 % (each must be latched)', v('dropsReached'), 1),
      zero('steps at −3 % or worse with the emergency stop not latched', v('missedStops')),
    ],
    started,
    [
      `each path: 1–3 markets, random capital 1–50 M KRW and random valid limits, ${ctx.scale.riskBars} one-minute bars with crashes and spikes; seed ${ctx.seed}`,
      ...details,
    ],
  );
}

/** Category 5: random market paths through strategies → ensemble → risk → orders → fills → ledger. */
export const riskProperties: Category = { id: 'risk', title: '5. Risk properties (full pipeline)', run };
