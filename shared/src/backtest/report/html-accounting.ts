import type { BacktestResult } from '../result/backtest-result';
import type { MarkoutStats } from '../result/markouts';
import { htmlTable } from './html-sections';
import { escapeHtml, formatKst, formatNumber, formatPct } from './html-text';
import { reasonText, strategyAccounting } from './strategy-accounting';

const DASH = '–';

function num(n: number | null): { text: string; cls: string } {
  return { text: n === null ? DASH : formatNumber(n, 0), cls: 'num' };
}

function signed(n: number | null, decimals = 3): { text: string; cls: string } {
  if (n === null) return { text: DASH, cls: 'num' };
  return { text: formatPct(Number(n.toFixed(decimals))), cls: n > 0 ? 'num pos' : n < 0 ? 'num neg' : 'num' };
}

/**
 * What became of each strategy's signals (traded, netted, held by the ensemble, refused by risk,
 * with the reasons), the ungated signal result next to the gated one, the strategies that never
 * traded with the reason, and the Kelly gate's closed periods in KST.
 */
export function signalOutcomesBlock(result: BacktestResult): string {
  const acc = strategyAccounting(result);
  const parts: string[] = [];
  if (!acc.available)
    parts.push(
      '<p class="warn">This build records no signal accounting: the counts below are missing; the refused orders under Assumptions are all there is.</p>',
    );
  parts.push(
    htmlTable(
      [
        'Strategy',
        'Signals',
        'Traded',
        'Netted',
        'Held by ensemble',
        'Refused by risk',
        'Fills',
        'Return (gated)',
        'Return (ungated signals)',
        'Ungated round trips',
        'Ungated win rate',
      ],
      acc.rows.map((r) => [
        { text: r.strategy },
        num(r.signals),
        num(r.traded),
        num(r.netted),
        num(r.heldByEnsemble),
        num(r.refusedTotal),
        num(r.fills),
        r.fills === 0 ? { text: DASH, cls: 'num' } : signed(r.gatedReturnPct),
        signed(r.ungated?.returnPct ?? null),
        num(r.ungated?.trades ?? null),
        { text: r.ungated?.winRatePct == null ? DASH : formatPct(r.ungated.winRatePct), cls: 'num' },
      ]),
    ),
  );
  const reasons = acc.rows.flatMap((r) => {
    const items = [
      r.heldReasons.length > 0 ? `held: ${reasonText(r.heldReasons, 5)}` : '',
      r.refusedByRisk.length > 0 ? `refused: ${reasonText(r.refusedByRisk, 5)}` : '',
    ].filter((x) => x !== '');
    return items.length === 0
      ? []
      : [`<li><b>${escapeHtml(r.strategy)}</b>: ${escapeHtml(items.join('; '))}</li>`];
  });
  if (reasons.length > 0)
    parts.push(`<h3>Why signals did not become orders</h3>\n<ul>${reasons.join('\n')}</ul>`);
  const idle = [
    ...acc.rows.flatMap((r) =>
      r.noTradeReason === undefined
        ? []
        : [`<li><b>${escapeHtml(r.strategy)}</b> did not trade: ${escapeHtml(r.noTradeReason)}</li>`],
    ),
    ...acc.skipped.map(
      ([name, why]) => `<li><b>${escapeHtml(name)}</b> did not run: ${escapeHtml(why)}</li>`,
    ),
  ];
  if (idle.length > 0) parts.push(`<h3>Strategies without a fill</h3>\n<ul>${idle.join('\n')}</ul>`);
  const periods = acc.rows.flatMap((r) =>
    r.gatePeriods.map((p) => [
      { text: r.strategy },
      { text: formatKst(p.from) },
      { text: p.to === null ? 'still closed at the end' : formatKst(p.to) },
      { text: p.reason, cls: 'reason' },
    ]),
  );
  parts.push(
    '<h3>Kelly “no edge” gate: closed periods</h3>',
    periods.length === 0
      ? '<p>The gate never closed (or this build does not record it).</p>'
      : htmlTable(['Strategy', 'Closed', 'Reopened', 'Why it closed'], periods),
  );
  parts.push(
    '<p>Ungated = the strategy’s own signals traded alone at the synthetic book with fees, without the ensemble, the risk limits or the Kelly gate: a losing signal shows here even when the gate kept it from trading. Rules: <code>docs/ensemble.md</code>.</p>',
  );
  return parts.join('\n');
}

function markoutCell(s: MarkoutStats | undefined): { text: string; cls: string } {
  if (s === undefined || s.meanBps === null) return { text: DASH, cls: 'num' };
  const cls = s.meanBps > 0 ? 'num pos' : s.meanBps < 0 ? 'num neg' : 'num';
  return { text: `${formatNumber(s.meanBps, 2)} bps (${formatNumber(s.adversePct ?? 0, 0)} % adverse)`, cls };
}

/** Mean mark-outs of maker fills 1, 5 and 30 bars after each, overall and per strategy. */
export function markoutBlock(result: BacktestResult): string {
  const m = result.markouts;
  if (m.all['1'].fills === 0) return '<p>No maker fills.</p>';
  const rows = [
    [
      { text: 'all' },
      num(m.all['1'].fills),
      markoutCell(m.all['1']),
      markoutCell(m.all['5']),
      markoutCell(m.all['30']),
    ],
    ...Object.entries(m.byStrategy).map(([name, s]) => [
      { text: name },
      num(s['1'].fills),
      markoutCell(s['1']),
      markoutCell(s['5']),
      markoutCell(s['30']),
    ]),
  ];
  return (
    '<p>How far the price moved our way after each maker fill (close N bars after the fill’s bar opened, against the fill price). Persistently negative mark-outs mean the quotes are picked off by better-informed traders.</p>\n' +
    htmlTable(['Strategy', 'Maker fills', '1 bar', '5 bars', '30 bars'], rows)
  );
}
