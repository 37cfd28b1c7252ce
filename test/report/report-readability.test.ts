import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { runInNewContext } from 'node:vm';
import { chromium } from 'playwright-core';
import { renderSummary } from '../../cli/lib/backtest-summary';
import { CHART_SCRIPT } from '../../shared/src/backtest/report/chart-script';
import { renderHtmlReport } from '../../shared/src/backtest/report/html-report';
import { formatKrw, formatKst, formatPrice } from '../../shared/src/backtest/report/html-text';
import { strategyAccounting } from '../../shared/src/backtest/report/strategy-accounting';
import type { BacktestResult, TradeRecord } from '../../shared/src/backtest/result/backtest-result';
import type { SignalOutcomes } from '../../shared/src/backtest/result/signal-outcomes';
import { fixtureResult, metrics } from './fixture-result';

const CHROMIUM = '/usr/lib/chromium/chromium';

interface ChartHelpers {
  bucketFills(
    fills: { t: number[]; price: number[]; side: number[] },
    x0: number,
    x1: number,
    toPx: (t: number) => number,
    px: number,
  ): { x: number; price: number; side: number; n: number }[];
  kstText(sec: number): string;
  kstTick(sec: number, span: number, first: boolean): string;
  won(v: number | null): string;
}

function chartHelpers(): ChartHelpers {
  const window: { qtsReport?: ChartHelpers } = {};
  runInNewContext(CHART_SCRIPT, { window });
  return window.qtsReport as ChartHelpers;
}

const OUTCOMES: SignalOutcomes = {
  perStrategy: {
    market_making: {
      signals: 900,
      traded: 850,
      netted: 0,
      heldByEnsemble: 30,
      heldReasons: { nothing_to_sell: 30 },
      refusedByRisk: { 'risk:cooldown': 20 },
    },
    stat_arb: {
      signals: 40,
      traded: 0,
      netted: 10,
      heldByEnsemble: 5,
      heldReasons: { below_min_score: 5 },
      refusedByRisk: { 'risk:no_edge': 25 },
    },
  },
  ungated: {
    market_making: { trades: 400, winRatePct: 55, netPnlKrw: 12_000, returnPct: 0.12, openAtEnd: 1 },
    stat_arb: { trades: 12, winRatePct: 25, netPnlKrw: -51_500, returnPct: -0.515, openAtEnd: 0 },
  },
  gatePeriods: {
    stat_arb: [
      {
        from: '2024-01-02T00:00:00.000Z',
        to: '2024-01-05T03:00:00.000Z',
        reason: 'Kelly fraction -0.2 after 30 trades',
      },
      { from: '2024-01-20T15:00:00.000Z', to: null, reason: 'Kelly fraction -0.1 after 45 trades' },
    ],
  },
};

/** The fixture with one idle strategy, signal accounting, and `n` extra market-making fills. */
function richResult(extraFills = 0): BacktestResult {
  const base = fixtureResult();
  const start = Date.parse('2024-02-01T00:00:00Z');
  const extra: TradeRecord[] = Array.from({ length: extraFills }, (_, i) => ({
    time: new Date(start + i * 60_000).toISOString(),
    market: 'KRW-BTC',
    strategy: 'market_making',
    side: i % 2 === 0 ? 'bid' : 'ask',
    price: String(50_000_000 + (i % 50) * 1000),
    volume: '0.00199996',
    feeKrw: '49.99999976775',
    pnlKrw: i % 2 === 0 ? '0' : '12.5',
    reason:
      'quote bid L0: candle: half-spread 18.9 bps (σ 12.6 bps), skew -0.8 bps (imbalance 0.00, inventory 8 %)',
    maker: true,
    markoutBps: { '1': 1.5, '5': -2, '30': null },
  }));
  return {
    ...base,
    trades: [...base.trades, ...extra],
    perStrategy: {
      ...base.perStrategy,
      stat_arb: metrics({ trades: 0, fills: 0, totalReturnPct: 0, winRate: 0, sharpe: null }),
    },
    signalOutcomes: OUTCOMES,
  };
}

describe('chart helpers (KST axes, ₩, aggregated markers)', () => {
  const h = chartHelpers();

  it('labels times in Korea time whatever the machine’s zone', () => {
    const sec = Date.parse('2024-01-01T15:00:00Z') / 1000;
    expect(h.kstText(sec)).toBe('2024-01-02 00:00 KST');
    expect(h.kstTick(sec, 7 * 86_400, false)).toBe('01-02');
    expect(h.kstTick(sec + 3600 * 8, 7 * 86_400, false)).toBe('08:00');
    expect(h.kstTick(sec, 7 * 86_400, true)).toBe('01-02 00:00');
    expect(h.kstTick(sec, 365 * 86_400, false)).toBe('2024-01-02');
    expect(formatKst('2024-01-01T15:00:00.000Z')).toBe('2024-01-02 00:00 KST');
  });

  it('writes money as ₩ with thousands separators and sensible decimals', () => {
    expect(h.won(9_765_720.4)).toBe('₩9,765,720');
    expect(h.won(-1234.5)).toBe('-₩1,235');
    expect(h.won(49.99999976775)).toBe('₩50.00');
    expect(formatKrw('49.99999976775')).toBe('₩50.00');
    expect(formatKrw('24.95')).toBe('₩24.95');
    expect(formatKrw(-193.62)).toBe('-₩193.62');
    expect(formatKrw(9_765_720)).toBe('₩9,765,720');
    expect(formatPrice('50101000')).toBe('₩50,101,000');
    expect(formatPrice('0.0123')).toBe('₩0.0123');
  });

  it('merges a week of minute fills into a few markers per pixel bucket, finer when zoomed in', () => {
    const n = 7 * 1440;
    const fills = {
      t: Array.from({ length: n }, (_, i) => i * 60),
      price: Array.from({ length: n }, (_, i) => 100 + (i % 7)),
      side: Array.from({ length: n }, (_, i) => (i % 2 === 0 ? 1 : -1)),
    };
    const width = 1200;
    const all = h.bucketFills(fills, 0, n * 60, (t) => (t / (n * 60)) * width, 6);
    expect(all.length).toBeLessThanOrEqual(2 * (width / 6 + 1));
    expect(all.reduce((s, m) => s + m.n, 0)).toBe(n);
    // Zoomed to one hour: every fill gets its own marker.
    const hour = h.bucketFills(fills, 0, 3540, (t) => (t / 3540) * width, 6);
    expect(hour).toHaveLength(60);
    expect(hour.every((m) => m.n === 1)).toBe(true);
  });
});

