import { readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';

const UNIT = join(resolve(__dirname, '../../..'), 'infra/vm/qts-executor.service');

/**
 * The node flags of the VM unit's ExecStart (infra/vm/qts-executor.service): how systemd runs the
 * bundle, so how the bundle test and the executor's memory benchmark run it too.
 */
export function unitNodeFlags(): string[] {
  const unit = readFileSync(UNIT, 'utf8');
  return (/^ExecStart=(.*)$/m.exec(unit)?.[1] ?? '').split(/\s+/).filter((w) => w.startsWith('--'));
}

/**
 * The variables of the VM unit's `Environment=` lines, e.g. glibc's malloc settings: part of how
 * systemd runs the executor, so part of what the benchmark measures.
 */
export function unitEnvironment(): Record<string, string> {
  const unit = readFileSync(UNIT, 'utf8');
  const out: Record<string, string> = {};
  for (const m of unit.matchAll(/^Environment=([A-Za-z_][A-Za-z0-9_]*)=(\S*)$/gm))
    if (m[1] !== undefined) out[m[1]] = m[2] ?? '';
  return out;
}
