import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import fc from 'fast-check';
import { adfuller } from './adf';
import { engleGranger } from './engle-granger';
import { type AdfRegression, mackinnoncrit, mackinnonp } from './mackinnon';
import { normalCdf, normalPdf } from './normal-cdf';
import { ols, RegressionError } from './ols';
import { fitOrnsteinUhlenbeck } from './ornstein-uhlenbeck';

// Reference values from statsmodels 0.13.5; command in test/fixtures/stats/make-reference.py and
// test/fixtures/README.md. Tolerances: statistics and coefficients 1e-6 relative (QR vs statsmodels'
// pinv differ only in the last digits), p-values 1e-4 absolute+relative.
const FIXTURES = join(__dirname, '..', '..', '..', '..', 'test', 'fixtures', 'stats');
const load = <T>(name: string): T => JSON.parse(readFileSync(join(FIXTURES, name), 'utf8')) as T;

interface AdfRef {
  statistic: number;
  pValue: number;
  usedLag: number;
  nobs: number;
  critical: Record<'1%' | '5%' | '10%', number>;
  icBest?: number;
}
interface CointRef {
  statistic: number;
  pValue: number;
  critical: [number, number, number];
  beta: number;
  alpha: number;
}
interface Reference {
  adfuller: Record<string, AdfRef>;
  coint: Record<string, CointRef>;
  ar1: { syntheticOu: { a: number; b: number; ssr: number } };
  mackinnonp: { stat: number; regression: AdfRegression; N: number; p: number }[];
  mackinnoncrit: { N: number; regression: AdfRegression; nobs: number; crit: [number, number, number] }[];
}
interface Synthetic {
  x: number[];
  y: number[];
  ou: number[];
  walkA: number[];
  walkB: number[];
  ar3: number[];
}

const ref = load<Reference>('stats-reference.json');
const synth = load<Synthetic>('synthetic-pairs.json');
const pair = load<{ btc: number[]; eth: number[] }>('btc-eth-daily-bitstamp.json');
const logBtc = pair.btc.map(Math.log);
const logEth = pair.eth.map(Math.log);
const diff = (v: number[]) => v.slice(1).map((x, i) => x - (v[i] as number));

function expectRel(actual: number, expected: number, rel: number): void {
  expect(Math.abs(actual - expected)).toBeLessThanOrEqual(rel * Math.max(1, Math.abs(expected)));
}
function expectP(actual: number, expected: number): void {
  expect(Math.abs(actual - expected)).toBeLessThanOrEqual(1e-4 * Math.max(1e-12, Math.abs(expected)) + 1e-12);
}
function expectAdf(actual: ReturnType<typeof adfuller>, expected: AdfRef): void {
  expect(actual.usedLag).toBe(expected.usedLag);
  expect(actual.nobs).toBe(expected.nobs);
  expectRel(actual.statistic, expected.statistic, 1e-6);
  expectP(actual.pValue, expected.pValue);
  for (const level of ['1%', '5%', '10%'] as const)
    expectRel(actual.critical[level], expected.critical[level], 1e-9);
  if (expected.icBest !== undefined) expectRel(actual.icBest as number, expected.icBest, 1e-6);
}

