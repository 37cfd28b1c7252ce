import { dynamoDbConnectionFromEnv } from '../dynamodb/dynamodb-client';
import { createSqsClient, sqsConnectionFromEnv } from './sqs-client';

describe('endpoint overrides from the environment', () => {
  it('takes the service-specific endpoint and region when set, nothing otherwise', () => {
    const env = {
      AWS_ENDPOINT_URL_DYNAMODB: 'http://127.0.0.1:8000',
      AWS_ENDPOINT_URL_SQS: 'http://127.0.0.1:4566',
      AWS_REGION: 'ap-northeast-2',
    };
    expect(dynamoDbConnectionFromEnv(env)).toEqual({
      endpoint: 'http://127.0.0.1:8000',
      region: 'ap-northeast-2',
    });
    expect(sqsConnectionFromEnv(env)).toEqual({
      endpoint: 'http://127.0.0.1:4566',
      region: 'ap-northeast-2',
    });
    expect(sqsConnectionFromEnv({ AWS_ENDPOINT_URL_SQS: '' })).toEqual({});
    expect(dynamoDbConnectionFromEnv({})).toEqual({});
  });

  it('builds an SQS client pointed at the override with bounded retries', async () => {
    const client = createSqsClient({ endpoint: 'http://127.0.0.1:4566', maxAttempts: 2 });
    const endpoint = await client.config.endpoint?.();
    expect(endpoint?.hostname).toBe('127.0.0.1');
    expect(await client.config.maxAttempts()).toBe(2);
    client.destroy();
  });
});
