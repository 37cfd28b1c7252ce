import { baseCurrency, type Market } from '../../../shared/src/domain/market/market-id';
import { type Decimal, ZERO } from '../../../shared/src/domain/money/decimal';
import { type OrderIdentifier, parseOrderIdentifier } from '../../../shared/src/domain/orders/identifiers';
import type { EpochMs } from '../../../shared/src/domain/time/epoch';
import type { Decision } from '../../../shared/src/domain/trading/decision';
import type { StateStore } from '../../../shared/src/ports/state-store';
import type { VenueOrder } from '../../../shared/src/ports/trading-venue';
import type { SimProcess } from './sim-process';

/** What the audit of our books against the sim's found; every count but the first three must be 0. */
export interface BooksAudit {
  readonly simOrders: number;
  readonly filledOrders: number;
  readonly fills: number;
  /** Sim orders still `wait` after the final drain. */
  readonly openOrphans: number;
  /** Sim orders with our identifier that the store does not hold under that uuid and executed volume. */
  readonly unrecorded: number;
  /** Decisions that bought more than their notional, quote layers filled beyond their volume, identifiers seen twice. */
  readonly duplicates: number;
  /** Sim trades of ours that no booked fill records. */
  readonly lostFills: number;
  /** Booked fills the sim has no trade for, or booked more than once. */
  readonly doubleFills: number;
  /** Markets whose coins on the sim (available + locked) differ from the sum of our positions. */
  readonly coinDrift: number;
  /** |KRW on the sim − KRW implied by the booked fills| (exact; 0 when nothing drifted). */
  readonly krwDrift: Decimal;
  /** Reconciliation corrections booked (`recon.` fills): drift that had to be repaired. */
  readonly reconCorrections: number;
  /** Human-readable details of the first problems, for the notes. */
  readonly problems: readonly string[];
}

/** Every order of ours on the sim (open + closed, paged by time), each with its trades. */
export async function simOrdersOf(sim: SimProcess, markets: readonly Market[]): Promise<VenueOrder[]> {
  const exchange = sim.client.exchange;
  if (exchange === undefined) throw new Error('the audit client has no keys');
  const seen = new Map<string, VenueOrder>();
  for (const market of markets) {
    for (const o of await exchange.getOpenOrders({ market, limit: 100 })) seen.set(o.uuid, o);
    let from = Date.now() - 6 * 24 * 3_600_000;
    for (;;) {
      const page = await exchange.getClosedOrders({ market, startTime: from, limit: 1000, orderBy: 'asc' });
      for (const o of page) seen.set(o.uuid, o);
      const last = page[page.length - 1];
      if (page.length < 1000 || last === undefined) break;
      from = last.createdAt;
    }
  }
  const out: VenueOrder[] = [];
  for (const o of seen.values()) {
    if (o.identifier === undefined || parseOrderIdentifier(o.identifier) === undefined) continue;
    const full = await exchange.getOrder({ uuid: o.uuid });
    if (full !== undefined) out.push(full);
  }
  return out;
}

function fundsOf(o: VenueOrder): Decimal {
  return o.executedFunds ?? (o.trades ?? []).reduce((t, x) => t.plus(x.funds), ZERO);
}

/**
 * Compares our books (orders, fills, positions in the state table) with the sim's after the
 * executor drained: the definition of "nothing lost, nothing doubled" the campaign counts.
 * `initialKrw` is the sim account's KRW at start (no coins at start).
 */
