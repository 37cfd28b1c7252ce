import type { EmulatorEndpoints } from '../../../shared/testing/emulators/emulator-endpoints';
import type { CapturedLogs } from './captured-logs';
import type { CategoryResult } from './report';
import type { Scale } from './scale';

/** What every category of the campaign gets. */
export interface CampaignContext {
  readonly endpoints: EmulatorEndpoints;
  readonly logs: CapturedLogs;
  readonly scale: Scale;
  /** Seeds every random choice of the campaign: the same seed replays the same schedule. */
  readonly seed: number;
  /** A progress line for stderr (the CLI prints it; the Jest test drops it). */
  progress(message: string): void;
}

/** One category: its id (for `--only`), title and runner. */
export interface Category {
  readonly id: string;
  readonly title: string;
  run(ctx: CampaignContext): Promise<CategoryResult>;
}
