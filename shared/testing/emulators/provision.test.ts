import { DescribeTableCommand, DescribeTimeToLiveCommand } from '@aws-sdk/client-dynamodb';
import { GetQueueAttributesCommand } from '@aws-sdk/client-sqs';
import { EMULATOR_STARTUP_TIMEOUT_MS, waitForEmulators } from './emulator-endpoints';
import { createTestQueues, createTestTable } from './provision';

describe('emulator provisioning from infra/resources', () => {
  beforeAll(() => waitForEmulators(), EMULATOR_STARTUP_TIMEOUT_MS);

  it('creates the state table with the keys, GSIs and TTL of dynamodb.yml', async () => {
    const table = await createTestTable();
    try {
      const { Table } = await table.client.send(new DescribeTableCommand({ TableName: table.tableName }));
      expect(Table?.KeySchema?.map((k) => k.AttributeName)).toEqual(['pk', 'sk']);
      expect(Table?.GlobalSecondaryIndexes?.map((g) => g.IndexName).sort()).toEqual(['gsi1', 'gsi2']);
      expect(Table?.BillingModeSummary?.BillingMode).toBe('PAY_PER_REQUEST');
      const ttl = await table.client.send(new DescribeTimeToLiveCommand({ TableName: table.tableName }));
      expect(ttl.TimeToLiveDescription?.AttributeName).toBe('ttl');
    } finally {
      await table.drop();
    }
  });

  it('creates the FIFO queues of sqs.yml with their redrive policies', async () => {
    const { client, queues } = await createTestQueues();
    expect(Object.keys(queues).sort()).toEqual([
      'AlertDeadLetterQueue',
      'AlertQueue',
      'ControlDeadLetterQueue',
      'ControlQueue',
      'DecisionDeadLetterQueue',
      'DecisionQueue',
    ]);
    const decision = queues.DecisionQueue;
    expect(decision?.maxReceiveCount).toBe(50);
    const { Attributes } = await client.send(
      new GetQueueAttributesCommand({ QueueUrl: decision?.url, AttributeNames: ['All'] }),
    );
    expect(Attributes?.FifoQueue).toBe('true');
    expect(JSON.parse(Attributes?.RedrivePolicy ?? '{}')).toEqual({
      deadLetterTargetArn: queues.DecisionDeadLetterQueue?.arn,
      maxReceiveCount: 50,
    });
    expect(queues.AlertQueue).toMatchObject({
      maxReceiveCount: 5,
      deadLetterLogicalId: 'AlertDeadLetterQueue',
    });
    client.destroy();
  });
});
