import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { crashInjection } from './categories/crash-injection';
import { exchangeFaults } from './categories/exchange-faults';
import { fuzzing } from './categories/fuzzing';
import { redelivery } from './categories/redelivery';
import { riskProperties } from './categories/risk-properties';
import { security } from './categories/security';
import { soak } from './categories/soak';
import { CapturedLogs } from './lib/captured-logs';
import type { Category } from './lib/context';
import { ensureEmulators } from './lib/emulators';
import { type CampaignReport, type CategoryResult, categoryResult, machineFacts, zero } from './lib/report';
import type { Scale } from './lib/scale';

/** Every category in the order; the secret scan runs last over everything they logged. */
export const CATEGORIES: readonly Category[] = [
  crashInjection,
  redelivery,
  exchangeFaults,
  fuzzing,
  riskProperties,
  soak,
  security,
];

/** Options of {@link runCampaign}. */
export interface CampaignOptions {
  readonly scale: Scale;
  readonly seed: number;
  /** Category ids to run (default all). */
  readonly only?: readonly string[];
  /** Where the logs go (default a fresh temp directory, kept for inspection). */
  readonly logDir?: string;
  readonly command: string;
  readonly progress?: (message: string) => void;
}

/**
 * Runs the campaign: starts (or reuses) the emulators, runs each selected category in turn with
 * every log captured, and returns the figures. A category that throws is reported as failed with
 * its error, never skipped silently.
 */
export async function runCampaign(options: CampaignOptions): Promise<CampaignReport & { logDir: string }> {
  const started = Date.now();
  const logDir = options.logDir ?? mkdtempSync(join(tmpdir(), 'qts-reliability-logs-'));
  const logs = new CapturedLogs(logDir);
  const progress = options.progress ?? (() => undefined);
  const emulators = await ensureEmulators();
  const results: CategoryResult[] = [];
  try {
    const ctx = { endpoints: emulators.endpoints, logs, scale: options.scale, seed: options.seed, progress };
    for (const category of CATEGORIES) {
      if (options.only !== undefined && !options.only.includes(category.id)) continue;
      progress(`${category.title}: starting`);
      const t0 = Date.now();
      try {
        results.push(await category.run(ctx));
      } catch (error) {
        results.push(
          categoryResult(category.id, category.title, [zero('harness errors', 1)], t0, [
            error instanceof Error ? (error.stack ?? error.message) : String(error),
          ]),
        );
      }
      progress(`${category.title}: ${results[results.length - 1]?.pass === true ? 'PASS' : 'FAIL'}`);
    }
  } finally {
    await emulators.stop();
  }
  return {
    date: new Date(started).toISOString(),
    machine: machineFacts(),
    command: options.command,
    scale: options.scale.name,
    seed: options.seed,
    durationMs: Date.now() - started,
    pass: results.every((r) => r.pass),
    categories: results,
    logDir,
  };
}
