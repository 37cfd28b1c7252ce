import type { PipelineInput } from './decision-pipeline';
import type { EnsembleInput } from './ensemble';

/**
 * The ensemble's input for a pipeline input, without the book (the strategies' views never read
 * it; a caller that resolves market making's quotes adds it): one literal for the full pipeline,
 * the mixed-bar pipeline and the ladder path's view resolution.
 */
export function viewsInput(input: PipelineInput): EnsembleInput {
  return {
    market: input.market,
    now: input.now,
    signals: input.signals,
    config: input.config,
    rules: input.rules,
    holdings: input.holdings,
  };
}
