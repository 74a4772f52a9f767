import { Annotations as AnnotationsSet, Match, Template } from 'aws-cdk-lib/assertions';
import * as kms from 'aws-cdk-lib/aws-kms';
import * as route53 from 'aws-cdk-lib/aws-route53';
import {
  CacheAuth,
  CacheEngine,
  CutoverTarget,
  MigrationSource,
  MigrationStrategy,
  RedisOssEngineVersion,
  ReplicationGroup,
  Topology,
  ValkeyEngineVersion,
  ValkeyMigration,
  ValkeyMigrationProps,
} from '../../../lib';
import {
  MIGRATION_HANDLER_TIMEOUT_SECONDS,
  MIGRATION_QUERY_INTERVAL_SECONDS,
  MIGRATION_TOTAL_TIMEOUT_SECONDS,
} from '../../../lib/migration/handler/constants';
import { parseProperties } from '../../../lib/migration/handler/properties';
import { ecArn, joined, migrationProperties, migrationStack, statementsOf } from './support';

/** A string as a literal regular expression. */
function escape(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

const redis62 = CacheEngine.redisOss({ version: RedisOssEngineVersion.VER_6_2 });
const redis71 = CacheEngine.redisOss({ version: RedisOssEngineVersion.VER_7_1 });

const SOURCE = ecArn('replicationgroup', 'legacy-sessions');
const SOURCE_CLUSTERS = [ecArn('cluster', 'legacy-sessions'), ecArn('cluster', 'legacy-sessions-*')];

describe('IN_PLACE', () => {
  function inPlace(extra: Partial<ValkeyMigrationProps> = {}) {
    const { stack } = migrationStack();
    const migration = new ValkeyMigration(stack, 'Migration', {
      source: MigrationSource.fromReplicationGroupId('legacy-sessions', { engine: redis62, clusterMode: false }),
      targetVersion: ValkeyEngineVersion.VER_8_1,
      strategy: MigrationStrategy.IN_PLACE,
      sourceParameters: { 'maxmemory-policy': 'volatile-lru', timeout: '300' },
      ...extra,
    });
    return { stack, migration, template: Template.fromStack(stack) };
  }

  test('one custom resource with the handler\'s properties and a valkey8 parameter group carrying the source\'s values', () => {
    const { template, migration } = inPlace();
    template.hasResourceProperties('AWS::ElastiCache::ParameterGroup', {
      CacheParameterGroupFamily: 'valkey8',
      Properties: { 'maxmemory-policy': 'volatile-lru', timeout: '300' },
    });
    const pg = Object.keys(template.findResources('AWS::ElastiCache::ParameterGroup'))[0];
    expect(migrationProperties(template)).toEqual({
      ServiceToken: { 'Fn::GetAtt': [expect.stringMatching(/^CdkValkeyMigrationProviderframeworkonEvent/), 'Arn'] },
      ServiceTimeout: '3600',
      Strategy: 'IN_PLACE',
      SourceReplicationGroupId: 'legacy-sessions',
      TargetEngineVersion: '8.1',
      ValkeyParameterGroupName: { Ref: pg },
    });
    // What the construct sends is what the handler accepts.
    expect(parseProperties({ ...migrationProperties(template), ValkeyParameterGroupName: 'pg' })).toEqual(
      expect.objectContaining({ strategy: 'IN_PLACE', sourceReplicationGroupId: 'legacy-sessions', targetEngineVersion: '8.1' }));
    expect(migration.targetReplicationGroupId).toBe('legacy-sessions');
  });

  test('IAM: onEvent describes and modifies the source only; isComplete only describes', () => {
    const { template } = inPlace();
    const pg = Object.keys(template.findResources('AWS::ElastiCache::ParameterGroup'))[0];
    expect(statementsOf(template, 'CdkValkeyMigrationProviderOnEventRole')).toEqual({
      'elasticache:DescribeReplicationGroups': SOURCE,
      'elasticache:DescribeCacheClusters': SOURCE_CLUSTERS,
      'elasticache:ModifyReplicationGroup': [
        SOURCE,
        `${ecArn('parametergroup', '')}<${pg}>`,
      ],
    });
    expect(statementsOf(template, 'CdkValkeyMigrationProviderIsCompleteRole')).toEqual({
      'elasticache:DescribeReplicationGroups': SOURCE,
      'elasticache:DescribeCacheClusters': SOURCE_CLUSTERS,
    });
  });

  test('without a custom parameter group the source keeps ElastiCache\'s default and nothing is created', () => {
    const { stack } = migrationStack();
    new ValkeyMigration(stack, 'Migration', {
      source: MigrationSource.fromReplicationGroupId('legacy-sessions'),
      targetVersion: ValkeyEngineVersion.VER_8_0,
      strategy: MigrationStrategy.IN_PLACE,
    });
    const template = Template.fromStack(stack);
    template.resourceCountIs('AWS::ElastiCache::ParameterGroup', 0);
    expect(migrationProperties(template).ValkeyParameterGroupName).toBeUndefined();
    expect(statementsOf(template, 'CdkValkeyMigrationProviderOnEventRole')['elasticache:ModifyReplicationGroup']).toEqual(SOURCE);
  });

  test('an existing Valkey parameter group is passed by name and granted', () => {
    const { template } = inPlace({ sourceParameters: undefined, valkeyParameterGroupName: 'sessions-valkey8' });
    expect(migrationProperties(template).ValkeyParameterGroupName).toBe('sessions-valkey8');
    expect(statementsOf(template, 'CdkValkeyMigrationProviderOnEventRole')['elasticache:ModifyReplicationGroup'])
      .toEqual([SOURCE, ecArn('parametergroup', 'sessions-valkey8')]);
  });

  test('a cluster-mode source gets cluster-enabled yes in its Valkey group', () => {
    const { stack } = migrationStack();
    new ValkeyMigration(stack, 'Migration', {
      source: MigrationSource.fromReplicationGroupId('legacy-sessions', { clusterMode: true }),
      targetVersion: ValkeyEngineVersion.VER_9_0,
      strategy: MigrationStrategy.IN_PLACE,
      sourceParameters: { timeout: '60' },
    });
    Template.fromStack(stack).hasResourceProperties('AWS::ElastiCache::ParameterGroup', {
      CacheParameterGroupFamily: 'valkey9',
      Properties: { timeout: '60', 'cluster-enabled': 'yes' },
    });
  });

  test('below Redis OSS 5.0.6 a warning names the failover; from 5.0.6 there is none', () => {
    const { stack } = migrationStack();
    new ValkeyMigration(stack, 'Old', {
      source: MigrationSource.fromReplicationGroupId('old-cache', { engine: CacheEngine.redisOss({ version: RedisOssEngineVersion.of('4.0.10') }) }),
      targetVersion: ValkeyEngineVersion.VER_8_1,
      strategy: MigrationStrategy.IN_PLACE,
    });
    new ValkeyMigration(stack, 'New', {
      source: MigrationSource.fromReplicationGroupId('new-cache', { engine: CacheEngine.redisOss({ version: RedisOssEngineVersion.of('5.0.6') }) }),
      targetVersion: ValkeyEngineVersion.VER_8_1,
      strategy: MigrationStrategy.IN_PLACE,
    });
    const warnings = AnnotationsSet.fromStack(stack).findWarning('*', Match.stringLikeRegexp('fails over'));
    expect(warnings.map((w) => w.id)).toEqual(['/Stack/Old']);
    expect(String(warnings[0].entry.data)).toContain('The source runs Redis OSS 4.0.10, below 5.0.6: the in-place change to Valkey fails over, and clients lose their connections for 30-60 s.');
  });

  test('our ReplicationGroup as source: its engine, parameters and topology are used, and the stale engine is called out', () => {
    const { stack, vpc } = migrationStack();
    const cache = new ReplicationGroup(stack, 'Cache', {
      engine: redis71,
      vpc,
      replicationGroupId: 'orders',
      topology: Topology.sharded({ shards: 2, replicasPerShard: 1 }),
      parameters: { 'maxmemory-policy': 'allkeys-lru' },
    });
    new ValkeyMigration(stack, 'Migration', {
      source: MigrationSource.fromReplicationGroup(cache),
      targetVersion: ValkeyEngineVersion.VER_8_1,
      strategy: MigrationStrategy.IN_PLACE,
    });
    const template = Template.fromStack(stack);
    template.hasResourceProperties('AWS::ElastiCache::ParameterGroup', {
      CacheParameterGroupFamily: 'valkey8',
      Properties: { 'maxmemory-policy': 'allkeys-lru', 'cluster-enabled': 'yes' },
    });
    const props = migrationProperties(template);
    expect(props.SourceReplicationGroupId).toEqual({ Ref: expect.stringMatching(/^Cache/) });
    const warning = AnnotationsSet.fromStack(stack).findWarning('/Stack/Migration', Match.stringLikeRegexp('stale|still says so'));
    expect(String(warning[0].entry.data)).toContain(
      "in the next deployment set its engine to CacheEngine.valkey({ version: ValkeyEngineVersion.of('8.1') })");
  });

  test('the provider is a stack singleton: two migrations, two handler functions, one framework', () => {
    const { stack } = migrationStack();
    for (const id of ['a', 'b']) {
      new ValkeyMigration(stack, `Migration-${id}`, {
        source: MigrationSource.fromReplicationGroupId(`cache-${id}`),
        targetVersion: ValkeyEngineVersion.VER_8_1,
        strategy: MigrationStrategy.IN_PLACE,
      });
    }
    const template = Template.fromStack(stack);
    template.resourceCountIs('AWS::Lambda::Function', 5); // onEvent, isComplete + the framework's three
    template.resourceCountIs('AWS::StepFunctions::StateMachine', 1);
    const modify = template.findResources('AWS::IAM::Policy');
    const onEvent = JSON.stringify(Object.entries(modify).find(([k]) => k.startsWith('CdkValkeyMigrationProviderOnEventRole'))?.[1]);
    expect(onEvent).toContain('replicationgroup:cache-a');
    expect(onEvent).toContain('replicationgroup:cache-b');
  });

  test('handler functions: bundle asset, Node.js 22, their own timeout, log groups with retention; framework timeout from the handler constants', () => {
    const { template } = inPlace();
    for (const handler of ['index.onEvent', 'index.isComplete']) {
      template.hasResourceProperties('AWS::Lambda::Function', {
        Handler: handler,
        Runtime: 'nodejs22.x',
        Timeout: MIGRATION_HANDLER_TIMEOUT_SECONDS,
        LoggingConfig: { LogGroup: Match.anyValue() },
      });
    }
    for (const group of Object.values(template.findResources('AWS::Logs::LogGroup'))) {
      expect((group.Properties as { RetentionInDays?: number }).RetentionInDays).toBe(30);
    }
    const definition = joined(Object.values(template.findResources('AWS::StepFunctions::StateMachine'))[0].Properties?.DefinitionString);
    expect(definition).toContain(
      `"IntervalSeconds":${MIGRATION_QUERY_INTERVAL_SECONDS},"MaxAttempts":${MIGRATION_TOTAL_TIMEOUT_SECONDS / MIGRATION_QUERY_INTERVAL_SECONDS}`);
    // Explicit basic-execution statements instead of the AWSLambdaBasicExecutionRole managed policy.
    for (const role of Object.values(template.findResources('AWS::IAM::Role'))) {
      expect((role.Properties as { ManagedPolicyArns?: unknown }).ManagedPolicyArns).toBeUndefined();
    }
  });
});

describe('SNAPSHOT_RESTORE', () => {
  const TARGET = ecArn('replicationgroup', 'clickstream-valkey');
  const TARGET_CLUSTERS = ecArn('cluster', 'clickstream-valkey-*');
  const SNAP_SOURCE = ecArn('replicationgroup', 'legacy-clickstream');

  function bySnapshot(extra: Partial<ValkeyMigrationProps> = {}, targetExtra: object = {}) {
    const { stack, vpc } = migrationStack();
    const migration = new ValkeyMigration(stack, 'Migration', {
      source: MigrationSource.fromReplicationGroupId('legacy-clickstream', {
        engine: redis71,
        clusterMode: true,
        endpointAddress: 'clustercfg.legacy-clickstream.abc123.use1.cache.amazonaws.com',
      }),
      targetVersion: ValkeyEngineVersion.VER_8_1,
      strategy: MigrationStrategy.SNAPSHOT_RESTORE,
      target: {
        vpc,
        replicationGroupId: 'clickstream-valkey',
        nodeType: 'cache.r7g.large',
        topology: Topology.sharded({ shards: 3, replicasPerShard: 1 }),
        parameters: { 'maxmemory-policy': 'allkeys-lru' },
        ...targetExtra,
      },
      ...extra,
    });
    const template = Template.fromStack(stack);
    const snapshot = migration.snapshotName as string;
    const bucket = Object.keys(template.findResources('AWS::S3::Bucket'))[0];
    return { stack, vpc, migration, template, snapshot, bucket };
  }

  test('the target input is what ReplicationGroup renders for the same props, seeded by slots', () => {
    const { template } = bySnapshot();
    const input = JSON.parse(joined(migrationProperties(template).TargetReplicationGroup)) as Record<string, unknown>;

    const { stack, vpc } = migrationStack();
    new ReplicationGroup(stack, 'Cache', {
      engine: CacheEngine.valkey({ version: ValkeyEngineVersion.VER_8_1 }),
      vpc,
      replicationGroupId: 'clickstream-valkey',
      description: 'Valkey 8.1, migrated from legacy-clickstream',
      nodeType: 'cache.r7g.large',
      topology: Topology.sharded({ shards: 3, replicasPerShard: 1, slots: Topology.evenSlots(3) }),
      parameters: { 'maxmemory-policy': 'allkeys-lru' },
    });
    const rendered = Object.values(Template.fromStack(stack).findResources('AWS::ElastiCache::ReplicationGroup'))[0].Properties as Record<string, unknown>;
    const { Engine, EngineVersion, AuthToken, ...rest } = rendered;
    expect([Engine, EngineVersion, typeof AuthToken]).toEqual(['valkey', '8.1', 'object']);
    // Same keys and values; references point at the target's own resources instead of the cache's.
    const normalize = (value: unknown) => JSON.parse(JSON.stringify(value).replace(/<(Migration(Target)?|Cache)([A-Za-z]+?)[0-9A-F]{8}(\.[A-Za-z]+)?>/g, '<$3$4>')) as unknown;
    const restJoined = Object.fromEntries(Object.entries(rest).map(([k, v]) => [k, typeof v === 'object' && !Array.isArray(v) ? joined(v) : Array.isArray(v) ? v.map((x) => (typeof x === 'object' && x !== null && !('ReplicaCount' in x) ? joined(x) : x)) : v]));
    expect(normalize(input)).toEqual(normalize(restJoined));
    expect(input.NodeGroupConfiguration).toEqual([
      { ReplicaCount: 1, Slots: '0-5461' }, { ReplicaCount: 1, Slots: '5462-10922' }, { ReplicaCount: 1, Slots: '10923-16383' },
    ]);
  });

  test('the resource properties parse in the handler: bucket, snapshot name, token secret, retain', () => {
    const { template, snapshot, bucket } = bySnapshot();
    const props = migrationProperties(template);
    expect(snapshot).toMatch(/^legacy-clickstream-to-valkey-[0-9a-f]{8}$/);
    expect(props).toEqual(expect.objectContaining({
      Strategy: 'SNAPSHOT_RESTORE',
      SourceReplicationGroupId: 'legacy-clickstream',
      TargetEngineVersion: '8.1',
      ExportBucketName: { Ref: bucket },
      SnapshotName: snapshot,
      RetainSnapshot: 'true',
      TargetAuthTokenSecretArn: { Ref: expect.stringMatching(/^MigrationTargetAuthToken/) },
    }));
    const parsed = parseProperties({
      ...props,
      ExportBucketName: 'bucket',
      TargetReplicationGroup: joined(props.TargetReplicationGroup).replace(/<[^>]+>/g, 'x'),
      TargetAuthTokenSecretArn: 'arn:aws:secretsmanager:us-east-1:123456789012:secret:token-AbCdEf',
    });
    expect(parsed.target).toEqual(expect.objectContaining({ ReplicationGroupId: 'clickstream-valkey', NumNodeGroups: 3, TransitEncryptionEnabled: true }));
  });

  test('the export bucket: SSE-S3, no public access, TLS only, retained, and a policy for the regional snapshot principal', () => {
    const { template, bucket } = bySnapshot();
    template.hasResource('AWS::S3::Bucket', {
      DeletionPolicy: 'Retain',
      UpdateReplacePolicy: 'Retain',
      Properties: {
        BucketEncryption: { ServerSideEncryptionConfiguration: [{ ServerSideEncryptionByDefault: { SSEAlgorithm: 'AES256' } }] },
        PublicAccessBlockConfiguration: { BlockPublicAcls: true, BlockPublicPolicy: true, IgnorePublicAcls: true, RestrictPublicBuckets: true },
      },
    });
    template.hasResourceProperties('AWS::S3::BucketPolicy', {
      PolicyDocument: {
        Statement: Match.arrayWith([
          Match.objectLike({ Effect: 'Deny', Condition: { Bool: { 'aws:SecureTransport': 'false' } } }),
          {
            Sid: 'ElastiCacheSnapshotExport',
            Effect: 'Allow',
            Principal: { Service: 'us-east-1.elasticache-snapshot.amazonaws.com' },
            Action: ['s3:PutObject', 's3:GetObject', 's3:ListBucket', 's3:GetBucketAcl', 's3:ListMultipartUploadParts', 's3:ListBucketMultipartUploads'],
            Resource: [{ 'Fn::GetAtt': [bucket, 'Arn'] }, { 'Fn::Join': ['', [{ 'Fn::GetAtt': [bucket, 'Arn'] }, '/*']] }],
          },
        ]),
      },
    });
    // The export waits for the policy.
    const migration = Object.values(template.findResources('Custom::ValkeyMigration'))[0];
    expect(migration.DependsOn).toEqual([expect.stringMatching(/^MigrationExportBucketPolicy/)]);
  });

  test('IAM: every statement scoped to the source, its members, the snapshot, the target, the bucket and the token', () => {
    const { template, snapshot, bucket } = bySnapshot();
    const objects = `<${bucket}.Arn>/${snapshot}*`;
    const secret = expect.stringMatching(/^<MigrationTargetAuthToken[0-9A-F]{8}>$/);
    const pg = expect.stringMatching(new RegExp(`^${escape(ecArn('parametergroup', ''))}<MigrationTargetParameterGroup[0-9A-F]{8}>$`));
    const sg = expect.stringMatching(new RegExp(`^${escape(ecArn('subnetgroup', ''))}<MigrationTargetSubnetGroup[0-9A-F]{8}>$`));
    const both = {
      'elasticache:DescribeReplicationGroups': [SNAP_SOURCE, TARGET],
      'elasticache:DescribeCacheClusters': [ecArn('cluster', 'legacy-clickstream'), ecArn('cluster', 'legacy-clickstream-*'), TARGET_CLUSTERS],
      'elasticache:DescribeSnapshots': ecArn('snapshot', snapshot),
      'elasticache:CreateSnapshot': [SNAP_SOURCE, ecArn('snapshot', snapshot)],
      'elasticache:AddTagsToResource': [ecArn('snapshot', snapshot), TARGET, TARGET_CLUSTERS],
      'elasticache:CopySnapshot': ecArn('snapshot', snapshot),
      's3:GetBucketLocation': `<${bucket}.Arn>`,
      's3:ListAllMyBuckets': '*',
      's3:ListBucket': `<${bucket}.Arn>`,
      's3:PutObject': objects,
      's3:GetObject': objects,
      's3:DeleteObject': objects,
      'elasticache:CreateReplicationGroup': [TARGET, TARGET_CLUSTERS, pg, sg],
      'secretsmanager:GetSecretValue': secret,
    };
    expect(statementsOf(template, 'CdkValkeyMigrationProviderIsCompleteRole')).toEqual(both);
    expect(statementsOf(template, 'CdkValkeyMigrationProviderOnEventRole')).toEqual({
      ...both,
      'elasticache:ListTagsForResource': TARGET,
    });
  });

  test('retainSnapshot false grants DeleteSnapshot on the migration\'s snapshot to onEvent only', () => {
    const { template, snapshot } = bySnapshot({ retainSnapshot: false });
    expect(migrationProperties(template).RetainSnapshot).toBe('false');
    expect(statementsOf(template, 'CdkValkeyMigrationProviderOnEventRole')['elasticache:DeleteSnapshot']).toEqual(ecArn('snapshot', snapshot));
    expect(statementsOf(template, 'CdkValkeyMigrationProviderIsCompleteRole')['elasticache:DeleteSnapshot']).toBeUndefined();
  });

  test('the generated token secret is retained with the target, which CloudFormation never deletes', () => {
    const { template } = bySnapshot();
    template.hasResource('AWS::SecretsManager::Secret', { DeletionPolicy: 'Retain', UpdateReplacePolicy: 'Retain' });
    template.resourceCountIs('AWS::ElastiCache::ReplicationGroup', 0);
  });

  test('a user group instead of a token: no secret, the user group is granted to CreateReplicationGroup', () => {
    const { template } = bySnapshot({}, { auth: CacheAuth.userGroup({ userGroupId: 'clickstream-users', engine: 'valkey' }) });
    const props = migrationProperties(template);
    expect(props.TargetAuthTokenSecretArn).toBeUndefined();
    expect(JSON.parse(joined(props.TargetReplicationGroup)).UserGroupIds).toEqual(['clickstream-users']);
    template.resourceCountIs('AWS::SecretsManager::Secret', 0);
    const statements = statementsOf(template, 'CdkValkeyMigrationProviderOnEventRole');
    expect(statements['elasticache:CreateReplicationGroup']).toEqual(expect.arrayContaining([ecArn('usergroup', 'clickstream-users')]));
    expect(statements['secretsmanager:GetSecretValue']).toBeUndefined();
  });

  test('a customer managed key for the target is granted through ElastiCache only', () => {
    const { stack, vpc } = migrationStack();
    const key = new kms.Key(stack, 'Key', { enableKeyRotation: true });
    new ValkeyMigration(stack, 'Migration', {
      source: MigrationSource.fromReplicationGroupId('legacy'),
      targetVersion: ValkeyEngineVersion.VER_8_1,
      strategy: MigrationStrategy.SNAPSHOT_RESTORE,
      target: { vpc, encryptionKey: key, auth: CacheAuth.none(), transitEncryption: true },
    });
    const statements = statementsOf(Template.fromStack(stack), 'CdkValkeyMigrationProviderOnEventRole');
    const viaElastiCache = { StringEquals: { 'kms:ViaService': 'elasticache.us-east-1.amazonaws.com' } };
    expect(statements['kms:CreateGrant']).toEqual({ Resource: expect.stringMatching(/^<Key[0-9A-F]{8}\.Arn>$/), Condition: viaElastiCache });
    expect(statements['kms:DescribeKey']).toEqual({ Resource: expect.stringMatching(/^<Key[0-9A-F]{8}\.Arn>$/), Condition: viaElastiCache });
    // The target id defaults to <source>-valkey.
    expect(statements['elasticache:CreateReplicationGroup']).toEqual(expect.arrayContaining([ecArn('replicationgroup', 'legacy-valkey')]));
  });

  test('cutover TARGET: the CNAME takes the endpoint from the migration\'s Data', () => {
    const { stack, vpc } = migrationStack();
    const zone = new route53.PrivateHostedZone(stack, 'Zone', { zoneName: 'cache.internal', vpc });
    new ValkeyMigration(stack, 'Migration', {
      source: MigrationSource.fromReplicationGroupId('legacy'),
      targetVersion: ValkeyEngineVersion.VER_8_1,
      strategy: MigrationStrategy.SNAPSHOT_RESTORE,
      target: { vpc },
      cutover: { zone, recordName: 'sessions' },
    });
    Template.fromStack(stack).hasResourceProperties('AWS::Route53::RecordSet', {
      Name: 'sessions.cache.internal.',
      Type: 'CNAME',
      TTL: '60',
    });
    const record = Object.values(Template.fromStack(stack).findResources('AWS::Route53::RecordSet'))[0];
    expect(joined((record.Properties as { ResourceRecords: unknown[] }).ResourceRecords[0])).toMatch(/^<Migration[0-9A-F]{8}\.EndpointAddress>$/);
  });
});

test('cutover SOURCE points at the source endpoint and does not wait for the migration', () => {
  const { stack, vpc } = migrationStack();
  const zone = new route53.PrivateHostedZone(stack, 'Zone', { zoneName: 'cache.internal', vpc });
  new ValkeyMigration(stack, 'Migration', {
    source: MigrationSource.fromReplicationGroupId('legacy', { endpointAddress: 'master.legacy.abc123.use1.cache.amazonaws.com' }),
    targetVersion: ValkeyEngineVersion.VER_8_1,
    strategy: MigrationStrategy.SNAPSHOT_RESTORE,
    target: { vpc },
    cutover: { zone, recordName: 'sessions', pointTo: CutoverTarget.SOURCE },
  });
  const template = Template.fromStack(stack);
  template.hasResourceProperties('AWS::Route53::RecordSet', {
    Name: 'sessions.cache.internal.',
    ResourceRecords: ['master.legacy.abc123.use1.cache.amazonaws.com'],
  });
  const record = Object.values(template.findResources('AWS::Route53::RecordSet'))[0];
  expect(record.DependsOn).toBeUndefined();
});
