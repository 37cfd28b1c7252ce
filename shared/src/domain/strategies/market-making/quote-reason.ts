import { fixedDigits } from '../../text/fixed-digits';
import type { SignalContribution } from '../../trading/decision';
import { StrategyName } from '../../trading/strategy-name';

/**
 * One number's `fixedDigits` text, kept for the last double formatted: market making writes five
 * numbers into every bar's reason, and on candles three of them usually repeat the last bar's
 * double exactly (imbalance 0, inventory 0 and skew 0 while flat; the half-spread while its floor
 * binds). `fixedDigits` is a pure function of (x, digits), so an equal double gives the same text;
 * `===` also treats −0 as 0, whose texts are the same ("0.0": `toFixed` writes "-" only for x < 0),
 * and NaN never equals itself, so it is formatted every time.
 */
class RepeatedNumberText {
  private last = Number.NaN;
  private text = '';

  constructor(private readonly digits: 0 | 1 | 2) {}

  of(x: number): string {
    if (x !== this.last) {
      this.text = fixedDigits(x, this.digits);
      this.last = x;
    }
    return this.text;
  }
}

/**
 * The market-making signal's reason text, the very text of
 * `${source}: half-spread ${halfSpread.toFixed(1)} bps (σ ${sigma.toFixed(1)} bps), skew
 * ${skew.toFixed(1)} bps (imbalance ${imbalance.toFixed(2)}, inventory ${inventoryPct.toFixed(0)} %)`
 * (one line). Its tail (from the imbalance on) is built from per-number texts formatted again only
 * when their double changed, and kept while its texts repeat (on candles imbalance 0 and, while
 * flat, inventory 0); the half-spread's, σ's and the skew's numbers, which change almost every
 * bar, are formatted only when the text is read (QuoteReason). One per strategy instance: its
 * memory is a cache, never a result.
 */
export class QuoteReasonText {
  private readonly imbalance = new RepeatedNumberText(2);
  private readonly inventory = new RepeatedNumberText(0);
  // ` bps (imbalance ${imbalance}, inventory ${inventory} %)` for the last two texts.
  private tailImbalance = '';
  private tailInventory = '';
  private tail = '';
  /**
   * Every tail made so far, by its imbalance then inventory text (at most {@link MAX_TAILS}, then
   * started afresh), and the inner map of the last imbalance text asked: a tail whose texts come
   * back is the same string object as before. A backtest's trade list interns each filled layer's
   * tail (QuoteReasons); a new string object of an equal text cost it a flattening and a hash
   * (~0.5 µs) on most fills, as inventory moves between a few percentages.
   */
  private readonly tails = new Map<string, Map<string, string>>();
  private tailCount = 0;
  private byInventory: Map<string, string> | undefined = undefined;
  private byInventoryOf = '';

  /** The reason text of these numbers (see the class comment). */
  format(
    source: 'candle' | 'book',
    halfSpreadBps: number,
    sigmaBps: number,
    skewBps: number,
    imbalance: number,
    inventoryPct: number,
  ): string {
    return this.reasonOf(source, halfSpreadBps, sigmaBps, skewBps, imbalance, inventoryPct).reason;
  }

  /**
   * The reason of these numbers as a {@link QuoteReason}: the tail text kept as above, the other
   * numbers formatted when the text is first read.
   */
  reasonOf(
    source: 'candle' | 'book',
    halfSpreadBps: number,
    sigmaBps: number,
    skewBps: number,
    imbalance: number,
    inventoryPct: number,
  ): QuoteReason {
    // The tail is a function of the texts it is keyed on (compared as strings, so equal texts of
    // different string objects still match), and empty only before its first use.
    const imbalanceText = this.imbalance.of(imbalance);
    const inventoryText = this.inventory.of(inventoryPct);
    if (imbalanceText !== this.tailImbalance || inventoryText !== this.tailInventory || this.tail === '') {
      this.tail = this.tailOf(imbalanceText, inventoryText);
      this.tailImbalance = imbalanceText;
      this.tailInventory = inventoryText;
    }
    return new QuoteReason(source, halfSpreadBps, sigmaBps, skewBps, this.tail);
  }

