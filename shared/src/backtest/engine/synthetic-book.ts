/**
 * The synthetic book lives in the domain (the minute analysis decides from the same closed-bar
 * quotes as the backtest); re-exported here for the simulated broker's fill prices.
 */
export { quotesAround, type SyntheticQuotes, syntheticBook } from '../../domain/ensemble/synthetic-book';
