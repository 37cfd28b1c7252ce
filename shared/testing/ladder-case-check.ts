import {
  type PipelineAccount,
  type PipelineResult,
  runDecisionPipeline,
  runFullPipeline,
} from '../src/domain/ensemble/decision-pipeline';
import { ladderResult } from '../src/domain/ensemble/ladder-path';
import { fateText } from '../src/domain/ensemble/signal-fate';
import { pipelineText } from '../src/domain/ensemble/testing/pipeline-text';
import { invariant } from '../src/domain/risk/testing/risk-builders';
import { buildLadderCase } from './ladder-case-build';
import type { LadderCase, LadderMarket } from './ladder-cases';

/*
 * One case of ./ladder-cases.ts built into pipeline inputs (ladder-case-build.ts) and checked: the
 * ladder path against the full pipeline (`checkOrders` per layer), a mixed pipeline and the
 * backtest's `placeQuotes`.
 */

/**
 * Runs case `c` through the full pipeline, the ladder path, a mixed pipeline and the backtest's
 * `placeQuotes`, and throws unless every answer the ladder gives is the full pipeline's; counts in
 * `seen` what was reached (`risk:…`, `traded:…`, `answered@<market index>`, …).
 */
export function checkLadderCase(
  markets: readonly LadderMarket[],
  c: LadderCase,
  seen: Map<string, number>,
): void {
  const where = `${c.marketIdx}`;
  // The full pipeline first: the ladder records its layers' validation verdicts, which the
  // full pipeline's validation would otherwise reuse for the same objects (they are not).
  const full = buildLadderCase(markets, c);
  const reference = runFullPipeline(full.input, full.account);
  const fast = buildLadderCase(markets, c);
  const quick = ladderResult(fast.input, fast.account);
  if (quick === undefined) {
    invariant(fast.placed.length === 0, 'a declined ladder placed nothing');
    seen.set(`declined@${where}`, (seen.get(`declined@${where}`) ?? 0) + 1);
    seen.set(`full:${c.near}`, (seen.get(`full:${c.near}`) ?? 0) + 1);
    // runDecisionPipeline then offers a quotes decision among others to the ladder at its turn
    // (decision-pipeline's fullPipeline): the full pipeline's result and orders all the same.
    for (const lazyQuotes of [false, true]) {
      const mixed = buildLadderCase(markets, c, lazyQuotes);
      const viaLadder = mixed.account.placeQuotes;
      // Only the ladder places through placeQuotes: counts the cases it answered among others.
      const account: PipelineAccount =
        viaLadder === undefined
          ? mixed.account
          : {
              ...mixed.account,
              placeQuotes: (d, ctx) => {
                seen.set('mixed:ladder', (seen.get('mixed:ladder') ?? 0) + 1);
                return viaLadder(d, ctx);
              },
            };
      const routed = runDecisionPipeline(mixed.input, account);
      invariant(pipelineText(routed) === pipelineText(reference), `mixed: ${pipelineText(routed)}`);
      invariant(mixed.placed.join('\n') === full.placed.join('\n'), 'mixed: the same orders were placed');
    }
    // A caller reading only fates (the backtest without an observer; its quotes decision then has
    // lazy levels, which a latched account refuses unread): the same orders, refusals and fates.
    const idless = buildLadderCase(markets, c, true);
    const fateOnly = runDecisionPipeline({ ...idless.input, fateOnly: true }, idless.account);
    invariant(idless.placed.join('\n') === full.placed.join('\n'), 'declined fateOnly: the same orders');
    invariant(fateOnly.refusals.join() === reference.refusals.join(), 'declined fateOnly: the refusals');
    const fatesOf = (r: PipelineResult) => [...r.fates].map(([k, f]) => `${k}=${fateText(f.fate)}`).join();
    invariant(fatesOf(fateOnly) === fatesOf(reference), `declined fateOnly: ${fatesOf(fateOnly)}`);
    countLatch(fateOnly, seen);
    return;
  }
  invariant(
    pipelineText(quick) === pipelineText(reference),
    `${pipelineText(quick)} !== ${pipelineText(reference)}`,
  );
  invariant(fast.placed.join('\n') === full.placed.join('\n'), 'the same orders were placed');
  seen.set(`answered@${where}`, (seen.get(`answered@${where}`) ?? 0) + 1);
  // An account that places quotes without planned orders (the backtest's): the same result,
  // its orders planned when read, and the same orders placed.
  const lazy = buildLadderCase(markets, c, true);
  const viaQuotes = ladderResult(lazy.input, lazy.account);
  if (viaQuotes === undefined) throw new Error('the ladder declined with placeQuotes');
  invariant(pipelineText(viaQuotes) === pipelineText(reference), `placeQuotes: ${pipelineText(viaQuotes)}`);
  invariant(lazy.placed.join('\n') === full.placed.join('\n'), 'placeQuotes placed the same orders');
  const ordersOf = (r: PipelineResult) => JSON.stringify(r.routed.map((d) => [d.orders, d.rejected]));
  invariant(ordersOf(viaQuotes) === ordersOf(reference), 'the orders as read');
  // A caller that reads only the fates and refusals (fateOnly, the backtest without an observer):
  // the same orders placed, refusals and fates, market making's maybe without its decision id and
  // then without its routed entry, which such a caller never reads (counted).
  const idless = buildLadderCase(markets, c, true);
  const fateOnly = ladderResult({ ...idless.input, fateOnly: true }, idless.account);
  if (fateOnly === undefined) throw new Error('the ladder declined with fateOnly');
  invariant(idless.placed.join('\n') === full.placed.join('\n'), 'fateOnly placed the same orders');
  invariant(fateOnly.refusals.join() === reference.refusals.join(), 'fateOnly: the refusals');
  const fatesOf = (r: PipelineResult) => [...r.fates].map(([k, f]) => `${k}=${fateText(f.fate)}`).join();
  invariant(fatesOf(fateOnly) === fatesOf(reference), `fateOnly: ${fatesOf(fateOnly)}`);
  if (fateOnly.fates.get('market_making')?.decisionId === undefined) {
    invariant(fateOnly.routed.length === 0, 'fateOnly: no routed entry without a decision id');
    seen.set('fateOnly:idless', (seen.get('fateOnly:idless') ?? 0) + 1);
  } else invariant(ordersOf(fateOnly) === ordersOf(reference), 'fateOnly: the orders as read');
  // A latched account's ladder refused as a whole: answered by the ladder (latchRefusalOf).
  countLatch(fateOnly, seen);
  for (const key of quick.refusals) seen.set(key, (seen.get(key) ?? 0) + 1);
  for (const [strategy, f] of quick.fates)
    if (strategy !== 'market_making') seen.set(`view:${fateText(f.fate)}`, 1);
  const fate = quick.fates.get('market_making')?.fate.kind ?? 'none';
  seen.set(`${fate}:${c.near}`, (seen.get(`${fate}:${c.near}`) ?? 0) + 1);
  // runDecisionPipeline takes this path.
  const again = buildLadderCase(markets, c);
  invariant(
    pipelineText(runDecisionPipeline(again.input, again.account)) === pipelineText(quick),
    'pipeline',
  );
}

/** Counts market making's fate in `seen` as `latch:<reason>` when the latch refused its ladder. */
function countLatch(result: PipelineResult, seen: Map<string, number>): void {
  const latched = result.fates.get('market_making')?.fate;
  if (
    latched?.kind === 'refused' &&
    (latched.reason === 'risk:reducing_only' || latched.reason === 'risk:halted')
  )
    seen.set(`latch:${latched.reason}`, (seen.get(`latch:${latched.reason}`) ?? 0) + 1);
}
