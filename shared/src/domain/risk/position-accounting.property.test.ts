import fc from 'fast-check';
import { layout } from '../../../testing/decimal-layout';
import { Decimal, ZERO } from '../money/decimal';
import { price } from '../money/quantities';
import type { Position } from '../trading/position';
import {
  ACCOUNTING_SCALE,
  applyFillToPosition,
  averageEntryNumber,
  averageEntryPrice,
  emptyPosition,
  liquidationValue,
} from './position-accounting';
import { BTC, fillOf, T0 } from './testing/risk-builders';

/** decimal.js wide enough to be exact on this test's operands. */
const Wide = Decimal.clone({ precision: 200 });

/** The accounting as decimal.js alone computes it (before integer units): the oracle. */
function reference(p: Position, side: 'bid' | 'ask', px: Decimal, vol: Decimal, fee: Decimal) {
  const value = px.times(vol);
  if (side === 'bid') return { volume: p.volume.plus(vol), cost: p.cost.plus(value).plus(fee), pnl: ZERO };
  // cost × sold ÷ held rounded ONCE, half-even (200 digits hold the product exactly and the
  // quotient far past any tie; decimal.js at its 40 digits would round twice before that).
  const released = vol.eq(p.volume)
    ? p.cost
    : new Decimal(
        new Wide(p.cost.toString())
          .times(vol.toString())
          .div(p.volume.toString())
          .toDecimalPlaces(ACCOUNTING_SCALE, Decimal.ROUND_HALF_EVEN)
          .toString(),
      );
  return { volume: p.volume.minus(vol), cost: p.cost.minus(released), pnl: value.minus(fee).minus(released) };
}

const step = fc.record({
  sell: fc.boolean(),
  price: fc.oneof(
    fc.integer({ min: 1, max: 200_000 }).map((n) => n * 1000),
    fc.integer({ min: 1, max: 99_999 }),
  ),
  units: fc.integer({ min: 1, max: 10 ** 11 }),
  fraction: fc.integer({ min: 1, max: 1000 }),
  makerFee: fc.boolean(),
});

