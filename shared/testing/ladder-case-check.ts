import {
  type PipelineAccount,
  type PipelineInput,
  type PipelineResult,
  runDecisionPipeline,
  runFullPipeline,
} from '../src/domain/ensemble/decision-pipeline';
import { DEFAULT_ENSEMBLE_CONFIG, type EnsembleConfig } from '../src/domain/ensemble/ensemble-config';
import { ladderResult } from '../src/domain/ensemble/ladder-path';
import { type PlannedOrderSpec, reasonOf } from '../src/domain/ensemble/order-plan';
import { exactTopOfBook, toQuoteLevels } from '../src/domain/ensemble/quote-levels';
import { fateText } from '../src/domain/ensemble/signal-fate';
import { quotesOnGrid } from '../src/domain/ensemble/synthetic-book';
import { pipelineText } from '../src/domain/ensemble/testing/pipeline-text';
import { referenceLadderBooks } from '../src/domain/ensemble/testing/reference-ladder-books';
import { baseCurrency } from '../src/domain/market/market-id';
import { KRW_MARKET_RULES, tickTableFor } from '../src/domain/market/market-rules';
import { type Decimal, decimalFromNumber, ZERO } from '../src/domain/money/decimal';
import { numberOf } from '../src/domain/money/decimal-units';
import { krw, price, volume } from '../src/domain/money/quantities';
import { limitLock, limitTotal } from '../src/domain/orders/limit-facts';
import { type Commitment, exposureBook } from '../src/domain/risk/exposure';
import { type MarketView, withWholeWon } from '../src/domain/risk/fat-finger';
import type { LossStatus } from '../src/domain/risk/loss-ledger';
import type { RiskContext } from '../src/domain/risk/pre-trade-check';
import { DEFAULT_RISK_LIMITS, type RiskLimits } from '../src/domain/risk/risk-limits';
import { T0 as DEFAULT_T0, did, ETH, invariant } from '../src/domain/risk/testing/risk-builders';
import { QuoteHints } from '../src/domain/strategies/quote-hints';
import type { StrategySignal } from '../src/domain/strategies/strategy';
import type { EpochMs } from '../src/domain/time/epoch';
import type { Position } from '../src/domain/trading/position';
import { type LadderCase, type LadderMarket, tiny } from './ladder-cases';

/*
 * One case of ./ladder-cases.ts built into pipeline inputs and checked: the ladder path against the
 * full pipeline (`checkOrders` per layer), a mixed pipeline and the backtest's `placeQuotes`.
 */

interface Built {
  readonly input: PipelineInput;
  readonly account: PipelineAccount;
  readonly placed: string[];
}

