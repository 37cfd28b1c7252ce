import type { PipelineResult } from '../decision-pipeline';

/**
 * A pipeline result as comparable text (routed decisions and orders, refusal keys, fates in
 * order): the fast paths' property tests hold their results to the full pipeline's through it.
 */
export function pipelineText(r: PipelineResult): string {
  return JSON.stringify({ routed: r.routed, refusals: r.refusals, fates: [...r.fates] });
}
