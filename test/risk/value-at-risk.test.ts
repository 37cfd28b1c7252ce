import type { Market } from '../../shared/src/domain/market/market-id';
import { krw, price, volume } from '../../shared/src/domain/money/quantities';
import { riskReport } from '../../shared/src/domain/risk/risk-report';
import {
  correlationMatrix,
  historicalVar,
  inverseNormalCdf,
  meanAndStdev,
  normalPdf,
  parametricVar,
  portfolioHistoricalVar,
  portfolioParametricVar,
  simpleReturns,
} from '../../shared/src/domain/risk/value-at-risk';
import type { EpochMs } from '../../shared/src/domain/time/epoch';
import type { Position } from '../../shared/src/domain/trading/position';

// Hand computation for the 4-period series A = [+1 %, −1 %, +2 %, −2 %]:
//   mean 0; Σ(r − mean)² = 0.0001 + 0.0001 + 0.0004 + 0.0004 = 0.001; σ = √(0.001 / 3) = 0.0182574185835…
//   z(95 %) = Φ⁻¹(0.95) = 1.6448536269514722, φ(z) = 0.1031356403753713
//   parametric VaR = zσ − μ = 0.0300307811758…, ES = σ·φ(z)/0.05 − μ = 0.0376598111442…
const A = [0.01, -0.01, 0.02, -0.02];
const SIGMA_A = 0.018257418583505537;
const Z95 = 1.6448536269514722;

describe('value at risk (hand-computed)', () => {
  it('inverse normal and density match the textbook 95 % constants', () => {
    expect(inverseNormalCdf(0.95)).toBeCloseTo(Z95, 8);
    expect(inverseNormalCdf(0.05)).toBeCloseTo(-Z95, 8);
    expect(inverseNormalCdf(0.99)).toBeCloseTo(2.3263478740408408, 8);
    expect(normalPdf(Z95)).toBeCloseTo(0.1031356403753713, 12);
  });

  it('historical VaR and ES: k = ⌈n·5 %⌉ smallest returns, no interpolation', () => {
    // 40 returns: two tail losses (−6 %, −4 %) and 38 small moves; k = ⌈40 × 0.05⌉ = 2.
    const returns = [-0.06, -0.04, ...Array.from({ length: 38 }, (_, i) => (i % 2 === 0 ? 0.01 : -0.01))];
    const r = historicalVar(returns);
    expect(r.var).toBeCloseTo(0.04, 15); // 2nd smallest
    expect(r.es).toBeCloseTo(0.05, 15); // mean of (−6 %, −4 %)
    // 20 returns: k = 1 (20 × 0.05 = 1.0000000000000009 in float64 must still be 1).
    const twenty = [-0.03, ...Array.from({ length: 19 }, () => 0.001)];
    expect(historicalVar(twenty)).toEqual({ var: 0.03, es: 0.03 });
  });

  it('parametric VaR and ES of A, and with a non-zero mean', () => {
    const { mean, stdev } = meanAndStdev(A);
    expect(mean).toBeCloseTo(0, 15);
    expect(stdev).toBeCloseTo(SIGMA_A, 15);
    const r = parametricVar(mean, stdev);
    expect(r.var).toBeCloseTo(0.030030781175850292, 9);
    expect(r.es).toBeCloseTo(0.037659811144220984, 9);
    // A + 2 %: same σ, μ = 0.02 → VaR = 0.0300308 − 0.02.
    const shifted = meanAndStdev(A.map((x) => x + 0.02));
    expect(parametricVar(shifted.mean, shifted.stdev).var).toBeCloseTo(0.010030781175850292, 9);
  });

  it('simple returns of a price path', () => {
    const r = simpleReturns([100, 110, 99]);
    expect(r[0]).toBeCloseTo(0.1, 15);
    expect(r[1]).toBeCloseTo(-0.1, 15);
  });

  // KRW values to 0.01: Φ⁻¹ is Acklam's approximation (relative error < 1.15e-9, i.e. ~0.0002 KRW here).
  it('portfolio parametric VaR: ρ = +1 adds up, ρ = 0 adds in quadrature, ρ = −1 hedges', () => {
    // Values 1,000,000 and 2,000,000 KRW.
    // ρ = +1 (B = 2A, σ_B = 2σ_A): σ_p = 1e6·σ_A + 2e6·2σ_A = 5e6·σ_A → VaR = z·5e6·σ_A = 150,153.906.
    const plus = portfolioParametricVar([
      { market: 'KRW-A', value: 1_000_000, returns: A },
      { market: 'KRW-B', value: 2_000_000, returns: A.map((x) => 2 * x) },
    ]);
    expect(plus.correlation?.[0]?.[1]).toBeCloseTo(1, 12);
    expect(plus.portfolio.var).toBeCloseTo(150153.90587925146, 2);
    expect(plus.positions.map((p) => p.var)).toEqual([
      expect.closeTo(30030.78117585029, 2),
      expect.closeTo(120123.12470340116, 2),
    ]);
    // ρ = 0 (orthogonal ±1 % series, σ = √(0.0004/3)): σ_p = σ·√(1e12 + 4e12) → VaR = 42,469.938.
    const zero = portfolioParametricVar([
      { market: 'KRW-A', value: 1_000_000, returns: [0.01, -0.01, 0.01, -0.01] },
      { market: 'KRW-B', value: 2_000_000, returns: [0.01, 0.01, -0.01, -0.01] },
    ]);
    expect(zero.correlation?.[0]?.[1]).toBeCloseTo(0, 12);
    expect(zero.portfolio.var).toBeCloseTo(42469.93802754613, 2);
    // ρ = −1 (B = −2A): σ_p = |1e6·σ_A − 4e6·σ_A| = 3e6·σ_A → VaR = 90,092.344.
    const minus = portfolioParametricVar([
      { market: 'KRW-A', value: 1_000_000, returns: A },
      { market: 'KRW-B', value: 2_000_000, returns: A.map((x) => -2 * x) },
    ]);
    expect(minus.portfolio.var).toBeCloseTo(90092.34352755088, 2);
  });

  it('correlation matrix of a hand-checked pair', () => {
    // B = [−2 %, +1 %, −1 %, +3 %], mean 0.25 %; Σ dA·dB = −0.0011; Σ dB² = 0.001475; Σ dA² = 0.001.
    // ρ = −0.0011 / √(0.001 × 0.001475) = −0.905725666…
    const m = correlationMatrix([A, [-0.02, 0.01, -0.01, 0.03]]);
    expect(m[0]?.[0]).toBe(1);
    expect(m[0]?.[1]).toBeCloseTo(-0.9057256665518801, 12);
    expect(m[1]?.[0]).toBeCloseTo(-0.9057256665518801, 12);
  });

  it('portfolio historical VaR revalues today’s holdings under each past period', () => {
    // P&L_t = 1e6·A_t + 2e6·B_t = [−30,000, +10,000, 0, +40,000] → k = 1 → VaR = ES = 30,000.
    const r = portfolioHistoricalVar([
      { market: 'KRW-A', value: 1_000_000, returns: A },
      { market: 'KRW-B', value: 2_000_000, returns: [-0.02, 0.01, -0.01, 0.03] },
    ]);
    expect(r.portfolio.var).toBeCloseTo(30000, 6);
    expect(r.portfolio.es).toBeCloseTo(30000, 6);
    expect(r.positions[0]?.var).toBeCloseTo(20000, 6); // worst A return −2 % × 1e6
    expect(r.positions[1]?.var).toBeCloseTo(40000, 6); // worst B return −2 % × 2e6
  });

  it('empty portfolios and bad confidence levels', () => {
    expect(portfolioParametricVar([]).portfolio).toEqual({ var: 0, es: 0 });
    expect(() => historicalVar([0.01], 1)).toThrow(RangeError);
    expect(() => historicalVar([])).toThrow(RangeError);
  });
});

