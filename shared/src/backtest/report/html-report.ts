import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';
import type { BacktestResult } from '../result/backtest-result';
import { buildChartData, type PricePoint } from './chart-data';
import { CHART_SCRIPT } from './chart-script';
import { markoutBlock, signalOutcomesBlock } from './html-accounting';
import {
  assumptionsBlock,
  monthlyTable,
  perStrategyTable,
  section,
  summaryTable,
  tradeListTable,
  winRateTable,
} from './html-sections';
import { escapeHtml, formatKst, jsonForScript } from './html-text';
import { buildReportModel } from './report-model';
import { loadChartAssets } from './uplot-assets';

/** Extra inputs the result does not carry. */
export interface HtmlReportOptions {
  /**
   * Close prices per market for the line under the trade markers (thinned to 5,000 points). Without
   * them the line is drawn through the fill prices and the chart says so.
   */
  readonly prices?: Readonly<Record<string, readonly PricePoint[]>>;
}

const PAGE_CSS = `
body{font:14px/1.45 system-ui,-apple-system,"Segoe UI","Apple SD Gothic Neo","Malgun Gothic",sans-serif;margin:0;color:#222;background:#fafafa}
main{max-width:1600px;margin:0 auto;padding:16px 20px 48px}
h1{font-size:22px;margin:8px 0 4px}h2{font-size:18px;margin:32px 0 8px;border-bottom:1px solid #ddd;padding-bottom:4px}
h2 small,h3 small,h1 small{color:#777;font-weight:normal;margin-left:6px}
h3{font-size:15px;margin:16px 0 6px}
.meta{color:#555}
table{border-collapse:collapse;margin:8px 0;background:#fff;font-variant-numeric:tabular-nums;font-size:13px;max-width:100%}
th,td{border:1px solid #ddd;padding:3px 6px;text-align:left;white-space:nowrap}
th{white-space:normal;vertical-align:bottom}
td.reason{white-space:normal;min-width:220px;max-width:420px}
.warn{color:#8a4b00;background:#fff6e5;border-left:3px solid #e09a00;padding:4px 8px}
code{font-size:12px}
th{background:#f0f0f0}
td.num{text-align:right}td.pos{color:#1a7f37}td.neg{color:#c62828}
.chart{background:#fff;border:1px solid #ddd;margin:8px 0;min-height:40px}
.grid{display:grid;grid-template-columns:repeat(auto-fit,minmax(360px,1fr));gap:16px}
.scroll{overflow-x:auto}
`;

function chartBox(id: string): string {
  return `<div class="chart" id="${id}"></div>`;
}

/**
 * The whole report as one self-contained HTML document: the charting library, styles, data and
 * code are inlined, nothing is fetched, so it opens offline and can be mailed as one file. Every
 * piece of text from the result is escaped, and the data travels as script-safe JSON. The output
 * depends only on the result (no clock), so the same backtest renders the same bytes.
 */
export function renderHtmlReport(result: BacktestResult, options: HtmlReportOptions = {}): string {
  const model = buildReportModel(result);
  const charts = buildChartData(result, options.prices);
  const assets = loadChartAssets();
  const title = `Backtest ${result.strategy} · ${result.markets.join(', ')}`;
  const body = [
    `<h1>${escapeHtml(title)} <small lang="ko">백테스트 보고서</small></h1>`,
    `<p class="meta">${escapeHtml(`${formatKst(result.from)} → ${formatKst(result.to)} (${result.from} → ${result.to} UTC) · ${result.bars.toLocaleString('en-US')} bars · timeframe ${result.assumptions.timeframe} · times on this page are Korea time (KST, UTC+9)`)}</p>`,
    section('summary', 'Summary', '요약', `<div class="scroll">${summaryTable(result.metrics)}</div>`),
    section('signals', 'Signals and what became of them', '신호 처리 내역', signalOutcomesBlock(result)),
    section('equity', 'Equity curve', '자산 곡선', chartBox('chart-equity')),
    section('drawdown', 'Drawdown', '낙폭', chartBox('chart-drawdown')),
    section(
      'contribution',
      'Per-strategy contribution',
      '전략별 기여',
      `${chartBox('chart-contribution')}\n<div class="scroll">${perStrategyTable(result.perStrategy)}</div>`,
    ),
    section(
      'trades-on-price',
      'Trades on price',
      '가격 위 체결',
      '<p>Green ▲ are buys, red ▼ sells, drawn under the price line and merged per few pixels (bigger = more fills): drag across a chart to zoom in to single fills, double-click to zoom out.</p>\n<div id="chart-prices"></div>',
    ),
    section('markouts', 'Maker fill mark-outs', '메이커 체결 사후 손익', markoutBlock(result)),
    section(
      'monthly',
      'Monthly returns',
      '월별 수익률',
      `<div class="scroll">${monthlyTable(model.monthly)}</div>`,
    ),
    section(
      'patterns',
      'Pattern analysis',
      '패턴 분석',
      `<p>Closed trades are sell fills; a win is a positive net PnL after both legs' fees.</p>\n<div class="grid">` +
        `<div><h3>By hour of day (KST) <small lang="ko">시간대별</small></h3>${winRateTable('Hour (KST)', model.byHour)}</div>` +
        `<div><h3>By strategy <small lang="ko">전략별</small></h3>${winRateTable('Strategy', model.byStrategy)}` +
        `<h3>By market <small lang="ko">마켓별</small></h3>${winRateTable('Market', model.byMarket)}` +
        `<h3>By holding time <small lang="ko">보유 시간별</small></h3>${winRateTable('Holding time', model.byHolding)}</div>` +
        '</div>',
    ),
    section('trades', 'Fills', '체결 내역', `<div class="scroll">${tradeListTable(result.trades)}</div>`),
    section('assumptions', 'Assumptions', '가정', assumptionsBlock(result.assumptions)),
  ].join('\n');
  return [
    '<!DOCTYPE html>',
    '<html lang="en">',
    '<head>',
    '<meta charset="utf-8">',
    '<meta name="viewport" content="width=device-width, initial-scale=1">',
    `<title>${escapeHtml(title)}</title>`,
    `<style>${assets.css}</style>`,
    `<style>${PAGE_CSS}</style>`,
    '</head>',
    '<body>',
    '<main>',
    '<noscript><p>Charts need JavaScript; the tables below are complete without it.</p></noscript>',
    body,
    '</main>',
    `<script type="application/json" id="report-data">${jsonForScript(charts)}</script>`,
    `<script>${assets.script}</script>`,
    `<script>${CHART_SCRIPT}</script>`,
    '</body>',
    '</html>',
    '',
  ].join('\n');
}

/** Renders the report and writes it to `path`, creating the folder; returns the byte count. */
export function writeHtmlReport(
  result: BacktestResult,
  path: string,
  options: HtmlReportOptions = {},
): number {
  const html = renderHtmlReport(result, options);
  const dir = dirname(path);
  if (dir !== '' && dir !== '.') mkdirSync(dir, { recursive: true });
  writeFileSync(path, html, 'utf8');
  return Buffer.byteLength(html, 'utf8');
}
