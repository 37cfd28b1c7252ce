/**
 * Test support for the fast-path audits (audit6): runs one backtest twice in fresh module
 * registries, once as shipped and once with the speed work's fast paths switched off where a
 * decimal reference exists behind them, and returns both results' JSON texts.
 *
 * Switched off in the reference run (each is documented as deciding exactly as what it skips):
 * - the ladder path and the no-order path (`ladderResult`, `noOrderResult` and the mixed path's
 *   `mixedResult` answer undefined, so `runDecisionPipeline` runs the full pipeline: `checkOrders`
 *   per layer);
 * - the integer tick grid (`integerTickAt` / `integerTickBelow` answer NaN, so every tick rounding,
 *   step and on-grid test and the quote levels take their decimal steps);
 * - the broker's lazy locks (`LockBook.surelyFits` answers false: every bid's lock is exact);
 * - `fixedDigits` (the signal reason's numbers through `toFixed` itself);
 * - the exact-arithmetic helpers (sums, products, comparisons, floors, quotients, `numberOf`,
 *   `fixedText`, `toIsoUtc`), replaced by the decimal.js expressions they claim to equal.
 */
import type { SimulatedBroker } from '../../../shared/src/backtest/broker/simulated-broker';
import type { BacktestInput } from '../../../shared/src/backtest/engine/backtest-input';
import type { MarkBook } from '../../../shared/src/backtest/engine/mark-book';
import type { ExposureBook } from '../../../shared/src/domain/risk/exposure';
import type { RiskLimits } from '../../../shared/src/domain/risk/risk-limits';
import type { ContextFor } from '../../../shared/src/domain/strategies/strategy-step';

type RunBacktest = (input: BacktestInput) => Promise<unknown>;

/** Constructors from the registry the engine runs in (decimal.js is loaded once per registry). */
export interface EngineLib {
  readonly Decimal: typeof import('../../../shared/src/domain/money/decimal').Decimal;
  readonly krw: typeof import('../../../shared/src/domain/money/quantities').krw;
  readonly DEFAULT_RISK_LIMITS: typeof import('../../../shared/src/domain/risk/risk-limits').DEFAULT_RISK_LIMITS;
}

interface Engine {
  readonly run: RunBacktest;
  readonly lib: EngineLib;
}

export interface FastPathSwitches {
  readonly ladder?: boolean;
  readonly noOrder?: boolean;
  readonly integerGrid?: boolean;
  readonly lazyLocks?: boolean;
  readonly fixedDigits?: boolean;
  /**
   * The exact-arithmetic helpers replaced by the decimal.js expressions they are documented to
   * equal: sums, products, comparisons, floors, quotients, texts, doubles (`numberOf`: `toNumber`
   * with +0 for −0), `toIsoUtc`. `unitsOf` and the word products stay: they are gates whose own
   * audits compare them with BigInt.
   */
  readonly arithmetic?: boolean;
  /**
   * The engine's remembered answers recomputed every time: limit-facts' ring (totals, locks,
   * accepted verdicts), the strategies' contexts and PnL doubles (so the step curves are fed on
   * every step too), and a bid's lock as total + total × fee instead of one word product.
   */
  readonly caches?: boolean;
}

const ALL_OFF: Required<FastPathSwitches> = {
  ladder: true,
  noOrder: true,
  integerGrid: true,
  lazyLocks: true,
  fixedDigits: true,
  arithmetic: true,
  caches: true,
};

const ROOT = '../../../shared/src';

/** `runBacktest` from a fresh registry, with the fast paths named in `off` switched off. */
function loadEngine(off: FastPathSwitches): Engine {
  let engine: Engine | undefined;
  jest.isolateModules(() => {
    if (off.ladder === true)
      jest.doMock(`${ROOT}/domain/ensemble/ladder-path`, () => ({ ladderResult: () => undefined }));
    if (off.noOrder === true)
      jest.doMock(`${ROOT}/domain/ensemble/no-order-path`, () => ({
        ...jest.requireActual(`${ROOT}/domain/ensemble/no-order-path`),
        noOrderResult: () => undefined,
      }));
    if (off.noOrder === true)
      jest.doMock(`${ROOT}/domain/ensemble/mixed-path`, () => ({ mixedResult: () => undefined }));
    if (off.integerGrid === true)
      jest.doMock(`${ROOT}/domain/market/integer-grid`, () => ({
        integerTickAt: () => Number.NaN,
        integerTickBelow: () => Number.NaN,
        integerBandAt: () => undefined,
      }));
    if (off.fixedDigits === true)
      jest.doMock(`${ROOT}/domain/text/fixed-digits`, () => ({
        fixedDigits: (x: number, digits: 0 | 1 | 2) => x.toFixed(digits),
      }));
    if (off.arithmetic === true) mockArithmetic();
    if (off.caches === true) mockCaches();
    if (off.lazyLocks === true) {
      const lockBook = require(`${ROOT}/backtest/broker/lock-book`) as {
        LockBook: { prototype: { surelyFits: () => boolean } };
      };
      lockBook.LockBook.prototype.surelyFits = () => false;
    }
    engine = {
      run: (require(`${ROOT}/backtest/engine/run-backtest`) as { runBacktest: RunBacktest }).runBacktest,
      lib: {
        Decimal: require(`${ROOT}/domain/money/decimal`).Decimal,
        krw: require(`${ROOT}/domain/money/quantities`).krw,
        DEFAULT_RISK_LIMITS: require(`${ROOT}/domain/risk/risk-limits`).DEFAULT_RISK_LIMITS,
      },
    };
  });
  for (const path of [
    'domain/ensemble/ladder-path',
    'domain/ensemble/no-order-path',
    'domain/ensemble/mixed-path',
    'domain/market/integer-grid',
    'domain/text/fixed-digits',
    ...ARITHMETIC,
    ...CACHES,
  ])
    jest.dontMock(`${ROOT}/${path}`);
  if (engine === undefined) throw new Error('runBacktest did not load');
  return engine;
}

