import type { OptimizeResult, RankedTrial } from './run-optimize';
import type { SegmentReport } from './segment-report';

/** Column alignment accepted by the table renderer. */
export type Align = 'left' | 'right';

/** Renders a plain-text table (the CLI passes its shared renderer). */
export type TableRenderer = (
  headers: readonly string[],
  rows: readonly (readonly string[])[],
  align: readonly Align[],
) => string;

function formatNumber(value: number | null, decimals: number): string {
  return value === null || !Number.isFinite(value) ? '–' : value.toFixed(decimals);
}

/** Changed parameters of a trial as `key=value` pairs; trial 0 shows as the configured set. */
export function paramText(trial: RankedTrial): string {
  const parts: string[] = [];
  for (const [name, params] of Object.entries(trial.params))
    for (const [k, v] of Object.entries(params ?? {}))
      parts.push(`${Object.keys(trial.params).length > 1 ? `${name}.` : ''}${k}=${v}`);
  return parts.length === 0 ? '(configured)' : parts.join(' ');
}

/** "Sharpe 1.23 (DSR 0.41, N=30, 45 days)", the one way every Sharpe is printed with its significance. */
export function sharpeText(
  s: Pick<SegmentReport, 'sharpe' | 'deflatedSharpe' | 'deflatedFor' | 'days'>,
): string {
  if (s.sharpe === null) return `Sharpe – (${s.days} daily returns)`;
  const dsr = s.deflatedSharpe === null ? '–' : s.deflatedSharpe.toFixed(2);
  return `Sharpe ${s.sharpe.toFixed(2)} (DSR ${dsr}, N=${s.deflatedFor}, ${s.days} days)`;
}

/** `2021-02-21 03:52` from an ISO UTC time: readable, and still unambiguous with the UTC label. */
function shortTime(iso: string): string {
  return iso.slice(0, 16).replace('T', ' ');
}

function segmentLines(label: string, s: SegmentReport, scoreLabel: string | undefined): string[] {
  const score = scoreLabel === undefined ? '' : ` · ${scoreLabel} ${formatNumber(s.score, 3)}`;
  const lines = [
    `${label}`,
    `  ${shortTime(s.from)} → ${shortTime(s.to)} UTC · return ${formatNumber(s.returnPct, 3)} % · ` +
      `max drawdown ${formatNumber(s.maxDrawdownPct, 2)} % · ${s.trades} closed trades · ${sharpeText(s)}${score}`,
  ];
  if (s.warning !== undefined) lines.push(`  ⚠ ${s.warning}`);
  return lines;
}

/**
 * The terminal summary, honest numbers first: the walk-forward result (each fold's in-sample pick
 * judged out of sample, chained), the holdout result of the final pick, the final pick itself, then
 * the ranking on the selection window with out-of-sample columns as diagnostics and the folds. The
 * table renderer is passed in so this module stays free of CLI code.
 */
export function renderOptimizeSummary(r: OptimizeResult, top: number, renderTable: TableRenderer): string {
  const shown = r.ranking.slice(0, top);
  if (!shown.includes(r.baseline)) shown.push(r.baseline);
  const rows = shown.map((t) => [
    String(t.rank),
    String(t.trial),
    formatNumber(t.selection, 3),
    formatNumber(t.selectionSharpe, 2),
    formatNumber(t.selectionDsr, 2),
    String(t.selectionTrades),
    formatNumber(t.inSampleMean, 3),
    formatNumber(t.outOfSampleMean, 3),
    paramText(t),
  ]);
  const align: Align[] = ['right', 'right', 'right', 'right', 'right', 'right', 'right', 'right', 'left'];
  const folds = r.folds.map((f, i) => {
    const pick = r.walkForward.picks[i];
    return [
      String(f.index),
      `${shortTime(f.inSample.from)} → ${shortTime(f.inSample.to)}`,
      `${shortTime(f.outOfSample.from)} → ${shortTime(f.outOfSample.to)}`,
      String(pick?.trial ?? '–'),
      formatNumber(pick?.inSample ?? null, 3),
      formatNumber(pick?.outOfSample ?? null, 3),
    ];
  });
  const holdoutPct = `${Math.round(r.holdoutShare * 100)} %`;
  // The return is printed anyway; other metrics are printed beside it.
  const scoreLabel = r.metric === 'return' ? undefined : r.metric;
  return [
    `Optimize ${r.strategies.join(',')} on ${r.markets.join(', ')} (${r.timeframe}), metric ${r.metric}, ` +
      `${r.trials} configurations tried × ${r.folds.length} folds, holdout ${r.holdoutShare > 0 ? holdoutPct : 'off'}, seed ${r.seed}`,
    '',
    ...segmentLines(
      "Walk-forward: each fold's in-sample pick, judged out of sample, chained",
      r.walkForward.chained,
      `mean OOS ${r.metric}`,
    ),
    ...(r.holdout === null
      ? ['Holdout: off (--holdout 0): the final pick was never judged on data it did not see.']
      : segmentLines('Holdout: the final pick on data no choice saw', r.holdout, scoreLabel)),
    ...segmentLines(
      `Final pick: trial ${r.best.trial}, the best of ${r.trials} in sample (all data before the holdout)`,
      r.best.selection,
      scoreLabel,
    ),
    '',
    'DSR = deflated Sharpe ratio (Bailey & López de Prado): the probability that the true Sharpe beats the best of N',
    'worthless configurations; ≥ 0.95 is significant. N = configurations tried for a selection, 1 out of sample.',
    '',
    `Configurations on all data before the holdout, ${shortTime(r.selectionWindow.from)} → ${shortTime(r.selectionWindow.to)} UTC,`,
    `best in-sample ${r.metric} first (the fold columns are diagnostics, never used to choose):`,
    renderTable(
      [
        'Rank',
        'Trial',
        `IS ${r.metric}`,
        'IS Sharpe',
        `DSR N=${r.trials}`,
        'IS trades',
        `Folds IS ${r.metric}`,
        `Folds OOS ${r.metric}`,
        'Parameters',
      ],
      rows,
      align,
    ),
    '',
    `Walk-forward folds (pick = best in-sample ${r.metric}; mean ${formatNumber(r.walkForward.inSampleMean, 3)} in sample → ${formatNumber(r.walkForward.outOfSampleMean, 3)} out of sample):`,
    renderTable(['Fold', 'In-sample (UTC)', 'Out-of-sample (UTC)', 'Pick', 'IS', 'OOS'], folds, [
      'right',
      'left',
      'left',
      'right',
      'right',
      'right',
    ]),
    '',
  ].join('\n');
}
