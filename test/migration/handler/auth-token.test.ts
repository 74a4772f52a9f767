/**
 * SNAPSHOT_RESTORE with TargetAuthTokenSecretArn: the token is read from Secrets Manager when the
 * target is created, passed to CreateReplicationGroup, and nowhere else (not logged, not in Data).
 */
import {
  CreateReplicationGroupCommand,
  DescribeCacheClustersCommand,
  DescribeReplicationGroupsCommand,
  DescribeSnapshotsCommand,
  ElastiCacheClient,
  ReplicationGroupNotFoundFault,
} from '@aws-sdk/client-elasticache';
import { ListObjectsV2Command, S3Client } from '@aws-sdk/client-s3';
import { GetSecretValueCommand, ResourceNotFoundException, SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import { mockClient } from 'aws-sdk-client-mock';
import { handleIsComplete } from '../../../lib/migration/handler/handler';
import { parseProperties, physicalResourceId, snapshotNameFor } from '../../../lib/migration/handler/properties';
import { LOGICAL_ID, STACK_ID, event, testContext } from './support';

const elastiCache = new ElastiCacheClient({ region: 'us-east-1' });
const s3 = new S3Client({ region: 'us-east-1' });
const secretsManager = new SecretsManagerClient({ region: 'us-east-1' });
const ec = mockClient(elastiCache);
const s3Mock = mockClient(s3);
const sm = mockClient(secretsManager);

const SOURCE = 'orders';
const TARGET = 'orders-valkey';
const SECRET_ARN = 'arn:aws:secretsmanager:us-east-1:123456789012:secret:orders-valkey-token-AbCdEf';
const TOKEN = 'Valid-Token-0123456789-abcdef';
const target = {
  ReplicationGroupId: TARGET,
  CacheNodeType: 'cache.r7g.large',
  NumCacheClusters: 2,
  TransitEncryptionEnabled: true,
  AtRestEncryptionEnabled: true,
};
const props = {
  Strategy: 'SNAPSHOT_RESTORE',
  SourceReplicationGroupId: SOURCE,
  TargetEngineVersion: '8.0',
  ExportBucketName: 'exports',
  TargetReplicationGroup: JSON.stringify(target),
  TargetAuthTokenSecretArn: SECRET_ARN,
};
const ids = { StackId: STACK_ID, LogicalResourceId: LOGICAL_ID };

let ctx: ReturnType<typeof testContext>;
beforeEach(() => {
  ec.reset();
  s3Mock.reset();
  sm.reset();
  ctx = testContext({ elastiCache, s3, secretsManager });
});

/** The moment the export is complete and the target is still to be created. */
function exported(raw: Record<string, unknown>): void {
  const snapshot = snapshotNameFor(ids, parseProperties(raw));
  ec.on(DescribeReplicationGroupsCommand, { ReplicationGroupId: SOURCE }).resolves({
    ReplicationGroups: [{ ReplicationGroupId: SOURCE, Status: 'available', Engine: 'redis', MemberClusters: ['orders-001'] }],
  });
  ec.on(DescribeReplicationGroupsCommand, { ReplicationGroupId: TARGET })
    .rejects(new ReplicationGroupNotFoundFault({ message: 'not found', $metadata: {} }));
  ec.on(DescribeCacheClustersCommand).resolves({ CacheClusters: [{ CacheClusterId: 'orders-001', Engine: 'redis', EngineVersion: '7.1.0' }] });
  ec.on(DescribeSnapshotsCommand).resolves({
    Snapshots: [{ SnapshotName: snapshot, ReplicationGroupId: SOURCE, SnapshotStatus: 'available', NumNodeGroups: 1 }],
  });
  s3Mock.on(ListObjectsV2Command).resolves({ Contents: [{ Key: `${snapshot}.rdb` }], IsTruncated: false });
}

function poll(raw: Record<string, unknown>) {
  return handleIsComplete({ ...event('Create', raw), PhysicalResourceId: physicalResourceId(ids, parseProperties(raw)) }, ctx);
}

test('the token is read at run time and passed to CreateReplicationGroup, never logged', async () => {
  exported(props);
  sm.on(GetSecretValueCommand, { SecretId: SECRET_ARN }).resolves({ SecretString: TOKEN });
  await poll(props);
  const creates = ec.commandCalls(CreateReplicationGroupCommand);
  expect(creates).toHaveLength(1);
  expect(creates[0].args[0].input).toEqual(expect.objectContaining({ ReplicationGroupId: TARGET, AuthToken: TOKEN, TransitEncryptionEnabled: true }));
  expect(JSON.stringify(ctx.lines)).not.toContain(TOKEN);
  expect(ctx.lines.find(line => line.step === 'target-requested')?.fields.authToken).toBe(true);
});

test('a JSON field of the secret can hold the token', async () => {
  const raw = { ...props, TargetAuthTokenSecretJsonField: 'token' };
  exported(raw);
  sm.on(GetSecretValueCommand).resolves({ SecretString: JSON.stringify({ token: TOKEN, user: 'default' }) });
  await poll(raw);
  expect(ec.commandCalls(CreateReplicationGroupCommand)[0].args[0].input.AuthToken).toBe(TOKEN);
});

test('without a secret ARN no token is sent and Secrets Manager is not called', async () => {
  const { TargetAuthTokenSecretArn: _unused, ...raw } = props;
  void _unused;
  exported(raw);
  await poll(raw);
  expect(ec.commandCalls(CreateReplicationGroupCommand)[0].args[0].input.AuthToken).toBeUndefined();
  expect(sm.calls()).toHaveLength(0);
});

test.each([
  ['a missing secret', () => sm.on(GetSecretValueCommand).rejects(new ResourceNotFoundException({ message: 'no such secret', $metadata: {} })),
    'ResourceNotFoundException: no such secret'],
  ['a binary secret', () => sm.on(GetSecretValueCommand).resolves({ SecretBinary: new Uint8Array([1]) }), 'the secret has no SecretString'],
  ['a token with a forbidden character', () => sm.on(GetSecretValueCommand).resolves({ SecretString: 'has space in it 0123456789' }),
    'its value is not a valid AUTH token (16-128 letters, digits and ! & # $ ^ < > -)'],
  ['a short token', () => sm.on(GetSecretValueCommand).resolves({ SecretString: 'short' }),
    'its value is not a valid AUTH token (16-128 letters, digits and ! & # $ ^ < > -)'],
])('%s fails before anything is created, naming the secret', async (_name, stub, why) => {
  exported(props);
  stub();
  await expect(poll(props)).rejects.toThrow(expect.objectContaining({
    code: 'AUTH_TOKEN_UNAVAILABLE',
    message: `The target's AUTH token could not be read from secret '${SECRET_ARN}': ${why}. Nothing was created; fix the secret and deploy again.`,
  }));
  expect(ec.commandCalls(CreateReplicationGroupCommand)).toHaveLength(0);
});

test.each([
  [{ ...props, TargetAuthTokenSecretArn: 'my-secret' }, "TargetAuthTokenSecretArn must be a Secrets Manager secret ARN, got 'my-secret'"],
  [{ ...props, TargetReplicationGroup: JSON.stringify({ ...target, TransitEncryptionEnabled: false }) },
    'TargetAuthTokenSecretArn needs TargetReplicationGroup.TransitEncryptionEnabled true: ElastiCache accepts an AUTH token only with TLS'],
  [{ ...props, TargetReplicationGroup: JSON.stringify({ ...target, UserGroupIds: ['app-users'] }) },
    'TargetAuthTokenSecretArn cannot be given together with TargetReplicationGroup.UserGroupIds'],
  [{ ...props, TargetAuthTokenSecretArn: undefined, TargetAuthTokenSecretJsonField: 'token' },
    'TargetAuthTokenSecretJsonField needs TargetAuthTokenSecretArn'],
])('rejects %j', (raw, message) => {
  expect(() => parseProperties(raw)).toThrow(expect.objectContaining({ code: 'INVALID_PROPERTIES', message }));
});

test('the secret does not define the migration: moving the token to another secret keeps the physical id', () => {
  const a = physicalResourceId(ids, parseProperties(props));
  expect(physicalResourceId(ids, parseProperties({ ...props, TargetAuthTokenSecretArn: `${SECRET_ARN}x` }))).toBe(a);
});
