import type { OptimizeResult, RankedTrial } from './run-optimize';

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

/**
 * The terminal summary: the ranking with in-sample and out-of-sample scores side by side (the
 * configured parameters always shown for comparison), then the honest walk-forward line and the
 * folds. The table renderer is passed in so this module stays free of CLI code.
 */
export function renderOptimizeSummary(r: OptimizeResult, top: number, renderTable: TableRenderer): string {
  const shown = r.ranking.slice(0, top);
  if (!shown.includes(r.baseline)) shown.push(r.baseline);
  const rows = shown.map((t) => [
    String(t.rank),
    String(t.trial),
    formatNumber(t.inSampleMean, 3),
    formatNumber(t.outOfSampleMean, 3),
    formatNumber(t.outOfSampleReturnPct, 3),
    formatNumber(t.outOfSampleTrades, 0),
    paramText(t),
  ]);
  const align: Align[] = ['right', 'right', 'right', 'right', 'right', 'right', 'left'];
  const folds = r.folds.map((f, i) => {
    const pick = r.walkForward.picks[i];
    return [
      String(f.index),
      `${f.inSample.from} → ${f.inSample.to}`,
      `${f.outOfSample.from} → ${f.outOfSample.to}`,
      String(pick?.trial ?? '–'),
      formatNumber(pick?.inSample ?? null, 3),
      formatNumber(pick?.outOfSample ?? null, 3),
    ];
  });
  return [
    `Optimize ${r.strategies.join(',')} on ${r.markets.join(', ')} (${r.timeframe}), metric ${r.metric}, ${r.trials} trials × ${r.folds.length} folds, seed ${r.seed}`,
    '',
    renderTable(
      [
        'Rank',
        'Trial',
        `In-sample ${r.metric}`,
        `Out-of-sample ${r.metric}`,
        'OOS return %',
        'OOS trades',
        'Parameters',
      ],
      rows,
      align,
    ),
    '',
    `Walk-forward pick (best in-sample per fold, judged out of sample): in-sample ${formatNumber(r.walkForward.inSampleMean, 3)} → out-of-sample ${formatNumber(r.walkForward.outOfSampleMean, 3)}`,
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
