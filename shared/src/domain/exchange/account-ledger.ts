import { type Decimal, formatDecimal, parseDecimal, ZERO } from '../money/decimal';

/** One currency of the account: `balance` is available, `locked` is held by open orders. */
export interface LedgerAccount {
  readonly currency: string;
  readonly balance: Decimal;
  readonly locked: Decimal;
  /** Volume-weighted KRW buy price, fees excluded (PROTOCOL.md §6.5; UNCONFIRMED whether Upbit adds fees). */
  readonly avgBuyPrice: Decimal;
}

interface MutableAccount {
  balance: Decimal;
  locked: Decimal;
  avgBuyPrice: Decimal;
}

/** A ledger operation that would break an invariant (negative balance): a bug in the engine, never user input. */
export class LedgerInvariantError extends Error {
  override readonly name = 'LedgerInvariantError';
}

/**
 * Balances of the single simulated account, exact decimals. Every mutation records the currency as
 * changed so the engine can publish one `myAsset` event listing only what moved.
 */
export class AccountLedger {
  private readonly accounts = new Map<string, MutableAccount>();
  private readonly changed = new Set<string>();

  private get(currency: string): MutableAccount {
    let a = this.accounts.get(currency);
    if (a === undefined) {
      a = { balance: ZERO, locked: ZERO, avgBuyPrice: ZERO };
      this.accounts.set(currency, a);
    }
    return a;
  }

  /** Available (not locked) amount. */
  available(currency: string): Decimal {
    return this.accounts.get(currency)?.balance ?? ZERO;
  }

  /** Locked amount. */
  lockedOf(currency: string): Decimal {
    return this.accounts.get(currency)?.locked ?? ZERO;
  }

  /** Overwrites the available amount (test drivers, `--balance`); locked amounts stay as they are. */
  setBalance(currency: string, amount: Decimal, avgBuyPrice?: Decimal): void {
    if (amount.isNegative()) throw new LedgerInvariantError(`balance of ${currency} cannot be negative`);
    const a = this.get(currency);
    a.balance = amount;
    if (avgBuyPrice !== undefined) a.avgBuyPrice = avgBuyPrice;
    this.changed.add(currency);
  }

  /** Moves available → locked when an order is accepted. */
  lock(currency: string, amount: Decimal): void {
    const a = this.get(currency);
    if (a.balance.lt(amount))
      throw new LedgerInvariantError(
        `cannot lock ${formatDecimal(amount)} ${currency}: only ${formatDecimal(a.balance)}`,
      );
    a.balance = a.balance.minus(amount);
    a.locked = a.locked.plus(amount);
    this.changed.add(currency);
  }

  /** Moves locked → available (cancel, price improvement, market-buy residual). */
  unlock(currency: string, amount: Decimal): void {
    if (amount.isZero()) return;
    const a = this.get(currency);
    if (a.locked.lt(amount))
      throw new LedgerInvariantError(
        `cannot unlock ${formatDecimal(amount)} ${currency}: only ${formatDecimal(a.locked)}`,
      );
    a.locked = a.locked.minus(amount);
    a.balance = a.balance.plus(amount);
    this.changed.add(currency);
  }

  /** Removes a locked amount that was spent on a fill. */
  spendLocked(currency: string, amount: Decimal): void {
    const a = this.get(currency);
    if (a.locked.lt(amount))
      throw new LedgerInvariantError(
        `cannot spend ${formatDecimal(amount)} locked ${currency}: only ${formatDecimal(a.locked)}`,
      );
    a.locked = a.locked.minus(amount);
    this.changed.add(currency);
  }

  /** Adds to the available amount (fill proceeds). */
  credit(currency: string, amount: Decimal): void {
    const a = this.get(currency);
    a.balance = a.balance.plus(amount);
    this.changed.add(currency);
  }

  /** Updates the average buy price after buying `volume` at `price` (before crediting the volume). */
  recordBuy(currency: string, volume: Decimal, price: Decimal): void {
    const a = this.get(currency);
    const held = a.balance.plus(a.locked);
    const total = held.plus(volume);
    if (total.isZero()) return;
    a.avgBuyPrice = held.times(a.avgBuyPrice).plus(volume.times(price)).div(total);
  }

  /** Accounts with a non-zero balance or lock (KRW always), KRW first then by currency. */
  list(): LedgerAccount[] {
    const rows: LedgerAccount[] = [];
    for (const [currency, a] of this.accounts) {
      if (currency !== 'KRW' && a.balance.isZero() && a.locked.isZero()) continue;
      rows.push({ currency, balance: a.balance, locked: a.locked, avgBuyPrice: a.avgBuyPrice });
    }
    if (!this.accounts.has('KRW'))
      rows.push({ currency: 'KRW', balance: ZERO, locked: ZERO, avgBuyPrice: ZERO });
    return rows.sort((x, y) =>
      x.currency === 'KRW' ? -1 : y.currency === 'KRW' ? 1 : x.currency.localeCompare(y.currency),
    );
  }

  /** One account (zeros when never touched). */
  account(currency: string): LedgerAccount {
    const a = this.accounts.get(currency);
    return a === undefined
      ? { currency, balance: ZERO, locked: ZERO, avgBuyPrice: ZERO }
      : { currency, balance: a.balance, locked: a.locked, avgBuyPrice: a.avgBuyPrice };
  }

  /** Currencies changed since the last call, with their current amounts; clears the change set. */
  drainChanged(): LedgerAccount[] {
    const out: LedgerAccount[] = [];
    for (const c of this.changed) out.push(this.account(c));
    this.changed.clear();
    return out;
  }

  /** Restores accounts from saved text values (state file). */
  restore(rows: readonly { currency: string; balance: string; locked: string; avgBuyPrice: string }[]): void {
    this.accounts.clear();
    for (const r of rows)
      this.accounts.set(r.currency, {
        balance: parseDecimal(r.balance),
        locked: parseDecimal(r.locked),
        avgBuyPrice: parseDecimal(r.avgBuyPrice),
      });
  }
}
