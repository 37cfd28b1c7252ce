/**
 * Test support for the fast-path audits (audit6): runs one backtest twice in fresh module
 * registries, once as shipped and once with the speed work's fast paths switched off where a
 * decimal reference exists behind them, and returns both results' JSON texts.
 *
 * Switched off in the reference run (each is documented as deciding exactly as what it skips):
 * - the ladder path and the no-order path (`ladderResult`, `noOrderResult` answer undefined, so
 *   `runDecisionPipeline` runs the full pipeline: `checkOrders` per layer);
 * - the integer tick grid (`integerTickAt` / `integerTickBelow` answer NaN, so every tick rounding,
 *   step and on-grid test and the quote levels take their decimal steps);
 * - the broker's lazy locks (`LockBook.surelyFits` answers false: every bid's lock is exact);
 * - `fixedDigits` (the signal reason's numbers through `toFixed` itself).
 */
import type { BacktestInput } from '../../../shared/src/backtest/engine/backtest-input';

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
}

const ALL_OFF: Required<FastPathSwitches> = {
  ladder: true,
  noOrder: true,
  integerGrid: true,
  lazyLocks: true,
  fixedDigits: true,
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
    if (off.integerGrid === true)
      jest.doMock(`${ROOT}/domain/market/integer-grid`, () => ({
        integerTickAt: () => Number.NaN,
        integerTickBelow: () => Number.NaN,
      }));
    if (off.fixedDigits === true)
      jest.doMock(`${ROOT}/domain/text/fixed-digits`, () => ({
        fixedDigits: (x: number, digits: 0 | 1 | 2) => x.toFixed(digits),
      }));
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
    'domain/market/integer-grid',
    'domain/text/fixed-digits',
  ])
    jest.dontMock(`${ROOT}/${path}`);
  if (engine === undefined) throw new Error('runBacktest did not load');
  return engine;
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