describe('normalCdf', () => {
  it('matches scipy.stats.norm.cdf in the body and far tails', () => {
    const cases: [number, number][] = [
      [-10, 7.61985302416047e-24],
      [-5, 2.866515718791933e-7],
      [-3, 0.0013498980316300933],
      [-1.5, 0.06680720126885807],
      [0.7, 0.758036347776927],
      [4, 0.9999683287581669],
    ];
    for (const [x, p] of cases) expect(Math.abs(normalCdf(x) - p) / p).toBeLessThan(1e-12);
    expect(normalCdf(0)).toBe(0.5);
  });

  it("gives the former series stop rule's doubles bit for bit (the body, |x| < 3)", () => {
    // The series as it was summed before the early stop: to |term| < 1e-17·|sum|.
    const former = (x: number): number => {
      const x2 = x * x;
      let term = x;
      let sum = x;
      for (let n = 1; n < 500; n++) {
        term *= x2 / (2 * n + 1);
        sum += term;
        if (Math.abs(term) < 1e-17 * Math.abs(sum)) break;
      }
      return 0.5 + normalPdf(x) * sum;
    };
    const body = fc.oneof(
      fc.double({ min: -2.9999999999, max: 2.9999999999, noNaN: true }),
      fc.double({ min: -1e-3, max: 1e-3, noNaN: true }),
      fc.integer({ min: -299_999, max: 299_999 }).map((k) => k / 1e5),
      fc.constantFrom(0, -0, 1, -1, 2, -2, 2.9999999999999996, -2.9999999999999996, 5e-324, -5e-324),
    );
    fc.assert(
      fc.property(body, (x) => Object.is(normalCdf(x), former(x))),
      { numRuns: 20_000 },
    );
  });
});

describe('ols', () => {
  it('recovers exact coefficients of a noiseless line and reports zero residuals', () => {
    const x = [1, 2, 3, 4, 5, 6];
    const fit = ols(
      x.map((v) => 3 - 2 * v),
      [x, x.map(() => 1)],
    );
    expect(fit.params[0]).toBeCloseTo(-2, 12);
    expect(fit.params[1]).toBeCloseTo(3, 12);
    expect(fit.ssr).toBeLessThan(1e-20);
  });

  it('computes textbook standard errors for a hand-checkable regression', () => {
    // y = [1,3,2,5,4] on [1, x=1..5]: β = 0.8, α = 0.6, SSR = 3.6, se(β) = √(1.2/10).
    const fit = ols(
      [1, 3, 2, 5, 4],
      [
        [1, 2, 3, 4, 5],
        [1, 1, 1, 1, 1],
      ],
    );
    expect(fit.params[0]).toBeCloseTo(0.8, 12);
    expect(fit.params[1]).toBeCloseTo(0.6, 12);
    expect(fit.ssr).toBeCloseTo(3.6, 12);
    expect(fit.bse[0]).toBeCloseTo(Math.sqrt(1.2 / 10), 12);
  });

  it('refuses collinear regressors and too few observations with a clear error', () => {
    expect(() =>
      ols(
        [1, 2, 3, 4],
        [
          [1, 2, 3, 4],
          [2, 4, 6, 8],
        ],
      ),
    ).toThrow(RegressionError);
    expect(() =>
      ols(
        [1, 2],
        [
          [1, 2],
          [1, 1],
        ],
      ),
    ).toThrow(/more observations/);
  });
});

describe('mackinnonp / mackinnoncrit agree with statsmodels', () => {
  it.each(ref.mackinnonp)('p($stat, $regression, N=$N)', ({ stat, regression, N, p }) => {
    expectP(mackinnonp(stat, regression, N), p);
  });
  it.each(ref.mackinnoncrit)('crit(N=$N, $regression, nobs=$nobs)', ({ N, regression, nobs, crit }) => {
    const c = mackinnoncrit(N, regression, nobs);
    expectRel(c['1%'], crit[0], 1e-9);
    expectRel(c['5%'], crit[1], 1e-9);
    expectRel(c['10%'], crit[2], 1e-9);
  });
  it('refuses N outside the transcribed tables', () => {
    expect(() => mackinnonp(-3, 'c', 7)).toThrow(/N = 1..6/);
    expect(() => mackinnoncrit(2, 'n')).toThrow(/N = 1..1/);
  });
});

