import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { ACTIVE_INDEX, UUID_INDEX } from '../../src/adapters/dynamodb/table-keys';
import { DEAD_LETTER_REASON_ATTRIBUTE } from '../../src/adapters/sqs/sqs-fifo-queue';
import { redriveReceivesNeeded } from '../../src/application/messaging/failed-attempts';
import { DEFAULT_MAX_ATTEMPTS, DEFAULT_MAX_MESSAGES } from '../../src/application/messaging/queue-consumer';
import { loadCfnResources, REPO_ROOT, resourcesOfType } from './cloudformation-resources';
import { DYNAMODB_TEMPLATE, SQS_TEMPLATE } from './provision';

// What infra/README.md promises about the deployed resources, checked on the templates themselves
// (DynamoDB Local ignores PITR and SSE, so the emulator cannot check those).
describe('infra/resources templates', () => {
  it('declare the state table on demand, with PITR, encryption, TTL and the GSIs the adapters query', () => {
    const [[, table] = ['', {}]] = resourcesOfType(
      loadCfnResources(DYNAMODB_TEMPLATE),
      'AWS::DynamoDB::Table',
    );
    expect(table).toMatchObject({
      BillingMode: 'PAY_PER_REQUEST',
      PointInTimeRecoverySpecification: { PointInTimeRecoveryEnabled: true },
      SSESpecification: { SSEEnabled: true },
      TimeToLiveSpecification: { AttributeName: 'ttl', Enabled: true },
      DeletionProtectionEnabled: true,
    });
    const gsis = (table.GlobalSecondaryIndexes as { IndexName: string }[]).map((g) => g.IndexName);
    expect(gsis.sort()).toEqual([UUID_INDEX, ACTIVE_INDEX].sort());
  });

  it('declare FIFO decision and control queues, each redriving to an encrypted FIFO dead-letter queue', () => {
    const queues = Object.fromEntries(resourcesOfType(loadCfnResources(SQS_TEMPLATE), 'AWS::SQS::Queue'));
    for (const id of ['DecisionQueue', 'ControlQueue']) {
      const q = queues[id] ?? {};
      expect(q).toMatchObject({
        FifoQueue: true,
        ContentBasedDeduplication: false,
        SqsManagedSseEnabled: true,
      });
      const policy = q.RedrivePolicy as {
        deadLetterTargetArn: { 'Fn::GetAtt': string[] };
        maxReceiveCount: number;
      };
      // Never redrive a message the consumer has not given all its attempts (failed-attempts.ts).
      expect(policy.maxReceiveCount).toBeGreaterThanOrEqual(
        redriveReceivesNeeded(DEFAULT_MAX_ATTEMPTS, DEFAULT_MAX_MESSAGES),
      );
      const dlq = queues[policy.deadLetterTargetArn['Fn::GetAtt'][0] ?? ''];
      expect(dlq).toMatchObject({ FifoQueue: true, SqsManagedSseEnabled: true });
    }
    expect(DEAD_LETTER_REASON_ATTRIBUTE).toMatch(/^[A-Za-z0-9_.-]+$/);
  });

  it('declare a FIFO alert queue redriving to an encrypted FIFO dead-letter queue', () => {
    const queues = Object.fromEntries(resourcesOfType(loadCfnResources(SQS_TEMPLATE), 'AWS::SQS::Queue'));
    const alerts = queues.AlertQueue ?? {};
    expect(alerts).toMatchObject({
      FifoQueue: true,
      ContentBasedDeduplication: false,
      SqsManagedSseEnabled: true,
    });
    const policy = alerts.RedrivePolicy as { deadLetterTargetArn: { 'Fn::GetAtt': string[] } };
    expect(policy.deadLetterTargetArn['Fn::GetAtt'][0]).toBe('AlertDeadLetterQueue');
    expect(queues.AlertDeadLetterQueue).toMatchObject({ FifoQueue: true, SqsManagedSseEnabled: true });
  });

  it('are what serverless.yml deploys', () => {
    const text = readFileSync(join(REPO_ROOT, 'serverless.yml'), 'utf8');
    expect(text).toContain(`\${file(${DYNAMODB_TEMPLATE})}`);
    expect(text).toContain(`\${file(${SQS_TEMPLATE})}`);
  });
});