export async function auditBooks(input: {
  readonly sim: SimProcess;
  readonly store: StateStore;
  readonly markets: readonly Market[];
  readonly decisions: readonly Decision[];
  readonly initialKrw: Decimal;
  readonly since: number;
}): Promise<BooksAudit> {
  const { sim, store } = input;
  const orders = await simOrdersOf(sim, input.markets);
  const problems: string[] = [];
  const note = (p: string) => {
    if (problems.length < 20) problems.push(p);
  };
  let openOrphans = 0;
  let unrecorded = 0;
  let duplicates = 0;
  const byIdentifier = new Map<string, number>();
  for (const o of orders) {
    const id = o.identifier as string;
    byIdentifier.set(id, (byIdentifier.get(id) ?? 0) + 1);
    if (o.state === 'wait' || o.state === 'watch') {
      openOrphans += 1;
      note(`open after drain: ${id}`);
    }
    const local = await store.getOrder(id as OrderIdentifier);
    if (local?.uuid !== o.uuid || !local.executedVolume.eq(o.executedVolume)) {
      unrecorded += 1;
      note(
        `sim ${id} (${o.uuid}, executed ${o.executedVolume}) vs local ${local?.uuid ?? 'none'} ${local?.executedVolume.toFixed() ?? ''}`,
      );
    }
  }
  for (const [id, n] of byIdentifier)
    if (n > 1) {
      duplicates += n - 1;
      note(`identifier ${id} on the sim ${n} times`);
    }
  for (const d of input.decisions) {
    const mine = orders.filter((o) => o.identifier?.startsWith(`qts.${d.id}.`));
    if (d.intent.kind === 'directional' && d.intent.side === 'bid') {
      const spent = mine.reduce((s, o) => s.plus(fundsOf(o)), ZERO);
      if (spent.gt(d.intent.notional)) {
        duplicates += 1;
        note(`decision ${d.id} spent ${spent} > ${d.intent.notional}`);
      }
    }
    if (d.intent.kind === 'quotes')
      d.intent.levels.forEach((level, leg) => {
        const filled = mine
          .filter((o) => parseOrderIdentifier(o.identifier ?? '')?.leg === leg)
          .reduce((s, o) => s.plus(o.executedVolume), ZERO);
        if (filled.gt(level.volume)) {
          duplicates += 1;
          note(`decision ${d.id} leg ${leg} filled ${filled} > ${level.volume}`);
        }
      });
  }
  const expected = new Set(orders.flatMap((o) => (o.trades ?? []).map((t) => `${t.uuid}.${o.side}`)));
  const fills = await store.listFills({
    from: (input.since - 60_000) as EpochMs,
    to: (Date.now() + 60_000) as EpochMs,
  });
  const recon = fills.filter((f) => f.fillId.startsWith('recon.'));
  const ours = fills.filter((f) => !f.fillId.startsWith('recon.'));
  const booked = new Map<string, number>();
  for (const f of ours) booked.set(f.fillId, (booked.get(f.fillId) ?? 0) + 1);
  let lostFills = 0;
  for (const id of expected)
    if (!booked.has(id)) {
      lostFills += 1;
      note(`sim trade ${id} not booked`);
    }
  let doubleFills = 0;
  for (const [id, n] of booked)
    if (!expected.has(id) || n > 1) {
      doubleFills += expected.has(id) ? n - 1 : n;
      note(`fill ${id} booked ${n}× (${expected.has(id) ? 'known' : 'unknown'} to the sim)`);
    }
  const balances = (await sim.client.venue?.getBalances()) ?? [];
  const positions = await store.listPositions();
  let coinDrift = 0;
  for (const m of input.markets) {
    const coin = balances.find((b) => b.currency === baseCurrency(m));
    const simHeld = coin === undefined ? ZERO : coin.balance.plus(coin.locked);
    const held = positions.filter((p) => p.market === m).reduce((s, p) => s.plus(p.volume), ZERO);
    if (!held.eq(simHeld)) {
      coinDrift += 1;
      note(`${m}: positions ${held} vs sim ${simHeld}`);
    }
  }
  const krw = balances.find((b) => b.currency === 'KRW');
  const simKrw = krw === undefined ? ZERO : krw.balance.plus(krw.locked);
  let implied = input.initialKrw;
  for (const f of ours) {
    const funds = f.price.times(f.volume);
    implied = f.side === 'bid' ? implied.minus(funds).minus(f.fee) : implied.plus(funds).minus(f.fee);
  }
  const krwDrift = simKrw.minus(implied).abs();
  if (!krwDrift.isZero()) note(`KRW: sim ${simKrw} vs booked ${implied}`);
  return {
    simOrders: orders.length,
    filledOrders: orders.filter((o) => o.executedVolume.gt(0)).length,
    fills: ours.length,
    openOrphans,
    unrecorded,
    duplicates,
    lostFills,
    doubleFills,
    coinDrift,
    krwDrift,
    reconCorrections: recon.length,
    problems,
  };
}
