import type {
  PipelineAccount,
  PipelineInput,
  QuoteLayerFacts,
} from '../src/domain/ensemble/decision-pipeline';
import { DEFAULT_ENSEMBLE_CONFIG, type EnsembleConfig } from '../src/domain/ensemble/ensemble-config';
import { type PlannedOrderSpec, reasonOf } from '../src/domain/ensemble/order-plan';
import { exactTopOfBook, toQuoteLevels } from '../src/domain/ensemble/quote-levels';
import { quotesOnGrid } from '../src/domain/ensemble/synthetic-book';
import { referenceLadderBooks } from '../src/domain/ensemble/testing/reference-ladder-books';
import { baseCurrency } from '../src/domain/market/market-id';
import { KRW_MARKET_RULES, tickTableFor } from '../src/domain/market/market-rules';
import { type Decimal, decimalFromNumber, ZERO } from '../src/domain/money/decimal';
import { numberOf, unitsOf } from '../src/domain/money/decimal-units';
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
import type { QuoteLevel } from '../src/domain/trading/decision';
import type { Position } from '../src/domain/trading/position';
import { type LadderCase, type LadderMarket, tiny } from './ladder-cases';

/** A case built: the pipeline input, the account, and the texts of the orders the account placed. */
export interface Built {
  readonly input: PipelineInput;
  readonly account: PipelineAccount;
  readonly placed: string[];
}

/**
 * Builds case `c` of ./ladder-cases.ts into a pipeline input and an account: market making's hints
 * around the market's mid, its holding and another strategy's lock, limits one unit either side of
 * the threshold the case aims at (`c.near`), other strategies' views, and an account recording what
 * it is asked to place. `lazyQuotes`: the account also offers `placeQuotes` (the backtest's),
 * recording the same texts.
 */
export function buildLadderCase(markets: readonly LadderMarket[], c: LadderCase, lazyQuotes = false): Built {
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
        placeQuotes: (d, _ctx, facts) => {
          if (d.intent.kind !== 'quotes') return [];
          if (facts !== undefined) factsDescribe(d.intent.levels, facts);
          return d.intent.levels.map((l, leg) =>
            placeOne(
              d.id,
              leg,
              { kind: 'limit', side: l.side, price: l.price, volume: l.volume, postOnly: true },
              `quote ${l.side} L${leg}: ${reasonOf(d)}`,
            ),
          );
        },
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

/**
 * Throws unless `facts` describe the placed decision's `levels` by index, as the backtest's broker
 * reads them (QuoteLayerFacts): each level's doubles and, when given, its integer columns.
 */
function factsDescribe(levels: readonly QuoteLevel[], facts: QuoteLayerFacts): void {
  const c = facts.columns;
  invariant(c === undefined || c.count === levels.length, "the facts' columns: one per level");
  levels.forEach((l, i) => {
    invariant(facts.prices[i] === numberOf(l.price), `the facts' price of level ${i}`);
    invariant(facts.volumes[i] === numberOf(l.volume), `the facts' volume of level ${i}`);
    if (c !== undefined)
      invariant(
        i < c.bids === (l.side === 'bid') &&
          c.won[i] === unitsOf(l.price, 0) &&
          c.units[i] === unitsOf(l.volume, 8),
        `the facts' columns of level ${i}`,
      );
  });
}
