import { recordFill } from '../../../shared/src/application/risk/record-fill';
import { baseCurrency, type Market } from '../../../shared/src/domain/market/market-id';
import { Decimal, ZERO } from '../../../shared/src/domain/money/decimal';
import { type Krw, krw, type Price, price, volume } from '../../../shared/src/domain/money/quantities';
import { makeDecisionId, orderIdentifier } from '../../../shared/src/domain/orders/identifiers';
import { type EpochMs, MS } from '../../../shared/src/domain/time/epoch';
import type { Clock } from '../../../shared/src/ports/clock';
import type { StateStore } from '../../../shared/src/ports/state-store';
import type { TradingVenue } from '../../../shared/src/ports/trading-venue';
import type { MarketState } from '../feed/market-state';
import { type BalanceDiff, balanceDiffs, corrections } from './balance-diff';
import type { Discrepancy } from './reconcile-report';

/** What the balance check reads and writes. */
export interface BalanceDeps {
  readonly store: StateStore;
  readonly venue: Pick<TradingVenue, 'getBalances'>;
  readonly market: MarketState;
  readonly clock: Clock;
  readonly markets: readonly Market[];
  readonly equity: () => Promise<Krw>;
  readonly live: boolean;
  readonly dryRun: boolean;
  readonly toleranceKrw?: Decimal;
  /**
   * Books what the venue already did for the working orders of `markets` (the reconciler syncs
   * them). Called before a difference is corrected: an order can fill on the venue between the
   * settling of orders and the balance read, and its fill is then being booked by the event path
   * while the balances are compared, so a difference must survive a second look to be real.
   */
  readonly settle?: (markets: readonly Market[]) => Promise<void>;
}

/** The differences seen now, with the inputs they were computed from. */
async function readDiffs(d: BalanceDeps) {
  const balances = await d.venue.getBalances();
  const positions = await d.store.listPositions();
  const bids = d.market.bestBids();
  return {
    positions,
    bids,
    diffs: balanceDiffs(d.markets, balances, positions, bids, d.toleranceKrw ?? new Decimal(1)),
  };
}

/**
 * Compares each market's coin on the venue (available + locked) with the sum of the positions and
 * books the difference (see {@link corrections}) as zero-fee fills at the best bid, under a
 * `recon-<coin>-<minute>` decision: a surplus becomes the operator's holding, a deficit leaves the
 * operator's holding first. In live mode a deficit the operator cannot cover books nothing and is
 * reported unexplained. A market without a price cannot be valued: the check is then incomplete.
 */
export async function reconcileBalances(
  d: BalanceDeps,
): Promise<{ complete: boolean; found: Discrepancy[] }> {
  let { positions, bids, diffs } = await readDiffs(d);
  if (diffs.length > 0 && d.settle !== undefined) {
    // Only a difference still there, in the same direction, after the fills in flight were booked.
    const first = diffs;
    await d.settle(first.map((x) => x.market));
    ({ positions, bids, diffs } = await readDiffs(d));
    diffs = diffs.filter((x) =>
      first.some((f) => f.market === x.market && f.diff.isNegative() === x.diff.isNegative()),
    );
  }
  const found: Discrepancy[] = [];
  let complete = true;
  for (const diff of diffs) {
    const bid = bids.get(diff.market);
    if (bid === undefined) {
      complete = false;
      found.push({
        kind: 'unpriced_balance',
        market: diff.market,
        detail: `${diff.currency}: exchange ${diff.venue.toFixed()}, positions ${diff.local.toFixed()}, no price yet`,
        action: 'retried once the feed has a book',
        explained: true,
      });
      continue;
    }
    found.push(await correct(d, diff, positions, bid));
  }
  return { complete, found };
}

async function correct(
  d: BalanceDeps,
  diff: BalanceDiff,
  positions: Parameters<typeof corrections>[1],
  bid: Price,
): Promise<Discrepancy> {
  const { bookings, unexplained } = corrections(diff, positions, !d.live);
  const what = `${diff.currency}: exchange holds ${diff.venue.toFixed()}, positions say ${diff.local.toFixed()}`;
  if (d.live && unexplained.gt(0))
    return {
      kind: 'balance_deficit',
      market: diff.market,
      detail: what,
      action: `nothing booked: ${unexplained.toFixed()} ${diff.currency} the strategies hold is missing and cannot be explained`,
      explained: false,
    };
  if (!d.dryRun) {
    const minute = Math.floor(d.clock.now() / MS.minute) * MS.minute;
    const decisionId = makeDecisionId('recon', diff.market, minute as EpochMs);
    const equity = await d.equity();
    for (const [i, b] of bookings.entries())
      await recordFill(
        d.store,
        {
          fillId: `recon.${baseCurrency(diff.market)}.${d.clock.now()}.${i}`,
          identifier: orderIdentifier(decisionId, 0, 0),
          market: b.market,
          strategy: b.strategy,
          side: b.side,
          price: price(bid),
          volume: volume(b.volume),
          fee: krw(ZERO),
          isMaker: false,
          at: d.clock.now(),
        },
        equity,
      );
  }
  const booked = bookings
    .map((b) => `${b.side === 'bid' ? '+' : '-'}${b.volume.toFixed()} ${b.strategy}`)
    .join(', ');
  const verb = d.dryRun ? 'would book' : 'booked';
  if (diff.diff.gt(0))
    return {
      kind: 'balance_surplus',
      market: diff.market,
      detail: what,
      action: `${verb} ${booked} at ${bid.toFixed()}`,
      explained: true,
    };
  return {
    kind: 'balance_deficit',
    market: diff.market,
    detail: what,
    action: `${verb} ${booked} at ${bid.toFixed()}`,
    explained: true,
  };
}
