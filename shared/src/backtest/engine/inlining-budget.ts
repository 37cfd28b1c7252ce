import { setFlagsFromString } from 'node:v8';

/**
 * Bytecode size TurboFan may inline into one optimised function, for backtest and optimizer
 * processes: half of V8's default (920 in Node 20).
 */
export const BACKTEST_INLINING_BUDGET = 460;

/**
 * Caps how much bytecode V8's optimising compiler inlines into one function. The backtest's hot
 * functions (the engine's `advance`, the step bookkeeping, a strategy's `onBar`) call deep chains of
 * small functions; with the default budget TurboFan inlines most of them into a few very large
 * functions, which take 20–55 ms each to compile, are compiled again after every deoptimisation, and
 * in a run of a second or less cost more CPU than the inlining saves. Measured on the bundled
 * `bench/backtest-year.ts` (engine CPU s, see bench/README.md): momentum_scalping and microstructure
 * a year, market_making and `all` 30 days each ~5–10 % less, no case slower. Process-wide (worker
 * threads included), so only the entry points of backtest-like runs call it, never library code,
 * and before the hot code is first optimised; inlining never changes a result.
 */
export function limitInlining(bytes = BACKTEST_INLINING_BUDGET): void {
  setFlagsFromString(`--max-inlined-bytecode-size-cumulative=${bytes}`);
}
