import type { AnalysisRun } from '../../shared/src/application/analysis/analyze-markets';

/** The invocation's answer (also logged): what was analysed, skipped and sent, and how long it took. */
export function analysisResponse(run: AnalysisRun) {
  return {
    ok: true,
    at: run.at,
    decisionAt: run.decisionAt,
    analysed: [...run.analysed],
    skipped: run.skipped.map((s) => ({ market: s.market, reason: s.reason })),
    alreadyAnalysed: [...run.alreadyAnalysed],
    warmedUp: run.warmedUp.length,
    decisionsSent: run.decisionsSent,
    duplicateDecisions: run.duplicateDecisions,
    signals: run.signals,
    notes: [...run.notes],
    durationMs: run.durationMs,
  };
}