const ARITHMETIC = [
  'domain/money/decimal-sums',
  'domain/money/decimal-units',
  'domain/money/decimal-quotients',
  'domain/money/decimal-text',
  'domain/money/decimal-compare',
  'domain/money/decimal-floors',
  'domain/time/epoch',
];

type D = import('../../../shared/src/domain/money/decimal').Decimal;

/** The definitions the fast helpers claim to equal (see FastPathSwitches.arithmetic). */
function mockArithmetic(): void {
  const decimalOf = () =>
    jest.requireActual(
      `${ROOT}/domain/money/decimal`,
    ) as typeof import('../../../shared/src/domain/money/decimal');
  jest.doMock(`${ROOT}/domain/money/decimal-sums`, () => ({
    ...jest.requireActual(`${ROOT}/domain/money/decimal-sums`),
    sumOf: (x: D, y: D) => x.plus(y),
    differenceOf: (x: D, y: D) => x.minus(y),
    sumOfUnits: (x: D, units: number, scale: number) =>
      x.plus(new (decimalOf().Decimal)(`${units}e-${scale}`)),
  }));
  jest.doMock(`${ROOT}/domain/money/decimal-units`, () => ({
    ...jest.requireActual(`${ROOT}/domain/money/decimal-units`),
    productOf: (x: D, y: D) => x.times(y),
    numberOf: (x: D) => (x.isZero() ? 0 : x.toNumber()),
    decimalOfUnits: (units: number, scale: number) => new (decimalOf().Decimal)(`${units}e-${scale}`),
  }));
  jest.doMock(`${ROOT}/domain/money/decimal-quotients`, () => ({
    quotientNumber: (x: D, y: D) => {
      const q = x.div(y);
      return q.isZero() ? 0 : q.toNumber();
    },
    shortQuotient: (x: D, y: D) => x.div(y),
  }));
  jest.doMock(`${ROOT}/domain/money/decimal-text`, () => ({ fixedText: (x: D) => x.toFixed() }));
  jest.doMock(`${ROOT}/domain/money/decimal-compare`, () => ({
    compareDecimals: (x: D, y: D) => x.cmp(y),
    decimalGt: (x: D, y: D) => x.gt(y),
    decimalLt: (x: D, y: D) => x.lt(y),
    decimalGte: (x: D, y: D) => x.gte(y),
    decimalLte: (x: D, y: D) => x.lte(y),
    sumExceeds: (a: D, b: D, limit: D) => a.plus(b).gt(limit),
    shortfallReaches: (a: D, b: D, limit: D) => a.minus(b).div(a).gte(limit),
    decimalIsZero: (x: D) => x.isZero(),
  }));
  jest.doMock(`${ROOT}/domain/money/decimal-floors`, () => {
    const { Decimal, decimalFromNumber } = decimalOf();
    return {
      ...jest.requireActual(`${ROOT}/domain/money/decimal-floors`),
      floorOfProduct: (x: number, n: number) =>
        new Decimal(x).times(n).toDecimalPlaces(0, Decimal.ROUND_FLOOR),
      floorOfDecimalTimes: (x: D, f: number) =>
        x.times(decimalFromNumber(f)).toDecimalPlaces(0, Decimal.ROUND_FLOOR),
      floorOfQuotient: (x: D, y: D, places: number) => x.div(y).toDecimalPlaces(places, Decimal.ROUND_DOWN),
      floorOfNumberOver: () => undefined,
      floorUnitsOfNumberOver: () => undefined,
    };
  });
  jest.doMock(`${ROOT}/domain/time/epoch`, () => ({
    ...jest.requireActual(`${ROOT}/domain/time/epoch`),
    toIsoUtc: (at: number) => new Date(at).toISOString(),
  }));
}

