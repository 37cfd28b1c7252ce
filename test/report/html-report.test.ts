import { execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { runInNewContext } from 'node:vm';
import { candlesOf, findCandleFiles } from '../../shared/src/backtest/data/candle-files';
import { runBacktest } from '../../shared/src/backtest/engine/run-backtest';
import type { ChartData } from '../../shared/src/backtest/report/chart-data';
import { CHART_SCRIPT } from '../../shared/src/backtest/report/chart-script';
import { renderHtmlReport, writeHtmlReport } from '../../shared/src/backtest/report/html-report';
import { escapeHtml, jsonForScript } from '../../shared/src/backtest/report/html-text';
import { buildReportModel } from '../../shared/src/backtest/report/report-model';
import type { Market } from '../../shared/src/domain/market/market-id';
import { parseDecimal } from '../../shared/src/domain/money/decimal';
import { krw } from '../../shared/src/domain/money/quantities';
import { fixtureResult } from './fixture-result';

function embeddedData(html: string): ChartData {
  const m = /<script type="application\/json" id="report-data">([\s\S]*?)<\/script>/.exec(html);
  if (m?.[1] === undefined) throw new Error('no report data');
  return JSON.parse(m[1]) as ChartData;
}

function count(html: string, needle: RegExp): number {
  return html.match(needle)?.length ?? 0;
}

describe('renderHtmlReport', () => {
  const result = fixtureResult();
  const html = renderHtmlReport(result);

  it('has every section the issue asks for, with Korean subtitles', () => {
    for (const id of [
      'summary',
      'signals',
      'markouts',
      'equity',
      'drawdown',
      'contribution',
      'trades-on-price',
      'monthly',
      'patterns',
      'trades',
      'assumptions',
    ])
      expect(html).toContain(`<section id="${id}">`);
    for (const heading of ['By hour of day (KST)', 'By strategy', 'By market', 'By holding time'])
      expect(html).toContain(heading);
    expect(html).toContain('월별 수익률');
    expect(html).toContain('0.0500%');
    expect(html).toContain('5.0 bps');
    expect(html).toContain('Limit orders fill only when a later bar trades through the price');
    expect(html).toContain('post_only_would_cross');
  });

  it('is self-contained: uPlot inlined, nothing fetched from anywhere', () => {
    expect(html).toContain('var uPlot=function');
    expect(html).toContain('.uplot');
    expect(html).not.toMatch(/<script[^>]*\bsrc=/i);
    expect(html).not.toMatch(/<link\b/i);
    expect(html).not.toMatch(/<(img|iframe|embed|object|audio|video|source)\b/i);
    expect(html).not.toMatch(/\b(href|src)\s*=\s*["']?(https?:)?\/\//i);
    expect(html).not.toMatch(/url\(\s*["']?(https?:)?\/\//i);
    expect(html).not.toMatch(/@import/i);
    expect(html).not.toMatch(/\bfetch\(|XMLHttpRequest|import\(/);
  });

  it('is well-formed: one document, balanced elements, script-safe data', () => {
    expect(html.startsWith('<!DOCTYPE html>\n<html lang="en">')).toBe(true);
    expect(html.trimEnd().endsWith('</html>')).toBe(true);
    for (const tag of ['section', 'table', 'tr', 'script', 'style', 'h2', 'main'])
      expect(count(html, new RegExp(`<${tag}[\\s>]`, 'g'))).toBe(count(html, new RegExp(`</${tag}>`, 'g')));
    expect(count(html, /<body>/g)).toBe(1);
    const ids = [...html.matchAll(/\bid="([^"]+)"/g)].map((m) => m[1]);
    expect(new Set(ids).size).toBe(ids.length);
    const data = embeddedData(html);
    expect(data.equity.equity).toEqual(result.equityCurve.map((s) => s.equity));
    expect(data.equity.t[0]).toBe(
      result.equityCurve[0]?.time === undefined ? 0 : result.equityCurve[0].time / 1000,
    );
    expect(data.prices.map((p) => p.market)).toEqual(['KRW-BTC', 'KRW-ETH']);
  });

  it('escapes every piece of text from the result', () => {
    expect(html).not.toContain('<script>alert');
    expect(html).toContain('&lt;/script&gt;&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt;');
    expect(html).toContain('z&lt;-2 &amp; &quot;entry&quot;');
    // Reasons are not printed as markup anywhere, and the embedded JSON cannot close its script.
    expect(jsonForScript({ r: '</script><b>' })).not.toContain('<');
    expect(escapeHtml('<a href="x">&\'</a>')).toBe('&lt;a href=&quot;x&quot;&gt;&amp;&#39;&lt;/a&gt;');
    const hostile = { ...result, strategy: '<img src=x onerror=alert(1)>', markets: ['KRW-BTC"><b>'] };
    const page = renderHtmlReport(hostile);
    expect(page).not.toContain('<img src=x');
    expect(page).not.toContain('"><b>');
    expect(page).toContain('&lt;img src=x onerror=alert(1)&gt;');
  });

  it('is deterministic and uses the supplied close prices when given', () => {
    expect(renderHtmlReport(result)).toBe(html);
    const withPrices = renderHtmlReport(result, {
      prices: { 'KRW-BTC': [{ time: Date.parse('2024-01-10T00:15:00Z'), close: 50_500_000 }] },
    });
    const btc = embeddedData(withPrices).prices.find((p) => p.market === 'KRW-BTC');
    expect(btc?.fromFills).toBe(false);
    expect(btc?.price.filter((v) => v !== null)).toEqual([50_500_000]);
    expect(btc?.fills.price.filter((_, i) => btc.fills.side[i] === 1)).toEqual([50_000_000, 52_000_000]);
    expect(btc?.fillsTotal).toBe(btc?.fills.t.length);
  });

  it('runs its chart script: one uPlot per chart with the right series', () => {
    const plots: Array<{ labels: string[]; columns: unknown[][] }> = [];
    const elements = new Map<string, { id: string; clientWidth: number; children: unknown[] }>();
    const element = (id: string) => {
      const el = {
        id,
        clientWidth: 800,
        children: [] as unknown[],
        textContent: '',
        appendChild: (c: unknown) => el.children.push(c),
      };
      elements.set(id, el);
      return el;
    };
    for (const id of ['chart-equity', 'chart-drawdown', 'chart-contribution', 'chart-prices']) element(id);
    const dataText = jsonForScript(embeddedData(html));
    const document = {
      getElementById: (id: string) =>
        id === 'report-data' ? { textContent: dataText } : (elements.get(id) ?? null),
      createElement: () => {
        const el = element(`anon-${elements.size}`);
        Object.defineProperty(el, 'id', {
          set(v: string) {
            elements.set(v, el);
          },
          get: () => '',
        });
        return el;
      },
    };
    class FakeUPlot {
      constructor(opts: { series: Array<{ label?: string }> }, columns: unknown[][]) {
        plots.push({ labels: opts.series.slice(1).map((s) => s.label ?? ''), columns });
      }
      setSize(): void {}
    }
    runInNewContext(CHART_SCRIPT, { document, uPlot: FakeUPlot, window: { addEventListener: () => {} } });
    expect(plots.map((p) => p.labels)).toEqual([
      ['Equity (KRW)'],
      ['Drawdown (%)'],
      ['market_making realised PnL (KRW)', 'stat_arb realised PnL (KRW)'],
      ['Price'],
      ['Price'],
    ]);
    for (const p of plots) for (const col of p.columns) expect(col).toHaveLength(p.columns[0]?.length ?? -1);
  });

  it('writes the file and a headless browser draws the charts (when Chromium is installed)', () => {
    const dir = mkdtempSync(join(tmpdir(), 'qts-report-'));
    try {
      const path = join(dir, 'nested', 'report.html');
      const bytes = writeHtmlReport(result, path);
      expect(readFileSync(path, 'utf8')).toBe(html);
      expect(bytes).toBeGreaterThan(50_000);
      const chromium = ['/usr/bin/chromium', '/usr/bin/chromium-browser'].find((p) => existsSync(p));
      if (chromium === undefined) return;
      const dom = execFileSync(
        chromium,
        ['--headless', '--no-sandbox', '--disable-gpu', '--dump-dom', `file://${path}`],
        {
          encoding: 'utf8',
          timeout: 20_000,
        },
      );
      expect(count(dom, /class="uplot/g)).toBe(5);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

describe('report model', () => {
  const model = buildReportModel(fixtureResult());

  it('compounds KST monthly returns to the total return', () => {
    expect(model.monthly.map((m) => m.month)).toEqual(['2024-01', '2024-02']);
    expect(model.monthly[0]?.returnPct).toBeCloseTo(2, 10);
    expect(model.monthly[1]?.returnPct).toBeCloseTo((10_150_000 / 10_200_000 - 1) * 100, 10);
    const compounded = model.monthly.reduce((acc, m) => acc * (1 + m.returnPct / 100), 1);
    expect((compounded - 1) * 100).toBeCloseTo(1.5, 10);
  });

  it('counts win rates of closed trades by KST hour, strategy, market and FIFO holding time', () => {
    const hours = Object.fromEntries(model.byHour.filter((r) => r.trades > 0).map((r) => [r.key, r]));
    expect(Object.keys(hours).sort()).toEqual(['00', '09', '18']);
    expect(hours['09']).toMatchObject({ trades: 1, wins: 1, winRatePct: 100, pnlKrw: '9500' });
    expect(hours['18']).toMatchObject({ trades: 1, wins: 0, winRatePct: 0, pnlKrw: '-3000' });
    expect(model.byHour).toHaveLength(24);
    expect(model.byStrategy).toEqual([
      { key: 'market_making', trades: 2, wins: 1, winRatePct: 50, pnlKrw: '6500' },
      { key: 'stat_arb', trades: 1, wins: 1, winRatePct: 100, pnlKrw: '1000' },
    ]);
    expect(model.byMarket.map((r) => [r.key, r.trades])).toEqual([
      ['KRW-BTC', 2],
      ['KRW-ETH', 1],
    ]);
    const holding = Object.fromEntries(model.byHolding.map((r) => [r.key, r.trades]));
    expect(holding).toEqual({
      '< 5 min': 1,
      '5–15 min': 0,
      '15–60 min': 1,
      '1–4 h': 1,
      '4–24 h': 0,
      '≥ 1 day': 0,
    });
  });
});

describe('report of a real backtest (Upbit KRW-BTC fixture)', () => {
  it('embeds the whole equity curve and its pattern tables add up to the headline numbers', async () => {
    const file = findCandleFiles('test/fixtures/data/upbit_krw-btc_1m_2020-02-20.json', [
      'KRW-BTC' as Market,
    ]);
    const result = await runBacktest({
      candlesByMarket: new Map(file.map((f) => [f.market, candlesOf(f, '1m')])),
      timeframe: '1m',
      strategies: ['market_making'],
      capital: krw(parseDecimal('10000000')),
      feeRate: parseDecimal('0.0005'),
      slippageBps: 2,
      seed: 1,
    });
    expect(result.trades.length).toBeGreaterThan(0);
    const page = renderHtmlReport(result);
    const data = embeddedData(page);
    expect(data.equity.t).toHaveLength(result.equityCurve.length);
    const model = buildReportModel(result);
    const closed = model.byStrategy.reduce((n, r) => n + r.trades, 0);
    expect(closed).toBe(result.metrics.trades);
    expect(model.byHour.reduce((n, r) => n + r.trades, 0)).toBe(closed);
    expect(model.byMarket.reduce((n, r) => n + r.trades, 0)).toBe(closed);
    const wins = model.byStrategy.reduce((n, r) => n + r.wins, 0);
    expect(closed === 0 ? 0 : (100 * wins) / closed).toBeCloseTo(result.metrics.winRate, 4);
    for (const line of result.assumptions.fillModel) expect(page).toContain(escapeHtml(line));
  });
});