/** `lazyQuotes`: the account also offers `placeQuotes` (the backtest's), recording the same texts. */
function build(markets: readonly LadderMarket[], c: LadderCase, lazyQuotes = false): Built {
  const { market, mid, now: T0 = DEFAULT_T0 } = markets[c.marketIdx] as LadderMarket;
  const base = KRW_MARKET_RULES;
  const ticks = { table: tickTableFor(base, T0), asset: baseCurrency(market) };
  const q = quotesOnGrid(mid, ticks);
  const hints = QuoteHints.of(
    c.hints.map((h, layer) => ({
      side: h.side,
      price: mid * (1 + h.offsetBps / 1e4),
      sizeKrw: h.sizeKrw,
      layer,
    })),
  );
  const levels = toQuoteLevels(market, hints, T0, base, exactTopOfBook(q.bid, q.ask));
  const target = levels[Math.min(c.layer, Math.max(levels.length - 1, 0))];
  // Upbit's maximum order total on the target layer's total (± a unit).
  const rules =
    c.near === 'max_total' && target !== undefined
      ? {
          ...base,
          maxTotal: krw(tiny(limitTotal(target.price, target.volume), c.nudge, '1e-8', c.coarse)),
        }
      : base;
  // The account: market making's holding (partly offered already), another strategy's lock elsewhere.
  const held = volume(decimalFromNumber(c.heldKrw / mid).toDecimalPlaces(8, 1));
  const offered = volume(held.times(c.offeredShare).toDecimalPlaces(8, 1));
  const targetIndex = target === undefined ? 0 : levels.indexOf(target);
  const bidsBefore = levels.filter((l, i) => l.side === 'bid' && i < targetIndex);
  const asksBefore = levels.filter((l, i) => l.side === 'ask' && i < targetIndex);
  let heldVolume = held;
  if (c.near === 'sellable' && target !== undefined) {
    let sum: Decimal = target.side === 'ask' ? target.volume : ZERO;
    for (const a of asksBefore) sum = sum.plus(a.volume);
    heldVolume = volume(tiny(sum.plus(offered), c.nudge, '0.00000001', c.coarse));
    if (heldVolume.isNegative()) heldVolume = volume(ZERO);
  }
  const positions: Position[] = [
    {
      market,
      strategy: 'market_making',
      volume: heldVolume,
      cost: krw(decimalFromNumber(c.mmCost)),
      realizedPnl: krw(ZERO),
      feesPaid: krw(ZERO),
      updatedAt: T0,
      version: 1,
    },
  ];
  const commitments: Commitment[] = [
    {
      market: ETH,
      strategy: 'momentum_scalping',
      decisionId: did('mom-ETH-x-0'),
      side: 'bid',
      lockedKrw: krw(decimalFromNumber(c.otherLock)),
      remainingVolume: volume(ZERO),
    },
    {
      market,
      strategy: 'market_making',
      decisionId: did('mmq-x-0'),
      side: 'ask',
      lockedKrw: krw(ZERO),
      remainingVolume: offered,
    },
  ];
  const book = exposureBook(positions, commitments);
  // Locks of the bids before the target layer, plus the target's own when it is a bid.
  let locks: Decimal = ZERO;
  for (const b of bidsBefore) locks = locks.plus(limitLock(b.price, b.volume, rules));
  const targetLock = target?.side === 'bid' ? limitLock(target.price, target.volume, rules) : ZERO;
  const at = (x: Decimal) => krw(tiny(x.plus(locks).plus(targetLock), c.nudge, '0.000000000001', c.coarse));
  let limits: RiskLimits = { ...DEFAULT_RISK_LIMITS, maxConcurrentPositions: c.maxPositions };
  let depthSize = c.depthKrw / mid;
  const last = price(decimalFromNumber(mid));
  const ff = limits.fatFinger;
  let fatFinger = ff;
  if (target !== undefined)
    switch (c.near) {
      case 'total':
        limits = { ...limits, maxTotalExposure: at(book.total) };
        break;
      case 'strategy':
        limits = { ...limits, maxStrategyExposure: at(book.byStrategy.get('market_making') ?? ZERO) };
        break;
      case 'market':
        limits = { ...limits, maxMarketExposure: at(book.byMarket.get(market) ?? ZERO) };
        break;
      case 'trade':
        limits = {
          ...limits,
          maxTradeNotional: krw(tiny(limitTotal(target.price, target.volume), c.nudge, '1e-8', c.coarse)),
        };
        break;
      case 'depth':
        // A one-level book whose size × 0.5 is the layer's volume (± a unit).
        fatFinger = { ...ff, maxDepthFraction: decimalFromNumber(0.5) };
        depthSize = numberOf(tiny(target.volume, c.nudge, '0.00000001', c.coarse).times(2));
        break;
      case 'deviation':
        fatFinger = {
          ...ff,
          maxDeviationFromLastTrade: tiny(
            target.price.minus(last).abs().div(last),
            c.nudge,
            '1e-30',
            c.coarse,
          ),
        };
        break;
      case 'band_low':
      case 'band_high': {
        const edge = c.near === 'band_low' ? q.bid : q.ask;
        const t = target.price.minus(edge).abs().div(edge);
        fatFinger = { ...ff, bookBandTolerance: tiny(t, c.nudge, '1e-30', c.coarse) };
        break;
      }
      default:
        break;
    }
  limits = { ...limits, fatFinger };
  const breach: LossStatus = {
    breaches: [
      {
        trigger: 'daily_loss',
        periodKey: 'd',
        loss: decimalFromNumber(0.06),
        limit: decimalFromNumber(0.05),
        reference: krw(decimalFromNumber(1)),
        equity: krw(decimalFromNumber(1)),
      },
    ],
    lossByPeriod: { day: ZERO, week: ZERO, month: ZERO },
    instantDrop: ZERO,
  };
  const config: EnsembleConfig = {
    ...DEFAULT_ENSEMBLE_CONFIG,
    enabled: { ...DEFAULT_ENSEMBLE_CONFIG.enabled, market_making: c.enabled !== 0, stat_arb: false },
  };
  // Bit 11 of the mask only matters to a twelfth layer the account rejects: all but independent.
  const withTwins = (v: MarketView): MarketView => ((c.rejectMask & 2048) === 0 ? withWholeWon(v) : v);
  const ctx: RiskContext = {
    now: (c.late === 0 ? T0 + config.decisionTtlMs : T0) as EpochMs,
    limits,
    rules,
    state: c.state === 0 ? 'reducing' : c.state === 1 ? 'halted' : 'running',
    ...(c.breach === 0 ? { lossStatus: breach } : {}),
    positions,
    commitments,
    recentTrades: [],
    // Half the views carry their whole-won twins (MarketView.lastWon), as the backtest's do.
    market: withTwins({
      lastTradePrice: last,
      book: {
        market,
        timestamp: T0,
        bids: [{ price: numberOf(q.bid), size: depthSize }],
        asks: [{ price: numberOf(q.ask), size: depthSize }],
      },
      ...(c.withBest ? { best: { bid: q.bid, ask: q.ask } } : {}),
    }),
  };
  const signals: StrategySignal[] = [
    {
      strategy: 'market_making',
      market,
      at: T0,
      direction: 'flat',
      strength: 0,
      reason: 'mm',
      quotes: hints,
    },
  ];
  if (c.other === 0)
    signals.push({
      strategy: 'momentum_scalping',
      market,
      at: T0,
      direction: 'buy',
      strength: 0.5,
      reason: 'm',
    });
  if (c.other === 1)
    signals.push({
      strategy: 'market_making',
      market,
      at: T0,
      direction: 'flat',
      strength: 0,
      reason: 'none',
    });
  // Views of other strategies the ensemble holds or nets (before the quotes in the signal list):
  // 2 a sell with nothing to sell, 3 a buy below the minimum score, 4 a buy and a sell netting out,
  // 5 a sell of a strategy that is off.
  const view = (strategy: StrategySignal['strategy'], direction: 'buy' | 'sell', strength: number) =>
    ({ strategy, market, at: T0, direction, strength, reason: 'v' }) as StrategySignal;
  if (c.other === 2) signals.unshift(view('momentum_scalping', 'sell', 0.6));
  if (c.other === 3) signals.unshift(view('momentum_scalping', 'buy', 0.05));
  if (c.other === 4)
    signals.unshift(view('momentum_scalping', 'buy', 0.5), view('mean_reversion', 'sell', 0.5));
  if (c.other === 5) signals.push(view('stat_arb', 'sell', 0.9));
  const placed: string[] = [];
  const placeOne = (id: string, leg: number, spec: PlannedOrderSpec, reason: string) => {
    placed.push(`${id}:${leg}:${JSON.stringify(spec)}:${reason}`);
    return c.rejectSome === 0 && (c.rejectMask >> leg) % 2 === 1
      ? 'exchange:insufficient_funds_bid'
      : undefined;
  };
  const eager: PipelineAccount = {
    riskContext: () => ctx,
    stats: () => ({ trades: 0, winRate: 0, payoffRatio: 0 }),
    place: (d, orders) => orders.map((o) => placeOne(d.id, o.leg, o.spec, o.reason)),
  };
  // The texts written out here, not taken from the order plan: the lazy path must give the plan's.
  const account: PipelineAccount = !lazyQuotes
    ? eager
    : {
        ...eager,
        // The backtest's account also hands the ladder its books (read here off ctx, a little off).
        ladderBooks: () => referenceLadderBooks(ctx, c.nudge === 0 ? 1e-13 : -1e-13),
        placeQuotes: (d) =>
          d.intent.kind !== 'quotes'
            ? []
            : d.intent.levels.map((l, leg) =>
                placeOne(
                  d.id,
                  leg,
                  { kind: 'limit', side: l.side, price: l.price, volume: l.volume, postOnly: true },
                  `quote ${l.side} L${leg}: ${reasonOf(d)}`,
                ),
              ),
      };
  const input: PipelineInput = {
    market,
    now: T0,
    signals,
    config,
    rules,
    quotes: q,
    holdings: (strategy) => (strategy === 'market_making' ? numberOf(heldVolume) : 0),
    equity: krw(decimalFromNumber(10_000_000)),
    twoSidedBook: true,
  };
  return { input, account, placed };
}