const CACHES = [
  'domain/orders/limit-facts',
  'domain/market/market-rules',
  'backtest/engine/strategy-contexts',
  'backtest/engine/strategy-pnl',
];

/** Recomputed answers instead of remembered ones (see FastPathSwitches.caches). */
function mockCaches(): void {
  type Units = typeof import('../../../shared/src/domain/money/decimal-units');
  type Rules = import('../../../shared/src/domain/market/market-rules').MarketRules;
  jest.doMock(`${ROOT}/domain/market/market-rules`, () => ({
    ...jest.requireActual(`${ROOT}/domain/market/market-rules`),
    lockWithTakerFee: (total: D, rules: Rules) => total.plus(total.times(rules.takerFee)),
  }));
  jest.doMock(`${ROOT}/domain/orders/limit-facts`, () => {
    const units = require(`${ROOT}/domain/money/decimal-units`) as Units;
    const rules = require(`${ROOT}/domain/market/market-rules`) as {
      lockWithTakerFee: (total: D, r: Rules) => D;
    };
    return {
      limitTotal: (p: D, v: D) => units.productOf(p, v),
      limitLock: (p: D, v: D, r: Rules) => rules.lockWithTakerFee(units.productOf(p, v), r),
      wasAccepted: () => false,
      rememberAccepted: () => undefined,
      rememberAcceptedNew: () => undefined,
    };
  });
  jest.doMock(`${ROOT}/backtest/engine/strategy-contexts`, () => {
    const { strategyContext } = require(
      `${ROOT}/domain/strategies/strategy-step`,
    ) as typeof import('../../../shared/src/domain/strategies/strategy-step');
    return {
      StrategyContexts: class {
        readonly contextFor: ContextFor;
        constructor(broker: SimulatedBroker, limits: RiskLimits, exposureBook: () => ExposureBook) {
          this.contextFor = (s, market, at) =>
            strategyContext(broker.positionOf(market, s.name, at), exposureBook(), limits, s.name, at);
        }
      },
    };
  });
  jest.doMock(`${ROOT}/backtest/engine/strategy-pnl`, () => {
    const units = require(`${ROOT}/domain/money/decimal-units`) as Units;
    const { ZERO } = require(`${ROOT}/domain/money/decimal`) as { ZERO: D };
    return {
      // The step bookkeeping's OwnerPnl on top of the reference map: a slot per owner in the order
      // owners appeared, and a version that moves whenever the map differs from the last one.
      StrategyPnl: class {
        version = 0;
        private latest = new Map<string, number>();
        private readonly owners: string[] = [];
        constructor(
          private readonly broker: SimulatedBroker,
          private readonly book: MarkBook,
        ) {}
        refresh(): void {
          const next = this.current();
          const same =
            next.size === this.latest.size &&
            [...next].every(([k, v]) => this.latest.has(k) && Object.is(this.latest.get(k), v));
          if (!same) this.version += 1;
          this.latest = next;
          for (const k of next.keys()) if (!this.owners.includes(k)) this.owners.push(k);
        }
        get ownerCount(): number {
          return this.owners.length;
        }
        slotIndex(owner: string): number {
          return this.owners.indexOf(owner);
        }
        valueOr0(slot: number): number {
          return this.latest.get(this.owners[slot] as string) ?? 0;
        }
        current(): Map<string, number> {
          const out = new Map<string, number>();
          for (const p of this.broker.allPositions()) {
            const mark = p.volume.isZero() ? undefined : this.book.price(p.market);
            const held = mark === undefined ? ZERO : p.volume.times(mark).minus(p.cost);
            out.set(p.strategy, (out.get(p.strategy) ?? 0) + units.numberOf(p.realizedPnl.plus(held)));
          }
          return out;
        }
      },
    };
  });
}

let cached: { fast: Engine; reference: Engine; key: string } | undefined;

/** The same input through the shipped engine and the reference engine, as JSON texts. */
export async function fastAndReference(
  makeInput: (lib: EngineLib) => BacktestInput,
  off: FastPathSwitches = ALL_OFF,
): Promise<{ fast: string; reference: string }> {
  const key = JSON.stringify(off);
  if (cached === undefined || cached.key !== key)
    cached = { fast: loadEngine({}), reference: loadEngine(off), key };
  const fast = JSON.stringify(await cached.fast.run(makeInput(cached.fast.lib)));
  const reference = JSON.stringify(await cached.reference.run(makeInput(cached.reference.lib)));
  return { fast, reference };
}

/** The first place two texts differ, with some context either side (for failure messages). */
export function firstDifference(a: string, b: string, context = 300): string {
  let i = 0;
  while (i < a.length && i < b.length && a[i] === b[i]) i += 1;
  if (i === a.length && i === b.length) return 'identical';
  return `at ${i}:\n  fast: …${a.slice(Math.max(0, i - context), i + context)}…\n  ref:  …${b.slice(Math.max(0, i - context), i + context)}…`;
}
