import { execFile } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';

const ROOT = join(__dirname, '..', '..', '..');

/**
 * Package versions known to have shipped malicious code (npm supply-chain incidents, from the
 * public advisories): checked offline against every installed package, production and dev.
 */
const KNOWN_BAD: Readonly<Record<string, readonly string[]>> = {
  'event-stream': ['3.3.6'],
  'flatmap-stream': ['0.1.1'],
  'ua-parser-js': ['0.7.29', '0.8.0', '1.0.0'],
  coa: ['2.0.3', '2.0.4', '2.1.1', '2.1.3', '3.0.1', '3.1.3'],
  rc: ['1.2.9', '1.3.9', '2.3.9'],
  colors: ['1.4.1', '1.4.2', '1.4.44-liberty-2'],
  faker: ['6.6.6'],
  'node-ipc': ['10.1.1', '10.1.2', '10.1.3', '11.0.0', '11.1.0'],
  'eslint-scope': ['3.7.2'],
  'eslint-config-eslint': ['5.0.2'],
  'bootstrap-sass': ['3.2.0.3'],
  'electron-native-notify': ['1.1.6'],
  getcookies: ['1.0.0'],
  chalk: ['5.6.1'],
  debug: ['4.4.2'],
  'ansi-styles': ['6.2.2'],
  'ansi-regex': ['6.2.1'],
  'strip-ansi': ['7.1.1'],
  'color-convert': ['3.1.1'],
  'color-name': ['2.0.1'],
  'supports-color': ['10.2.1'],
  'wrap-ansi': ['9.0.1'],
  'slice-ansi': ['7.1.1'],
  'has-ansi': ['6.0.1'],
  'simple-swizzle': ['0.2.3'],
  'error-ex': ['1.3.3'],
  'is-arrayish': ['0.3.3'],
  backslash: ['0.2.1'],
  'chalk-template': ['1.1.1'],
  'supports-hyperlinks': ['4.1.1'],
  '@ctrl/tinycolor': ['4.1.1', '4.1.2'],
  'eslint-config-prettier': ['8.10.1', '9.1.1', '10.1.6', '10.1.7'],
  'eslint-plugin-prettier': ['4.2.2', '4.2.3'],
  is: ['3.3.1', '5.0.0'],
};

/** Licenses that would put obligations on a closed, deployed service (or say nothing at all). */
const COPYLEFT = /\b(A?GPL|LGPL|SSPL|EUPL|OSL|CPAL|CC-BY-NC)/i;

/** Findings of the offline checks and the audit endpoint's answer. */
export interface DependencyAudit {
  readonly productionPackages: number;
  readonly installedPackages: number;
  /** `npm audit --omit=dev`: high+critical count, or "unavailable" when the endpoint does not answer. */
  readonly highOrCritical: number | 'unavailable';
  readonly auditNote: string;
  readonly knownBad: number;
  readonly copyleftOrUnlicensed: number;
  readonly problems: readonly string[];
}

function npmAudit(): Promise<{ code: number | null; stdout: string }> {
  return new Promise((resolve) => {
    execFile(
      'npm',
      ['audit', '--omit=dev', '--json'],
      { cwd: ROOT, timeout: 120_000, maxBuffer: 32 * 1024 * 1024 },
      (error, stdout) =>
        resolve({ code: error === null ? 0 : ((error as { code?: number }).code ?? 1), stdout }),
    );
  });
}

/**
 * `npm audit --omit=dev` when the registry's audit endpoint answers (high and critical findings
 * counted); where it does not (here it answers 405), the result says "unavailable" with the
 * registry's answer, never a pass. Offline, always: every installed version against a list of
 * versions known to have been malicious, and every production package's license against copyleft
 * or missing licenses (from package-lock.json).
 */
export async function dependencyAudit(): Promise<DependencyAudit> {
  const lock = JSON.parse(readFileSync(join(ROOT, 'package-lock.json'), 'utf8')) as {
    packages: Record<string, { version?: string; license?: unknown; dev?: boolean; devOptional?: boolean }>;
  };
  const problems: string[] = [];
  const entries = Object.entries(lock.packages).filter(([path]) => path !== '');
  let knownBad = 0;
  let copyleft = 0;
  let production = 0;
  for (const [path, p] of entries) {
    const name = path.slice(path.lastIndexOf('node_modules/') + 'node_modules/'.length);
    if (p.version !== undefined && (KNOWN_BAD[name] ?? []).includes(p.version)) {
      knownBad += 1;
      problems.push(`known-malicious version installed: ${name}@${p.version}`);
    }
    if (p.dev === true || p.devOptional === true) continue;
    production += 1;
    const license = typeof p.license === 'string' ? p.license : JSON.stringify(p.license ?? null);
    if (p.license === undefined || COPYLEFT.test(license)) {
      copyleft += 1;
      problems.push(`production dependency ${name}@${p.version ?? '?'}: license ${license}`);
    }
  }
  const audit = await npmAudit();
  let highOrCritical: number | 'unavailable';
  let auditNote: string;
  try {
    const json = JSON.parse(audit.stdout) as {
      metadata?: { vulnerabilities?: Record<string, number> };
      statusCode?: number;
      message?: string;
    };
    const v = json.metadata?.vulnerabilities;
    if (v !== undefined) {
      highOrCritical = (v.high ?? 0) + (v.critical ?? 0);
      auditNote = `npm audit --omit=dev: ${JSON.stringify(v)}`;
    } else {
      highOrCritical = 'unavailable';
      auditNote = `npm audit --omit=dev could not reach the audit endpoint: ${json.message ?? `exit ${audit.code}`}`;
    }
  } catch {
    highOrCritical = 'unavailable';
    auditNote = `npm audit --omit=dev gave no JSON (exit ${audit.code})`;
  }
  return {
    productionPackages: production,
    installedPackages: entries.length,
    highOrCritical,
    auditNote,
    knownBad,
    copyleftOrUnlicensed: copyleft,
    problems,
  };
}