describe('adfuller agrees with statsmodels adfuller (autolag=AIC)', () => {
  const cases: [string, number[], AdfRegression][] = [
    ['logBtc', logBtc, 'c'],
    ['logEth', logEth, 'c'],
    ['diffLogBtc', diff(logBtc), 'c'],
    ['syntheticOu', synth.ou, 'c'],
    ['syntheticOuNoConstant', synth.ou, 'n'],
    ['syntheticX', synth.x, 'c'],
    ['syntheticAr3', synth.ar3, 'c'],
    ['syntheticAr3NoConstant', synth.ar3, 'n'],
  ];
  it.each(cases)('%s', (name, series, regression) => {
    expectAdf(adfuller(series, { regression }), ref.adfuller[name] as AdfRef);
  });
  it('with a fixed lag (autolag=None, maxlag=3)', () => {
    expectAdf(adfuller(logBtc, { maxLag: 3, autolag: 'none' }), ref.adfuller.logBtcFixedLag3 as AdfRef);
  });
  it('the AIC search really selects a lag > 0 when the dynamics need it', () => {
    expect(adfuller(synth.ar3).usedLag).toBe(3);
  });
  it('refuses non-finite input and a too-short series', () => {
    expect(() => adfuller([1, 2, Number.NaN, 4, 5, 6])).toThrow(/x\[2\]/);
    expect(() => adfuller([1, 2, 3])).toThrow(/too few/);
  });
});

describe('engleGranger agrees with statsmodels coint', () => {
  const cases: [string, number[], number[]][] = [
    ['logEthOnLogBtc', logEth, logBtc],
    ['syntheticYOnX', synth.y, synth.x],
    ['walkAOnWalkB', synth.walkA, synth.walkB],
  ];
  it.each(cases)('%s', (name, y, x) => {
    const expected = ref.coint[name] as CointRef;
    const result = engleGranger(y, x);
    expectRel(result.statistic, expected.statistic, 1e-6);
    expectP(result.pValue, expected.pValue);
    expectRel(result.critical['1%'], expected.critical[0], 1e-9);
    expectRel(result.critical['5%'], expected.critical[1], 1e-9);
    expectRel(result.critical['10%'], expected.critical[2], 1e-9);
    expectRel(result.beta, expected.beta, 1e-9);
    expectRel(result.alpha, expected.alpha, 1e-9);
  });
  it('accepts the cointegrated synthetic pair and rejects the independent walks at 5 %', () => {
    expect(engleGranger(synth.y, synth.x).pValue).toBeLessThan(0.05);
    expect(engleGranger(synth.walkA, synth.walkB).pValue).toBeGreaterThan(0.05);
  });
  it('reports perfectly collinear series as cointegrated without running the ADF (statsmodels edge case)', () => {
    const x = synth.x.slice(0, 100);
    const r = engleGranger(
      x.map((v) => 2 * v + 1),
      x,
    );
    expect(r.statistic).toBe(Number.NEGATIVE_INFINITY);
    expect(r.beta).toBeCloseTo(2, 10);
  });
});

describe('fitOrnsteinUhlenbeck', () => {
  it('matches the AR(1) OLS reference and maps it to θ, μ, σ and half-life', () => {
    const { a, b, ssr } = ref.ar1.syntheticOu;
    const fit = fitOrnsteinUhlenbeck(synth.ou);
    expectRel(fit.ar1, b, 1e-9);
    expectRel(fit.theta, -Math.log(b), 1e-9);
    expectRel(fit.mu, a / (1 - b), 1e-9);
    expectRel(fit.halfLife, Math.LN2 / -Math.log(b), 1e-9);
    const sd = Math.sqrt(ssr / (synth.ou.length - 3));
    expectRel(fit.equilibriumStd, sd / Math.sqrt(1 - b * b), 1e-9);
    // The generator used φ = 0.8: half-life ≈ ln2/−ln 0.8 ≈ 3.1 bars.
    expect(fit.halfLife).toBeGreaterThan(2);
    expect(fit.halfLife).toBeLessThan(4.5);
  });
  it('reports a random walk or an alternating series as non-reverting (infinite half-life)', () => {
    const alternating = Array.from({ length: 50 }, (_, i) => (i % 2 === 0 ? 1 : -1) + i * 1e-3);
    expect(fitOrnsteinUhlenbeck(alternating).halfLife).toBe(Number.POSITIVE_INFINITY);
    const trending = Array.from({ length: 50 }, (_, i) => i * i * 0.01);
    expect(fitOrnsteinUhlenbeck(trending).halfLife).toBe(Number.POSITIVE_INFINITY);
  });
});
