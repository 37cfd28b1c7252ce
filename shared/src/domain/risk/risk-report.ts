import type { Market } from '../market/market-id';
import type { Price } from '../money/quantities';
import type { Position } from '../trading/position';
import { type Commitment, exposureBook } from './exposure';
import {
  type HeldExposure,
  type PortfolioRisk,
  portfolioHistoricalVar,
  portfolioParametricVar,
  simpleReturns,
} from './value-at-risk';

/** Risk measures of the current book, in KRW (float64: for reports and the dashboard, not for orders). */
export interface RiskReport {
  /** Committed KRW (cost of holdings + locked by bids), as the hard limits see it. */
  readonly exposure: {
    readonly total: number;
    readonly byMarket: Readonly<Record<string, number>>;
    readonly byStrategy: Readonly<Record<string, number>>;
  };
  /** Mark value of holdings per market (volume × mark), the weights of the VaR. */
  readonly marketValue: Readonly<Record<string, number>>;
  readonly historical: PortfolioRisk;
  readonly parametric: PortfolioRisk;
  /** Held markets left out of VaR for lack of a mark or of enough aligned history. */
  readonly unmeasured: readonly Market[];
}

function toRecord<K extends string>(map: ReadonlyMap<K, { toNumber(): number }>): Record<string, number> {
  const out: Record<string, number> = {};
  for (const [k, v] of map) out[k] = v.toNumber();
  return out;
}

/**
 * One call for the dashboard and the daily report: exposure per market and strategy, plus VaR and
 * expected shortfall (historical and parametric, per position and for the portfolio with the
 * correlation matrix of the held markets) at `confidence`. `closes` are aligned close prices per
 * market, oldest first (e.g. the last 24 hourly closes); the horizon of the VaR is their spacing. All
 * series are cut to the shortest common length so returns line up period by period.
 */
export function riskReport(
  positions: readonly Position[],
  commitments: readonly Commitment[],
  marks: ReadonlyMap<Market, Price>,
  closes: ReadonlyMap<Market, readonly number[]>,
  confidence = 0.95,
): RiskReport {
  const book = exposureBook(positions, commitments);
  const value = new Map<Market, number>();
  const unmeasured = new Set<Market>();
  for (const p of positions) {
    if (p.volume.isZero()) continue;
    const mark = marks.get(p.market);
    if (mark === undefined) {
      unmeasured.add(p.market);
      continue;
    }
    value.set(p.market, (value.get(p.market) ?? 0) + p.volume.times(mark).toNumber());
  }
  const measurable = [...value.keys()].filter((m) => (closes.get(m)?.length ?? 0) >= 3);
  for (const m of value.keys()) if (!measurable.includes(m)) unmeasured.add(m);
  const len = Math.min(...measurable.map((m) => (closes.get(m) as readonly number[]).length));
  const held: HeldExposure[] = measurable.map((m) => ({
    market: m,
    value: value.get(m) as number,
    returns: simpleReturns((closes.get(m) as readonly number[]).slice(-len)),
  }));
  const marketValue: Record<string, number> = {};
  for (const [m, v] of value) marketValue[m] = v;
  return {
    exposure: {
      total: book.total.toNumber(),
      byMarket: toRecord(book.byMarket),
      byStrategy: toRecord(book.byStrategy),
    },
    marketValue,
    historical: portfolioHistoricalVar(held, confidence),
    parametric: portfolioParametricVar(held, confidence),
    unmeasured: [...unmeasured],
  };
}
