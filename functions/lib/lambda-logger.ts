import { Logger as PowertoolsLogger } from '@aws-lambda-powertools/logger';
import { redact, redactText } from '../../shared/src/adapters/logging/redact';
import { Secret } from '../../shared/src/domain/security/secret';
import type { LogFields, Logger } from '../../shared/src/ports/logger';
import type { Env } from './function-env';

/** Service name on every line (`service` key), so CloudWatch Logs Insights can query all functions at once. */
export const LOG_SERVICE = 'qts';

/**
 * A Powertools logger for one function: JSON lines with the Lambda context (request id, cold start,
 * function name) and the correlation id the middleware sets. `Secret` values are masked even if
 * something hands one straight to Powertools (the replacer runs on every value it serialises).
 */
export function createPowertoolsLogger(component: string, env: Env): PowertoolsLogger {
  return new PowertoolsLogger({
    serviceName: LOG_SERVICE,
    logLevel: (env.POWERTOOLS_LOG_LEVEL ?? 'INFO') as 'INFO',
    persistentKeys: { component },
    jsonReplacerFn: (_key, value) => (value instanceof Secret ? '***' : value),
  });
}

/**
 * The system's Logger port on Powertools: every message and field goes through the same redactor as
 * the JSON logger (`shared/src/adapters/logging/redact.ts`: Secret values, secret-looking keys,
 * Bearer tokens and JWTs in text, errors reduced to name/message/code), so use cases log the same way
 * in a Lambda, the executor and tests.
 */
export class LambdaLogger implements Logger {
  constructor(
    private readonly powertools: PowertoolsLogger,
    private readonly context: LogFields = {},
  ) {}

  debug(message: string, fields?: LogFields): void {
    this.powertools.debug(redactText(message), this.attributes(fields));
  }

  info(message: string, fields?: LogFields): void {
    this.powertools.info(redactText(message), this.attributes(fields));
  }

  warn(message: string, fields?: LogFields): void {
    this.powertools.warn(redactText(message), this.attributes(fields));
  }

  error(message: string, fields?: LogFields): void {
    this.powertools.error(redactText(message), this.attributes(fields));
  }

  child(fields: LogFields): Logger {
    return new LambdaLogger(this.powertools, { ...this.context, ...fields });
  }

  private attributes(fields: LogFields | undefined): Record<string, unknown> {
    return redact({ ...this.context, ...fields }) as Record<string, unknown>;
  }
}
