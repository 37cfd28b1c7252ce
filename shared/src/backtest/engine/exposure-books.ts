import { type ExposureBook, exposureBook } from '../../domain/risk/exposure';
import type { Position } from '../../domain/trading/position';
import type { SimulatedBroker } from '../broker/simulated-broker';

/**
 * The broker's exposure book (`exposureBook(positions, commitments)`), made again only when what it
 * sums changed. The broker's version moves with every position and every open order, and market
 * making places and cancels its quote layers on every bar, so a book kept per version was rebuilt
 * on every bar (maps and sums) for the strategies' contexts, although a bar without a fill leaves
 * the positions as they were and, between the bar's run and the new quotes, no order is open. Then
 * the book sums the positions alone: while the broker's position list is the same object (it makes
 * a new one whenever a position changes) the book is the same, and the very same object is handed
 * out again. That keeps what is derived from the book by identity (a strategy's context, the buy
 * ceilings) too: each is a function of the book's amounts.
 */
export class ExposureBooks {
  private version = Number.NaN;
  private book: ExposureBook | undefined = undefined;
  /**
   * The last book made while no order was open, and the position list it sums: kept apart from
   * `book`, so a read while orders are open (another market's decision) does not lose it.
   */
  private positions: readonly Position[] | undefined = undefined;
  private positionsBook: ExposureBook | undefined = undefined;

  constructor(private readonly broker: SimulatedBroker) {}

  /** The exposure book of the broker's books as they are now. */
  current(): ExposureBook {
    const broker = this.broker;
    const version = broker.version;
    if (this.book !== undefined && this.version === version) return this.book;
    const positions = broker.allPositions();
    let book: ExposureBook;
    if (broker.openOrders > 0) book = exposureBook(positions, broker.commitments());
    else if (this.positionsBook !== undefined && this.positions === positions) book = this.positionsBook;
    else {
      book = exposureBook(positions, broker.commitments());
      this.positions = positions;
      this.positionsBook = book;
    }
    // The same book at most versions (market making's quotes move the version every bar): stored
    // only when it is another, as a young object stored into this old one takes the write barrier's
    // slow path even when it is the object already there.
    if (book !== this.book) this.book = book;
    this.version = version;
    return book;
  }
}