/** One case: the ladder path against the full pipeline; what it reached is counted in `seen`. */
/**
 * Runs case `c` through the full pipeline, the ladder path, a mixed pipeline and the backtest's
 * `placeQuotes`, and throws unless every answer the ladder gives is the full pipeline's; counts in
 * `seen` what was reached (`risk:…`, `traded:…`, `answered@<market index>`, …).
 */
export function checkLadderCase(
  markets: readonly LadderMarket[],
  c: LadderCase,
  seen: Map<string, number>,
): void {
  const where = `${c.marketIdx}`;
  // The full pipeline first: the ladder records its layers' validation verdicts, which the
  // full pipeline's validation would otherwise reuse for the same objects (they are not).
  const full = build(markets, c);
  const reference = runFullPipeline(full.input, full.account);
  const fast = build(markets, c);
  const quick = ladderResult(fast.input, fast.account);
  if (quick === undefined) {
    invariant(fast.placed.length === 0, 'a declined ladder placed nothing');
    seen.set(`declined@${where}`, (seen.get(`declined@${where}`) ?? 0) + 1);
    seen.set(`full:${c.near}`, (seen.get(`full:${c.near}`) ?? 0) + 1);
    // runDecisionPipeline then offers a quotes decision among others to the ladder at its turn
    // (decision-pipeline's fullPipeline): the full pipeline's result and orders all the same.
    for (const lazyQuotes of [false, true]) {
      const mixed = build(markets, c, lazyQuotes);
      const viaLadder = mixed.account.placeQuotes;
      // Only the ladder places through placeQuotes: counts the cases it answered among others.
      const account: PipelineAccount =
        viaLadder === undefined
          ? mixed.account
          : {
              ...mixed.account,
              placeQuotes: (d, ctx) => {
                seen.set('mixed:ladder', (seen.get('mixed:ladder') ?? 0) + 1);
                return viaLadder(d, ctx);
              },
            };
      const routed = runDecisionPipeline(mixed.input, account);
      invariant(pipelineText(routed) === pipelineText(reference), `mixed: ${pipelineText(routed)}`);
      invariant(mixed.placed.join('\n') === full.placed.join('\n'), 'mixed: the same orders were placed');
    }
    return;
  }
  invariant(
    pipelineText(quick) === pipelineText(reference),
    `${pipelineText(quick)} !== ${pipelineText(reference)}`,
  );
  invariant(fast.placed.join('\n') === full.placed.join('\n'), 'the same orders were placed');
  seen.set(`answered@${where}`, (seen.get(`answered@${where}`) ?? 0) + 1);
  // An account that places quotes without planned orders (the backtest's): the same result,
  // its orders planned when read, and the same orders placed.
  const lazy = build(markets, c, true);
  const viaQuotes = ladderResult(lazy.input, lazy.account);
  if (viaQuotes === undefined) throw new Error('the ladder declined with placeQuotes');
  invariant(pipelineText(viaQuotes) === pipelineText(reference), `placeQuotes: ${pipelineText(viaQuotes)}`);
  invariant(lazy.placed.join('\n') === full.placed.join('\n'), 'placeQuotes placed the same orders');
  const ordersOf = (r: PipelineResult) => JSON.stringify(r.routed.map((d) => [d.orders, d.rejected]));
  invariant(ordersOf(viaQuotes) === ordersOf(reference), 'the orders as read');
  // A caller that reads only the fates (fateOnly, the backtest without an observer): the same
  // orders, refusals and fates, market making's maybe without its decision id (counted).
  const idless = build(markets, c, true);
  const fateOnly = ladderResult({ ...idless.input, fateOnly: true }, idless.account);
  if (fateOnly === undefined) throw new Error('the ladder declined with fateOnly');
  invariant(idless.placed.join('\n') === full.placed.join('\n'), 'fateOnly placed the same orders');
  invariant(ordersOf(fateOnly) === ordersOf(reference), 'fateOnly: the orders as read');
  invariant(fateOnly.refusals.join() === reference.refusals.join(), 'fateOnly: the refusals');
  const fatesOf = (r: PipelineResult) => [...r.fates].map(([k, f]) => `${k}=${fateText(f.fate)}`).join();
  invariant(fatesOf(fateOnly) === fatesOf(reference), `fateOnly: ${fatesOf(fateOnly)}`);
  if (fateOnly.fates.get('market_making')?.decisionId === undefined)
    seen.set('fateOnly:idless', (seen.get('fateOnly:idless') ?? 0) + 1);
  for (const key of quick.refusals) seen.set(key, (seen.get(key) ?? 0) + 1);
  for (const [strategy, f] of quick.fates)
    if (strategy !== 'market_making') seen.set(`view:${fateText(f.fate)}`, 1);
  const fate = quick.fates.get('market_making')?.fate.kind ?? 'none';
  seen.set(`${fate}:${c.near}`, (seen.get(`${fate}:${c.near}`) ?? 0) + 1);
  // runDecisionPipeline takes this path.
  const again = build(markets, c);
  invariant(
    pipelineText(runDecisionPipeline(again.input, again.account)) === pipelineText(quick),
    'pipeline',
  );
}