describe('position accounting on integer units', () => {
  it('gives decimal.js’s positions, realised PnL, average and liquidation value, digit for digit', () => {
    fc.assert(
      fc.property(fc.array(step, { minLength: 1, maxLength: 25 }), (steps) => {
        let p = emptyPosition(BTC, 'momentum_scalping', T0);
        for (const s of steps) {
          const px = new Decimal(s.price);
          const held = p.volume;
          const vol =
            s.sell && !held.isZero()
              ? s.fraction === 1000
                ? held
                : held.times(s.fraction).div(1000).toDecimalPlaces(8, Decimal.ROUND_DOWN)
              : new Decimal(`${s.units}e-8`);
          if (vol.isZero()) continue;
          const side = s.sell && !held.isZero() ? 'ask' : 'bid';
          const fee = px.times(vol).times(s.makerFee ? '0.0005' : '0.00139');
          const fill = fillOf({ side, price: px.toFixed(), volume: vol.toFixed(), fee: fee.toFixed() });
          const want = reference(p, side, fill.price, fill.volume, fill.fee);
          const got = applyFillToPosition(p, fill);
          expect(layout(got.position.volume)).toEqual(layout(want.volume));
          expect(layout(got.position.cost)).toEqual(layout(want.cost));
          expect(got.realizedPnl.toString()).toBe(want.pnl.toString());
          p = got.position;
          if (!p.volume.isZero()) {
            const avg = p.cost.div(p.volume);
            expect(layout(averageEntryPrice(p) as Decimal)).toEqual(layout(avg));
            expect(averageEntryNumber(p)).toBe(avg.toNumber());
            const mark = price(px.plus(1000));
            const liquidation = p.volume.times(mark).times(new Decimal(1).minus('0.0005'));
            expect(layout(liquidationValue(p, mark, new Decimal('0.0005')))).toEqual(layout(liquidation));
          }
        }
      }),
      { numRuns: 400 },
    );
  });

  it('builds positions with the keys, key order and values the spreads gave, whatever the input’s order', () => {
    const keys = ['market', 'strategy', 'volume', 'cost', 'realizedPnl', 'feesPaid', 'updatedAt', 'version'];
    fc.assert(
      fc.property(
        fc.oneof(
          fc.constant(keys),
          fc.shuffledSubarray(keys, { minLength: keys.length, maxLength: keys.length }),
        ),
        fc.constantFrom('none', 'last', 'first', 'undefined', 'extra', 'truncated'),
        fc.boolean(),
        fc.boolean(),
        (order, opened, sell, all) => {
          const values: Record<string, unknown> = {
            market: BTC,
            strategy: 'momentum_scalping',
            volume: new Decimal('0.5'),
            cost: new Decimal('25012.5'),
            realizedPnl: new Decimal('3'),
            feesPaid: new Decimal('12.5'),
            updatedAt: T0,
            version: 4,
          };
          const input: Record<string, unknown> = {};
          if (opened === 'first') input.openedAt = T0;
          for (const k of order) input[k] = values[k];
          if (opened === 'last') input.openedAt = T0;
          if (opened === 'undefined') input.openedAt = undefined;
          if (opened === 'extra') input.note = 'kept';
          if (opened === 'truncated') delete input.version;
          const position = input as unknown as Position;
          const fill = fillOf({ side: sell ? 'ask' : 'bid', price: '50000', volume: all ? '0.5' : '0.2' });
          const got = applyFillToPosition(position, fill).position;
          // The spreads as they were: a buy spreads the position, a sell drops openedAt and adds it back.
          const expected: Record<string, unknown> = sell
            ? (({ openedAt: _o, ...rest }) => ({
                ...rest,
                volume: got.volume,
                cost: got.cost,
                realizedPnl: got.realizedPnl,
                feesPaid: got.feesPaid,
                updatedAt: fill.at,
                ...(all || position.openedAt === undefined ? {} : { openedAt: position.openedAt }),
              }))(input)
            : {
                ...input,
                volume: got.volume,
                cost: got.cost,
                feesPaid: got.feesPaid,
                openedAt: got.openedAt,
                updatedAt: fill.at,
              };
          // What any reader sees (JSON, `??`, DynamoDB without undefined values): the keys whose values
          // are defined, in order; a position in the canonical order also holds `openedAt: undefined`
          // while flat (one hidden class for all of them).
          const defined = (x: object) => Object.entries(x).filter(([, v]) => v !== undefined);
          expect(defined(got)).toEqual(defined(expected));
          expect(JSON.stringify(got)).toBe(JSON.stringify(expected));
          if (order === keys && (opened === 'none' || opened === 'last'))
            expect(Object.keys(got)).toEqual([...keys, 'openedAt']);
        },
      ),
      { numRuns: 500 },
    );
  });

  it('builds every position of a (market, strategy), empty, open or closed, with the same own keys in order', () => {
    fc.assert(
      fc.property(fc.array(fc.integer({ min: 1, max: 4 }), { minLength: 1, maxLength: 8 }), (steps) => {
        let position = emptyPosition(BTC, 'momentum_scalping', T0);
        const keys = Object.keys(position);
        expect(keys).toEqual([
          'market',
          'strategy',
          'volume',
          'cost',
          'realizedPnl',
          'feesPaid',
          'updatedAt',
          'version',
          'openedAt',
        ]);
        for (const n of steps) {
          // Buy n tenths, then sell them back in one or two fills (a partial and a closing sell).
          position = applyFillToPosition(
            position,
            fillOf({ side: 'bid', price: '50000', volume: `0.${n}` }),
          ).position;
          expect(Object.keys(position)).toEqual(keys);
          if (n > 1)
            position = applyFillToPosition(
              position,
              fillOf({ side: 'ask', price: '50000', volume: '0.1' }),
            ).position;
          expect(Object.keys(position)).toEqual(keys);
          const rest = position.volume.toString();
          position = applyFillToPosition(
            position,
            fillOf({ side: 'ask', price: '50000', volume: rest }),
          ).position;
          expect(Object.keys(position)).toEqual(keys);
          expect(position.openedAt).toBeUndefined();
        }
      }),
      { numRuns: 100 },
    );
  });

  it('tells the position built last from an equal one in another key order, fill after fill', () => {
    // isCanonical answers for the last-built position by identity: a copy with the same values in
    // another order, applied right after it, must still take the spread (its own key order).
    fc.assert(
      fc.property(
        fc.array(fc.tuple(fc.integer({ min: 1, max: 9 }), fc.boolean()), { minLength: 1, maxLength: 10 }),
        (steps) => {
          let position = emptyPosition(BTC, 'momentum_scalping', T0);
          const canonicalKeys = Object.keys(position);
          for (const [n, shuffle] of steps) {
            const bought = applyFillToPosition(
              position,
              fillOf({ side: 'bid', price: '50000', volume: `0.${n}` }),
            ).position;
            expect(Object.keys(bought)).toEqual(canonicalKeys);
            const reversed = Object.fromEntries(Object.entries(bought).reverse()) as unknown as Position;
            const input = shuffle ? reversed : bought;
            const sold = applyFillToPosition(input, fillOf({ side: 'ask', price: '50000', volume: '0.1' }));
            const want = shuffle
              ? Object.keys(reversed).filter((k) => k !== 'openedAt' || sold.position.openedAt !== undefined)
              : canonicalKeys;
            expect(Object.keys(sold.position).sort()).toEqual([...want].sort());
            if (shuffle) expect(Object.keys(sold.position)).not.toEqual(canonicalKeys);
            else expect(Object.keys(sold.position)).toEqual(canonicalKeys);
            // Go on from the canonical chain (the reversed copy's result keeps the reversed order).
            position = shuffle
              ? applyFillToPosition(bought, fillOf({ side: 'ask', price: '50000', volume: '0.1' })).position
              : sold.position;
          }
        },
      ),
      { numRuns: 100 },
    );
  });
});
