import { runDetails } from '../../shared/src/application/analysis/analysis-run';
import type { AnalysisRun } from '../../shared/src/application/analysis/analyze-markets';

/** The invocation's answer (also logged): what was analysed, skipped and sent, and how long it took. */
export function analysisResponse(run: AnalysisRun) {
  return { ok: true, at: run.at, ...runDetails(run) };
}