  /** ` bps (imbalance ${imbalanceText}, inventory ${inventoryText} %)`, the kept string when made before. */
  private tailOf(imbalanceText: string, inventoryText: string): string {
    let inner = this.byInventory;
    if (inner === undefined || imbalanceText !== this.byInventoryOf) {
      inner = this.tails.get(imbalanceText);
      if (inner === undefined) {
        inner = new Map();
        this.tails.set(imbalanceText, inner);
      }
      this.byInventory = inner;
      this.byInventoryOf = imbalanceText;
    }
    let tail = inner.get(inventoryText);
    if (tail === undefined) {
      tail = ` bps (imbalance ${imbalanceText}, inventory ${inventoryText} %)`;
      if (this.tailCount >= MAX_TAILS) {
        // A bounded cache (a live strategy runs for months): start again, this inner map kept.
        this.tails.clear();
        inner.clear();
        this.tails.set(imbalanceText, inner);
        this.tailCount = 0;
      }
      inner.set(inventoryText, tail);
      this.tailCount += 1;
    }
    return tail;
  }
}

/** Tails a {@link QuoteReasonText} keeps (a few hundred bytes each) before it starts afresh. */
const MAX_TAILS = 4096;

/**
 * One market-making signal's reason, and that signal's contribution to its quotes decision (the
 * `{ strategy, score: 0, weight: 1, reason }` quotesDecisionOf writes), with the text joined on
 * first read: a backtest reads a decision's reason only when one of its layers fills (a year of
 * market making: 152,759 trades over 525,600 bars), while the numbers change almost every bar, so
 * formatting them and joining the text was most of a quote's own work and allocation. The text is the one {@link QuoteReasonText}
 * formatted eagerly before: its tail is that formatter's, the other numbers' texts `fixedDigits`
 * of the same doubles (a pure function, so formatting later changes nothing).
 *
 * `reason` is a prototype getter: `toJSON` writes the literal's text, but a spread of the object
 * does not show `reason`. So only the backtest's fate-only ladder path puts it into a decision
 * (as it does a LazyQuotesIntent: such a decision is read by the broker's layers, which read the
 * reason through the getter, and copied by nobody); every other decision gets a literal.
 */
export class QuoteReason implements SignalContribution {
  readonly strategy = StrategyName.marketMaking;
  readonly score = 0;
  readonly weight = 1;
  private text: string | undefined = undefined;

  /**
   * The numbers and texts the reason is a pure function of, readable so that a backtest's trade
   * list can keep these instead of the text and make the text again when it is read (the same
   * function of the same values: the same text).
   */
  constructor(
    readonly source: 'candle' | 'book',
    readonly halfSpreadBps: number,
    readonly sigmaBps: number,
    readonly skewBps: number,
    /** ` bps (imbalance …, inventory … %)`: the text's end. */
    readonly tail: string,
  ) {}

  get reason(): string {
    this.text ??=
      `${this.source}: half-spread ${fixedDigits(this.halfSpreadBps, 1)} bps (σ ${fixedDigits(this.sigmaBps, 1)}` +
      ` bps), skew ${fixedDigits(this.skewBps, 1)}${this.tail}`;
    return this.text;
  }

  toJSON(): SignalContribution {
    return { strategy: this.strategy, score: this.score, weight: this.weight, reason: this.reason };
  }
}

// The settled reason, held (a function's list, so that the bundle keeps it): V8 forgets that the
// field was written once no object of the class is alive.
const SETTLED: QuoteReason[] = [];

/**
 * Reads one throwaway reason's text once, before a backtest's first bar (the backtest's warm-up
 * calls it; idempotent). Why: V8 treats a field written only by its initialiser as constant, and
 * `quote`, which makes a reason per bar, relied on `text` staying undefined until a backtest's
 * first read of a reason's text (market making's first decision through the full pipeline, ~day
 * 356 of a year: `quote` thrown away and compiled again). The executor never needs it.
 */
export function settleReasonText(): void {
  if (SETTLED.length > 0) return;
  const settled = new QuoteReason('candle', 0, 0, 0, '');
  if (settled.reason !== '') SETTLED.push(settled);
}