describe('strategy accounting in the report and the terminal', () => {
  const result = richResult();

  it('counts each strategy’s signals and says why an idle strategy never traded', () => {
    const acc = strategyAccounting(result);
    expect(acc.available).toBe(true);
    const stat = acc.rows.find((r) => r.strategy === 'stat_arb');
    expect(stat?.refusedTotal).toBe(25);
    expect(stat?.noTradeReason).toBe(
      '40 signals, none filled: 10 netted against opposite signals; 5 held by the ensemble (below_min_score ×5); 25 refused (risk:no_edge ×25)',
    );
    expect(acc.rows.find((r) => r.strategy === 'market_making')?.noTradeReason).toBeUndefined();
    const bare = strategyAccounting({ ...result, signalOutcomes: undefined } as unknown as BacktestResult);
    expect(bare.available).toBe(false);
    expect(bare.rows.find((r) => r.strategy === 'stat_arb')?.noTradeReason).toMatch(
      /does not account for signals/,
    );
  });

  it('puts signals, ungated vs gated results and the gate periods (KST) on the page', () => {
    const html = renderHtmlReport(result);
    expect(html).toContain('<section id="signals">');
    expect(html).toContain('Return (ungated signals)');
    expect(html).toContain('-0.52%');
    expect(html).toContain('<b>stat_arb</b> did not trade: 40 signals, none filled');
    expect(html).toContain('2024-01-02 09:00 KST');
    expect(html).toContain('still closed at the end');
    expect(html).toContain('refused: risk:no_edge ×25');
  });

  it('shows – instead of 0.00 % for a strategy without trades', () => {
    const html = renderHtmlReport(result);
    const row =
      /<tr><td>stat_arb<\/td>(.*?)<\/tr>/.exec(html.slice(html.indexOf('id="contribution"')))?.[1] ?? '';
    expect(row).not.toContain('0.00%');
    expect(row.startsWith('<td class="num">–</td>')).toBe(true);
  });

  it('prints the same accounting, mark-outs and the Sharpe warning in the terminal', () => {
    const text = renderSummary({
      ...result,
      metrics: metrics({
        returnDays: 7,
        sharpe: -36,
        sharpeWarning: 'Sharpe and Sortino from 7 daily returns (< 30): x',
      }),
    });
    expect(text).toMatch(/Sharpe \(daily, ann\.\)\s+-36\.00 ⚠/);
    expect(text).toContain('⚠ Sharpe and Sortino from 7 daily returns');
    expect(text).toMatch(/stat_arb\s+40\s+0\s+10\s+5\s+25\s+0\s+–\s+-0\.515\s+12/);
    expect(text).toContain('Did not trade — stat_arb: 40 signals, none filled');
    expect(text).toContain(
      'stat_arb: 2024-01-02 09:00 KST → 2024-01-05 12:00 KST; 2024-01-21 00:00 KST → end',
    );
    expect(text).toMatch(/Maker fill mark-outs/);
  });
});

const hasChromium = (() => {
  try {
    return require('node:fs').existsSync(CHROMIUM) as boolean;
  } catch {
    return false;
  }
})();

(hasChromium ? describe : describe.skip)('the report in a 1400 px wide browser', () => {
  it('hides no column behind a scrollbar and draws every chart without errors', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'qts-layout-'));
    const browser = await chromium.launch({ executablePath: CHROMIUM, args: ['--no-sandbox'] });
    try {
      const path = join(dir, 'report.html');
      writeFileSync(path, renderHtmlReport(richResult(3000)));
      const page = await browser.newPage({ viewport: { width: 1400, height: 900 } });
      const errors: string[] = [];
      page.on('pageerror', (e) => errors.push(String(e)));
      await page.goto(`file://${path}`);
      await page.waitForSelector('#chart-prices .uplot');
      // A string, not a function: the test compiles without the DOM library.
      const overflow = (await page.evaluate(`(() => {
        const out = [];
        const width = document.documentElement.clientWidth;
        for (const el of document.querySelectorAll('.scroll, main, section'))
          if (el.scrollWidth > el.clientWidth + 1) out.push((el.id || el.className) + ': ' + el.scrollWidth + ' > ' + el.clientWidth);
        for (const t of document.querySelectorAll('table'))
          if (t.getBoundingClientRect().right > width) out.push('table in ' + (t.closest('section') || {}).id);
        return out;
      })()`)) as string[];
      expect(errors).toEqual([]);
      expect(overflow).toEqual([]);
      expect(await page.locator('.uplot').count()).toBe(5);
      // uPlot paints ticks on its canvas; the legend (DOM) names the axis.
      expect(await page.locator('#equity .u-legend').textContent()).toContain('Time (KST)');
    } finally {
      await browser.close();
      rmSync(dir, { recursive: true, force: true });
    }
  }, 60_000);
});
