import { randomUUID } from 'node:crypto';
import { DeleteCommand, GetCommand, PutCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import { TradingError } from '../../domain/errors/trading-error';
import type { EpochMs } from '../../domain/time/epoch';
import {
  type IdempotencyClaim,
  type IdempotencyClaimRequest,
  type IdempotencyRecord,
  IdempotencyState,
  type IdempotencyStore,
  isClaimable,
  type StoredAnswer,
} from '../../ports/idempotency-store';
import { guard, isConditionFailed } from './dynamodb-errors';
import type { Item } from './item-codec';
import type { TableContext } from './table-context';
import { Keys, ttlSeconds } from './table-keys';

/** Claim attempts when the record that blocked a claim is gone by the time it is read back. */
const CLAIM_ATTEMPTS = 3;

/** `#state` and friends: `state` is a DynamoDB reserved word. */
const NAMES = { '#state': 'state' } as const;

/** Condition under which a claim may write: no record, an expired one, or an in-flight one past its lease. */
const CLAIMABLE =
  'attribute_not_exists(pk) OR expiresAt <= :at OR (#state = :inFlight AND leaseUntil <= :at)';

/** Condition under which a holder may complete or release: its claim, still in flight. */
const HELD = 'claimId = :claimId AND #state = :inFlight';

function recordFromItem(item: Item): IdempotencyRecord {
  const answer = item.answer as { status?: unknown; body?: unknown } | undefined;
  return {
    key: String(item.sk),
    fingerprint: String(item.fingerprint),
    claimId: String(item.claimId),
    state: item.state === IdempotencyState.done ? IdempotencyState.done : IdempotencyState.inFlight,
    claimedAt: Number(item.claimedAt) as EpochMs,
    leaseUntil: Number(item.leaseUntil) as EpochMs,
    expiresAt: Number(item.expiresAt) as EpochMs,
    ...(answer === undefined ? {} : { answer: { status: Number(answer.status), body: String(answer.body) } }),
  };
}

/**
 * The API's idempotency claims in the state table (`pk = IDEMPOTENCY#api`, `sk` = the key): a claim
 * is one conditional put, completion and release are conditional on the claim id, reads are
 * strongly consistent (a waiting retry must see the answer as soon as it is written), and `ttl`
 * lets DynamoDB delete a record after it expires (reads treat it as gone from `expiresAt` on,
 * since TTL deletion may lag by days).
 */
export class DynamoDbIdempotencyStore implements IdempotencyStore {
  constructor(private readonly ctx: TableContext) {}

  claimIdempotencyKey(request: IdempotencyClaimRequest): Promise<IdempotencyClaim> {
    return guard('claimIdempotencyKey', async () => {
      for (let attempt = 1; attempt <= CLAIM_ATTEMPTS; attempt += 1) {
        const claimId = randomUUID();
        try {
          await this.ctx.db.send(
            new PutCommand({
              TableName: this.ctx.tableName,
              Item: {
                ...Keys.apiIdempotency(request.key),
                type: 'api_idempotency',
                fingerprint: request.fingerprint,
                claimId,
                state: IdempotencyState.inFlight,
                claimedAt: request.at,
                leaseUntil: request.leaseUntil,
                expiresAt: request.expiresAt,
                ttl: ttlSeconds(request.expiresAt, 0),
              },
              ConditionExpression: CLAIMABLE,
              ExpressionAttributeNames: NAMES,
              ExpressionAttributeValues: { ':at': request.at, ':inFlight': IdempotencyState.inFlight },
            }),
          );
          return { outcome: 'claimed', claimId };
        } catch (error) {
          if (!isConditionFailed(error)) throw error;
        }
        // Another claim holds the key: read which. If it was released (or lapsed) in between, try again.
        const stored = await this.read(request.key);
        if (stored !== undefined && !isClaimable(stored, request.at))
          return { outcome: 'taken', record: stored };
      }
      throw new TradingError(
        'retryable',
        `idempotency key ${request.key}: the claim kept changing under concurrent calls; retry the request`,
        { code: 'idempotency_claim_contended' },
      );
    });
  }

  completeIdempotencyKey(key: string, claimId: string, answer: StoredAnswer): Promise<boolean> {
    return guard('completeIdempotencyKey', () =>
      this.conditional(
        new UpdateCommand({
          TableName: this.ctx.tableName,
          Key: Keys.apiIdempotency(key),
          UpdateExpression: 'SET #state = :done, answer = :answer',
          ConditionExpression: HELD,
          ExpressionAttributeNames: NAMES,
          ExpressionAttributeValues: {
            ':done': IdempotencyState.done,
            ':answer': { status: answer.status, body: answer.body },
            ':claimId': claimId,
            ':inFlight': IdempotencyState.inFlight,
          },
        }),
      ),
    );
  }

  releaseIdempotencyKey(key: string, claimId: string): Promise<boolean> {
    return guard('releaseIdempotencyKey', () =>
      this.conditional(
        new DeleteCommand({
          TableName: this.ctx.tableName,
          Key: Keys.apiIdempotency(key),
          ConditionExpression: HELD,
          ExpressionAttributeNames: NAMES,
          ExpressionAttributeValues: { ':claimId': claimId, ':inFlight': IdempotencyState.inFlight },
        }),
      ),
    );
  }

  getIdempotencyKey(key: string, now: EpochMs): Promise<IdempotencyRecord | undefined> {
    return guard('getIdempotencyKey', async () => {
      const stored = await this.read(key);
      return stored === undefined || stored.expiresAt <= now ? undefined : stored;
    });
  }

  private async read(key: string): Promise<IdempotencyRecord | undefined> {
    const got = await this.ctx.db.send(
      new GetCommand({ TableName: this.ctx.tableName, Key: Keys.apiIdempotency(key), ConsistentRead: true }),
    );
    return got.Item === undefined ? undefined : recordFromItem(got.Item as Item);
  }

  /** Sends a conditional write: true when it applied, false when its condition failed. */
  private async conditional(command: UpdateCommand | DeleteCommand): Promise<boolean> {
    try {
      await this.ctx.db.send(command);
      return true;
    } catch (error) {
      if (isConditionFailed(error)) return false;
      throw error;
    }
  }
}
