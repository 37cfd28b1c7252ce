import { appendFileSync, mkdirSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';

/**
 * Recognisable fake secrets the whole campaign runs with: the sim accepts them as its Upbit keys,
 * the API checks the token, alerts go to a fake Telegram with the bot token in every URL. If any of
 * them (or an encoding of it) shows up in a log line, a secret leaked.
 */
export const FAKE_SECRETS = {
  upbitAccessKey: 'RELIABILITYaccessKEY7f3a9c2e5b8d1f4a6c0e',
  upbitSecretKey: 'RELIABILITYsecretKEY2b6e9f1c4a7d0e3b5f8a',
  apiToken: 'RELIABILITY-api-token-4d7a1e9c3f6b2d8e5a0c',
  telegramBotToken: '7000000001:RELIABILITYtelegramTOKEN9e2c5f8b1d4a',
} as const;

/** base64/base64url of `secret` at each alignment inside a longer text (a JWT payload, a header). */
function base64Cores(secret: string): string[] {
  const out: string[] = [];
  for (let offset = 0; offset < 3; offset++) {
    const encoded = Buffer.from(`${'x'.repeat(offset)}${secret}`).toString('base64');
    // Drop the characters that also encode the padding prefix and the unaligned tail.
    const core = encoded.slice(Math.ceil((offset * 4) / 3) + 1, -4);
    if (core.length >= 16) out.push(core, core.replaceAll('+', '-').replaceAll('/', '_'));
  }
  return out;
}

/** Every text form a secret could take in a log line: raw, URL-encoded, JSON-escaped, base64. */
export function secretForms(secret: string): string[] {
  return [
    ...new Set([
      secret,
      encodeURIComponent(secret),
      JSON.stringify(secret).slice(1, -1),
      ...base64Cores(secret),
    ]),
  ];
}

/** A hit of the secret scan: which secret, where. */
export interface SecretHit {
  readonly secret: string;
  readonly file: string;
  readonly line: number;
}

/**
 * Every log of the campaign in one directory: child processes write their stdout/stderr to a file
 * each, in-process components write through {@link CapturedLogs.sink}. `scan` reads them all.
 */
export class CapturedLogs {
  constructor(readonly dir: string) {
    mkdirSync(dir, { recursive: true });
  }

  /** Path of a log file for one process or component (appended to, never truncated). */
  file(name: string): string {
    return join(this.dir, `${name.replace(/[^A-Za-z0-9_.-]/g, '_')}.log`);
  }

  /** A line writer into `name`'s log file, for in-process JSON loggers. */
  sink(name: string): (line: string) => void {
    const path = this.file(name);
    return (line) => appendFileSync(path, `${line}\n`);
  }

  /** Lines of every log file whose text contains `needle`. */
  grep(needle: string | RegExp, fileFilter: (name: string) => boolean = () => true): string[] {
    const out: string[] = [];
    for (const name of readdirSync(this.dir)) {
      if (!fileFilter(name)) continue;
      for (const line of readFileSync(join(this.dir, name), 'utf8').split('\n'))
        if (typeof needle === 'string' ? line.includes(needle) : needle.test(line)) out.push(line);
    }
    return out;
  }

  /** Scans every captured line for every form of every secret. */
  scan(secrets: readonly string[]): { files: number; lines: number; bytes: number; hits: SecretHit[] } {
    const forms = secrets.map((s) => ({ secret: s, forms: secretForms(s) }));
    const hits: SecretHit[] = [];
    let lines = 0;
    let bytes = 0;
    const files = readdirSync(this.dir).filter((n) => statSync(join(this.dir, n)).isFile());
    for (const name of files) {
      const text = readFileSync(join(this.dir, name), 'utf8');
      bytes += text.length;
      text.split('\n').forEach((line, i) => {
        if (line === '') return;
        lines += 1;
        for (const f of forms)
          if (f.forms.some((form) => line.includes(form)))
            hits.push({ secret: f.secret.slice(0, 14), file: name, line: i + 1 });
      });
    }
    return { files: files.length, lines, bytes, hits };
  }
}
