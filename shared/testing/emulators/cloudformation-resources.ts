import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type {
  AttributeDefinition,
  CreateTableCommandInput,
  GlobalSecondaryIndex,
  KeySchemaElement,
} from '@aws-sdk/client-dynamodb';
import { parse, type ScalarTag, type YAMLMap, type YAMLSeq } from 'yaml';

/** Repository root, for locating `infra/resources/*.yml`. */
export const REPO_ROOT = join(__dirname, '..', '..', '..');

/** One resource of a CloudFormation fragment. */
export interface CfnResource {
  readonly Type: string;
  readonly Properties?: Record<string, unknown>;
}

type AnyTag =
  | ScalarTag
  | { tag: string; collection: 'seq' | 'map'; resolve: (value: YAMLSeq | YAMLMap) => unknown };

function scalarTag(tag: string, toValue: (text: string) => unknown): ScalarTag {
  return { tag, resolve: (text: string) => toValue(text) } as ScalarTag;
}

function seqTag(tag: string, fn: string): AnyTag {
  return { tag, collection: 'seq', resolve: (seq) => ({ [fn]: (seq as YAMLSeq).toJSON() }) };
}

// CloudFormation short-form intrinsics, turned into their long form so the result is plain data.
const CFN_TAGS: AnyTag[] = [
  scalarTag('!Ref', (text) => ({ Ref: text })),
  scalarTag('!GetAtt', (text) => ({ 'Fn::GetAtt': text.split('.') })),
  scalarTag('!Sub', (text) => ({ 'Fn::Sub': text })),
  scalarTag('!ImportValue', (text) => ({ 'Fn::ImportValue': text })),
  seqTag('!GetAtt', 'Fn::GetAtt'),
  seqTag('!Sub', 'Fn::Sub'),
  seqTag('!Join', 'Fn::Join'),
  seqTag('!Select', 'Fn::Select'),
  seqTag('!If', 'Fn::If'),
  seqTag('!Equals', 'Fn::Equals'),
];

/**
 * Reads the `Resources` of a serverless resource fragment (`infra/resources/*.yml`). The same file
 * serverless.yml deploys, so emulator tables and queues can never drift from production.
 */
export function loadCfnResources(relativePath: string): Record<string, CfnResource> {
  const text = readFileSync(join(REPO_ROOT, relativePath), 'utf8');
  const doc = parse(text, { customTags: CFN_TAGS as never }) as { Resources?: Record<string, CfnResource> };
  if (doc.Resources === undefined) throw new Error(`${relativePath} has no Resources section`);
  return doc.Resources;
}

/** The resources of one type, by logical id. */
export function resourcesOfType(
  resources: Record<string, CfnResource>,
  type: string,
): Array<[string, Record<string, unknown>]> {
  return Object.entries(resources)
    .filter(([, r]) => r.Type === type)
    .map(([id, r]) => [id, r.Properties ?? {}]);
}

/**
 * CreateTable input from an `AWS::DynamoDB::Table` resource. Keys, GSIs and billing come from the
 * template; TTL is returned separately because CreateTable cannot set it. PITR, SSE and deletion
 * protection are account-side settings DynamoDB Local ignores, so they are not sent.
 */
export function tableFromCfn(
  properties: Record<string, unknown>,
  tableName: string,
): { input: CreateTableCommandInput; ttlAttribute: string | undefined } {
  const gsis = properties.GlobalSecondaryIndexes as GlobalSecondaryIndex[] | undefined;
  const ttl = properties.TimeToLiveSpecification as { AttributeName?: string; Enabled?: boolean } | undefined;
  const input: CreateTableCommandInput = {
    TableName: tableName,
    BillingMode: properties.BillingMode as 'PAY_PER_REQUEST',
    AttributeDefinitions: properties.AttributeDefinitions as AttributeDefinition[],
    KeySchema: properties.KeySchema as KeySchemaElement[],
    ...(gsis === undefined ? {} : { GlobalSecondaryIndexes: gsis }),
  };
  return { input, ttlAttribute: ttl?.Enabled === true ? ttl.AttributeName : undefined };
}

/** SQS attributes that fauxqs does not model; they change nothing about behaviour under test. */
const EMULATOR_IGNORED = new Set([
  'SqsManagedSseEnabled',
  'KmsMasterKeyId',
  'KmsDataKeyReusePeriodSeconds',
  'Tags',
]);

/**
 * CreateQueue attributes from an `AWS::SQS::Queue` resource. `arnOf` resolves the `!GetAtt X.Arn`
 * of a dead-letter queue created before (queues are created in dependency order by the caller).
 */
export function queueAttributesFromCfn(
  properties: Record<string, unknown>,
  arnOf: (logicalId: string) => string,
): Record<string, string> {
  const attributes: Record<string, string> = {};
  for (const [key, value] of Object.entries(properties)) {
    if (key === 'QueueName' || EMULATOR_IGNORED.has(key)) continue;
    if (key === 'RedrivePolicy') {
      const policy = value as { deadLetterTargetArn: unknown; maxReceiveCount: number };
      attributes.RedrivePolicy = JSON.stringify({
        deadLetterTargetArn: resolveArn(policy.deadLetterTargetArn, arnOf),
        maxReceiveCount: policy.maxReceiveCount,
      });
      continue;
    }
    attributes[key] = String(value);
  }
  return attributes;
}

function resolveArn(value: unknown, arnOf: (logicalId: string) => string): string {
  const getAtt = (value as { 'Fn::GetAtt'?: [string, string] })['Fn::GetAtt'];
  if (getAtt !== undefined && getAtt[1] === 'Arn') return arnOf(getAtt[0]);
  if (typeof value === 'string') return value;
  throw new Error(`cannot resolve dead-letter target ${JSON.stringify(value)}: use !GetAtt <Queue>.Arn`);
}

/** Logical ids a queue's redrive policy points at (its dead-letter queue). */
export function queueDependencies(properties: Record<string, unknown>): string[] {
  const policy = properties.RedrivePolicy as { deadLetterTargetArn?: unknown } | undefined;
  const getAtt = (policy?.deadLetterTargetArn as { 'Fn::GetAtt'?: [string, string] } | undefined)?.[
    'Fn::GetAtt'
  ];
  return getAtt === undefined ? [] : [getAtt[0]];
}