describe('riskReport (exposure + VaR of the current book)', () => {
  it('weights each market by volume × mark and aligns the close series', () => {
    const pos = (market: string, vol: string, cost: string): Position => ({
      market: market as Market,
      strategy: 'stat_arb',
      volume: volume(vol),
      cost: krw(cost),
      realizedPnl: krw('0'),
      feesPaid: krw('0'),
      updatedAt: 0 as EpochMs,
      version: 1,
    });
    // Closes whose returns are A (1,000,000 KRW held) and 2A (2,000,000 KRW held): ρ = +1 as above.
    const closesA = [100, 101, 99.99, 101.9898, 99.950004];
    const closesB = [50, 51, 49.98, 51.9792, 49.900032];
    const report = riskReport(
      [pos('KRW-AAA', '10000', '990000'), pos('KRW-BBB', '40000', '2010000'), pos('KRW-CCC', '1', '10000')],
      [],
      new Map([
        ['KRW-AAA' as Market, price('100')],
        ['KRW-BBB' as Market, price('50')],
      ]),
      new Map([
        ['KRW-AAA' as Market, [1, 2, 3, ...closesA]], // longer history is cut to the common length
        ['KRW-BBB' as Market, closesB],
      ]),
    );
    expect(report.exposure.total).toBe(3_010_000);
    expect(report.exposure.byMarket).toEqual({ 'KRW-AAA': 990000, 'KRW-BBB': 2010000, 'KRW-CCC': 10000 });
    expect(report.marketValue).toEqual({ 'KRW-AAA': 1_000_000, 'KRW-BBB': 2_000_000 });
    expect(report.unmeasured).toEqual(['KRW-CCC']);
    expect(report.parametric.portfolio.var).toBeCloseTo(150153.906, 1);
    expect(report.historical.portfolio.var).toBeCloseTo(100000, 2); // worst joint return: −2 % on 1e6 + −4 % on 2e6
  });
});
