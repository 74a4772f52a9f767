import { CfnParameter, Duration, RemovalPolicy, Stack } from 'aws-cdk-lib';
import { Annotations, Match, Template } from 'aws-cdk-lib/assertions';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import * as elasticache from 'aws-cdk-lib/aws-elasticache';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as kms from 'aws-cdk-lib/aws-kms';
import * as logs from 'aws-cdk-lib/aws-logs';
import * as secretsmanager from 'aws-cdk-lib/aws-secretsmanager';
import * as sns from 'aws-cdk-lib/aws-sns';
import { CacheConfigurationError } from '../../lib/errors';
import {
  CacheAuth,
  CacheEngine,
  RedisOssEngineVersion,
  ReplicationGroup,
  ReplicationGroupProps,
  Topology,
} from '../../lib/elasticache';
import { redis62, redis71, stackWithVpc, valkey82, valkey90 } from './support';

const RG = 'AWS::ElastiCache::ReplicationGroup';

function synth(props: Partial<ReplicationGroupProps> = {}, options: { isolatedOnly?: boolean } = {}) {
  const { stack, vpc } = stackWithVpc(options);
  const cache = new ReplicationGroup(stack, 'Cache', { engine: valkey82, vpc, ...props });
  return { stack, vpc, cache, template: Template.fromStack(stack) };
}

function replicationGroupProps(template: Template): Record<string, unknown> {
  const groups = template.findResources(RG);
  const [only] = Object.values(groups);
  return (only as { Properties: Record<string, unknown> }).Properties;
}

describe('defaults', () => {
  const { template, stack } = synth();

  test('a Valkey primary with one replica, Multi-AZ with automatic failover', () => {
    template.resourceCountIs(RG, 1);
    template.hasResourceProperties(RG, {
      Engine: 'valkey',
      EngineVersion: '8.2',
      CacheNodeType: 'cache.t4g.micro',
      ClusterMode: 'disabled',
      NumCacheClusters: 2,
      NumNodeGroups: Match.absent(),
      AutomaticFailoverEnabled: true,
      MultiAZEnabled: true,
      Port: 6379,
      CacheParameterGroupName: 'default.valkey8',
      AutoMinorVersionUpgrade: true,
      SnapshotRetentionLimit: 1,
      ReplicationGroupDescription: 'Replication group Stack/Cache',
    });
  });

  test('encryption rendered explicitly: TLS required and at rest', () => {
    template.hasResourceProperties(RG, {
      TransitEncryptionEnabled: true,
      TransitEncryptionMode: 'required',
      AtRestEncryptionEnabled: true,
      KmsKeyId: Match.absent(),
    });
  });

  test('an AUTH token generated in Secrets Manager, referenced dynamically', () => {
    template.hasResourceProperties('AWS::SecretsManager::Secret', {
      GenerateSecretString: {
        PasswordLength: 64,
        ExcludeCharacters: '"%\'()*+,./:;=?@[\\]_`{|}~',
        IncludeSpace: false,
      },
    });
    const secretId = Object.keys(template.findResources('AWS::SecretsManager::Secret'))[0];
    template.hasResourceProperties(RG, {
      AuthToken: {
        'Fn::Join': ['', ['{{resolve:secretsmanager:', { Ref: secretId }, ':SecretString:::}}']],
      },
      UserGroupIds: Match.absent(),
    });
  });

  test('the token allows only letters, digits and ! & # $ ^ < > -', () => {
    const excluded = '"%\'()*+,./:;=?@[\\]_`{|}~';
    const printableSpecials = Array.from({ length: 95 }, (_, i) => String.fromCharCode(32 + i)).filter((c) =>
      /[^A-Za-z0-9 ]/.test(c),
    );
    expect(printableSpecials.filter((c) => !excluded.includes(c)).sort()).toEqual(['!', '#', '$', '&', '-', '<', '>', '^'].sort());
  });

  test('final snapshot on deletion and replacement', () => {
    template.hasResource(RG, { DeletionPolicy: 'Snapshot', UpdateReplacePolicy: 'Snapshot' });
  });

  test('a security group with no ingress and no egress', () => {
    template.resourceCountIs('AWS::EC2::SecurityGroup', 1);
    template.hasResourceProperties('AWS::EC2::SecurityGroup', {
      GroupDescription: 'Security group of Stack/Cache',
      SecurityGroupIngress: Match.absent(),
      SecurityGroupEgress: [Match.objectLike({ CidrIp: '255.255.255.255/32', Description: 'Disallow all traffic' })],
    });
  });

  test('a subnet group of the private subnets', () => {
    template.hasResourceProperties('AWS::ElastiCache::SubnetGroup', {
      SubnetIds: [{ Ref: Match.stringLikeRegexp('^VpcPrivateSubnet1') }, { Ref: Match.stringLikeRegexp('^VpcPrivateSubnet2') }],
    });
    template.hasResourceProperties(RG, { CacheSubnetGroupName: { Ref: Match.stringLikeRegexp('^CacheSubnetGroup') } });
  });

  test('no parameter group, no log delivery, no optional props rendered', () => {
    template.resourceCountIs('AWS::ElastiCache::ParameterGroup', 0);
    template.resourceCountIs('AWS::Logs::LogGroup', 0);
    const props = replicationGroupProps(template);
    for (const absent of [
      'LogDeliveryConfigurations', 'Durability', 'DataTieringEnabled', 'NetworkType', 'IpDiscovery', 'ReplicationGroupId',
      'SnapshotName', 'SnapshotArns', 'SnapshotWindow', 'PreferredMaintenanceWindow', 'NotificationTopicArn',
    ]) {
      expect(props).not.toHaveProperty(absent);
    }
  });

  test('warns about the default port', () => {
    Annotations.fromStack(stack).hasWarning('/Stack/Cache', Match.stringLikeRegexp('default port 6379.*AwsSolutions-AEC5'));
  });
});

describe('topology', () => {
  test('single node: NumCacheClusters 1, no failover, no Multi-AZ', () => {
    const { template } = synth({ topology: Topology.singleNode() });
    template.hasResourceProperties(RG, { NumCacheClusters: 1, AutomaticFailoverEnabled: false, MultiAZEnabled: false });
  });

  test('primary with replicas: NumCacheClusters = 1 + replicas', () => {
    const { template } = synth({ topology: Topology.primaryWithReplicas({ replicas: 5 }) });
    template.hasResourceProperties(RG, { NumCacheClusters: 6, AutomaticFailoverEnabled: true, MultiAZEnabled: true });
  });

  test('primary with replicas, Multi-AZ turned off but failover kept', () => {
    const { template } = synth({ topology: Topology.primaryWithReplicas({ replicas: 2 }), multiAz: false });
    template.hasResourceProperties(RG, { NumCacheClusters: 3, AutomaticFailoverEnabled: true, MultiAZEnabled: false });
  });

  test('sharded: cluster mode enabled with the .cluster.on default parameter group', () => {
    const { template } = synth({ topology: Topology.sharded({ shards: 3, replicasPerShard: 2 }) });
    template.hasResourceProperties(RG, {
      ClusterMode: 'enabled',
      NumNodeGroups: 3,
      ReplicasPerNodeGroup: 2,
      NumCacheClusters: Match.absent(),
      NodeGroupConfiguration: Match.absent(),
      CacheParameterGroupName: 'default.valkey8.cluster.on',
      AutomaticFailoverEnabled: true,
      MultiAZEnabled: true,
    });
  });

  test('sharded with 0 replicas: failover and Multi-AZ off by default', () => {
    const { template } = synth({ topology: Topology.sharded({ shards: 2, replicasPerShard: 0 }) });
    template.hasResourceProperties(RG, { NumNodeGroups: 2, ReplicasPerNodeGroup: 0, AutomaticFailoverEnabled: false, MultiAZEnabled: false });
  });

  test('sharded defaults to one replica per shard', () => {
    const topology = Topology.sharded({ shards: 2 });
    expect(topology.replicasPerShard).toBe(1);
    expect(topology.nodesPerShard).toBe(2);
  });

  test('evenSlots splits 16384 slots', () => {
    expect(Topology.evenSlots(1)).toEqual(['0-16383']);
    expect(Topology.evenSlots(2)).toEqual(['0-8191', '8192-16383']);
    expect(Topology.evenSlots(3)).toEqual(['0-5461', '5462-10922', '10923-16383']);
  });

  test('counts given as tokens are not validated at synth time', () => {
    const { stack, vpc } = stackWithVpc();
    const replicas = new CfnParameter(stack, 'Replicas', { type: 'Number' }).valueAsNumber;
    const retention = new CfnParameter(stack, 'Retention', { type: 'Number' }).valueAsNumber;
    expect(
      () => new ReplicationGroup(stack, 'Cache', {
        engine: valkey82,
        vpc,
        topology: Topology.primaryWithReplicas({ replicas }),
        snapshotRetentionDays: retention,
      }),
    ).not.toThrow();
  });
});

describe('networking', () => {
  test('isolated subnets when the VPC has no private subnets with egress', () => {
    const { template } = synth({}, { isolatedOnly: true });
    template.hasResourceProperties('AWS::ElastiCache::SubnetGroup', {
      SubnetIds: [{ Ref: Match.stringLikeRegexp('^VpcIsolatedSubnet1') }, { Ref: Match.stringLikeRegexp('^VpcIsolatedSubnet2') }],
    });
  });

  test('explicit vpcSubnets', () => {
    const { template } = synth({ vpcSubnets: { subnetType: ec2.SubnetType.PUBLIC } });
    template.hasResourceProperties('AWS::ElastiCache::SubnetGroup', {
      SubnetIds: [{ Ref: Match.stringLikeRegexp('^VpcPublicSubnet1') }, { Ref: Match.stringLikeRegexp('^VpcPublicSubnet2') }],
    });
  });

  test('an existing subnet group and security groups', () => {
    const { stack, vpc } = stackWithVpc();
    const sg = new ec2.SecurityGroup(stack, 'AppSg', { vpc });
    new ReplicationGroup(stack, 'Cache', {
      engine: valkey82,
      vpc,
      subnetGroup: elasticache.CfnSubnetGroup.fromCacheSubnetGroupName(stack, 'Sng', 'my-subnets'),
      securityGroups: [sg],
    });
    const template = Template.fromStack(stack);
    template.resourceCountIs('AWS::ElastiCache::SubnetGroup', 0);
    template.resourceCountIs('AWS::EC2::SecurityGroup', 1);
    template.hasResourceProperties(RG, {
      CacheSubnetGroupName: 'my-subnets',
      SecurityGroupIds: [{ 'Fn::GetAtt': [Match.stringLikeRegexp('^AppSg'), 'GroupId'] }],
    });
  });

  test('connections open the engine port', () => {
    const { stack, vpc } = stackWithVpc();
    const cache = new ReplicationGroup(stack, 'Cache', { engine: valkey82, vpc, port: 6380 });
    const app = new ec2.SecurityGroup(stack, 'App', { vpc });
    cache.connections.allowDefaultPortFrom(app);
    const template = Template.fromStack(stack);
    template.hasResourceProperties('AWS::EC2::SecurityGroupIngress', {
      IpProtocol: 'tcp',
      FromPort: 6380,
      ToPort: 6380,
      SourceSecurityGroupId: { 'Fn::GetAtt': [Match.stringLikeRegexp('^App'), 'GroupId'] },
    });
    template.hasResourceProperties(RG, { Port: 6380 });
    expect(cache.port).toBe(6380);
    Annotations.fromStack(stack).hasNoWarning('/Stack/Cache', Match.stringLikeRegexp('default port'));
  });

  test('dual stack with IPv6 discovery', () => {
    const { template } = synth({ networkType: 'dual_stack', ipDiscovery: 'ipv6' });
    template.hasResourceProperties(RG, { NetworkType: 'dual_stack', IpDiscovery: 'ipv6' });
  });
});

describe('parameters', () => {
  test('parameters create a group of the engine family', () => {
    const { template } = synth({ parameters: { 'maxmemory-policy': 'allkeys-lru' } });
    template.hasResourceProperties('AWS::ElastiCache::ParameterGroup', {
      CacheParameterGroupFamily: 'valkey8',
      Properties: { 'maxmemory-policy': 'allkeys-lru' },
    });
    template.hasResourceProperties(RG, { CacheParameterGroupName: { Ref: Match.stringLikeRegexp('^CacheParameterGroup') } });
  });

  test('sharded parameter groups get cluster-enabled yes', () => {
    const { template } = synth({
      engine: redis71,
      topology: Topology.sharded({ shards: 2 }),
      parameters: { 'maxmemory-policy': 'volatile-lru' },
    });
    template.hasResourceProperties('AWS::ElastiCache::ParameterGroup', {
      CacheParameterGroupFamily: 'redis7',
      Properties: { 'maxmemory-policy': 'volatile-lru', 'cluster-enabled': 'yes' },
    });
  });

  test('an existing parameter group by name', () => {
    const { template } = synth({ parameterGroupName: 'my-valkey8-params' });
    template.resourceCountIs('AWS::ElastiCache::ParameterGroup', 0);
    template.hasResourceProperties(RG, { CacheParameterGroupName: 'my-valkey8-params' });
  });

  test('the default group is rendered per family, so a major upgrade switches it', () => {
    expect(replicationGroupProps(synth({ engine: valkey90 }).template).CacheParameterGroupName).toBe('default.valkey9');
    expect(replicationGroupProps(synth({ engine: redis62 }).template).CacheParameterGroupName).toBe('default.redis6.x');
  });
});

describe('encryption', () => {
  test('preferred TLS during a migration', () => {
    const { template } = synth({ transitEncryptionMode: 'preferred' });
    template.hasResourceProperties(RG, { TransitEncryptionEnabled: true, TransitEncryptionMode: 'preferred' });
  });

  test('TLS off, explicitly, without auth', () => {
    const { template } = synth({ transitEncryption: false, auth: CacheAuth.none() });
    template.hasResourceProperties(RG, {
      TransitEncryptionEnabled: false,
      TransitEncryptionMode: Match.absent(),
      AuthToken: Match.absent(),
    });
    template.resourceCountIs('AWS::SecretsManager::Secret', 0);
  });

  test('at-rest encryption off is rendered as false', () => {
    const { template } = synth({ atRestEncryption: false });
    template.hasResourceProperties(RG, { AtRestEncryptionEnabled: false });
  });

  test('a customer managed key', () => {
    const { stack, vpc } = stackWithVpc();
    const key = new kms.Key(stack, 'Key');
    new ReplicationGroup(stack, 'Cache', { engine: valkey82, vpc, encryptionKey: key });
    Template.fromStack(stack).hasResourceProperties(RG, {
      AtRestEncryptionEnabled: true,
      KmsKeyId: { 'Fn::GetAtt': [Match.stringLikeRegexp('^Key'), 'Arn'] },
    });
  });

  test('Redis OSS 6.2 has TLS on/off only: no TransitEncryptionMode, no ClusterMode', () => {
    const { template } = synth({ engine: redis62 });
    template.hasResourceProperties(RG, {
      Engine: 'redis',
      EngineVersion: '6.2',
      TransitEncryptionEnabled: true,
      TransitEncryptionMode: Match.absent(),
      ClusterMode: Match.absent(),
    });
  });

  test('Redis OSS 5.0.6: x.y.z version, no AutoMinorVersionUpgrade', () => {
    const engine = CacheEngine.redisOss({ version: RedisOssEngineVersion.VER_5_0_6 });
    const { template } = synth({ engine });
    template.hasResourceProperties(RG, {
      EngineVersion: '5.0.6',
      CacheParameterGroupName: 'default.redis5.0',
      AutoMinorVersionUpgrade: Match.absent(),
    });
  });
});

describe('auth', () => {
  test('a token of a given length, its secret exposed', () => {
    const { template, cache } = synth({ auth: CacheAuth.token({ length: 128 }) });
    template.hasResourceProperties('AWS::SecretsManager::Secret', { GenerateSecretString: Match.objectLike({ PasswordLength: 128 }) });
    expect(cache.secret).toBeDefined();
  });

  test('a token from an existing secret, with a JSON field', () => {
    const { stack, vpc } = stackWithVpc();
    const secret = secretsmanager.Secret.fromSecretNameV2(stack, 'Existing', 'cache/token');
    const cache = new ReplicationGroup(stack, 'Cache', {
      engine: valkey82,
      vpc,
      auth: CacheAuth.tokenFromSecret(secret, { jsonField: 'token' }),
    });
    const template = Template.fromStack(stack);
    template.resourceCountIs('AWS::SecretsManager::Secret', 0);
    expect(cache.secret).toBe(secret);
    const token = JSON.stringify(replicationGroupProps(template).AuthToken);
    expect(token).toContain('{{resolve:secretsmanager:');
    expect(token).toContain('secret:cache/token:SecretString:token::}}');
  });

  test('a user group replaces the token and warns about replacement', () => {
    const { template, stack, cache } = synth({ auth: CacheAuth.userGroup({ userGroupId: 'app-users', engine: 'redis' }) });
    template.hasResourceProperties(RG, { UserGroupIds: ['app-users'], AuthToken: Match.absent() });
    template.resourceCountIs('AWS::SecretsManager::Secret', 0);
    expect(cache.secret).toBeUndefined();
    Annotations.fromStack(stack).hasWarning('/Stack/Cache', Match.stringLikeRegexp('replaces it in CloudFormation'));
  });

  test('none: no token, no user group', () => {
    const { template } = synth({ auth: CacheAuth.none() });
    template.hasResourceProperties(RG, { AuthToken: Match.absent(), UserGroupIds: Match.absent() });
  });
});

describe('backups and restore', () => {
  test('retention, window and maintenance window', () => {
    const { template } = synth({
      snapshotRetentionDays: 35,
      snapshotWindow: '03:00-04:00',
      preferredMaintenanceWindow: 'sun:05:00-sun:06:30',
    });
    template.hasResourceProperties(RG, {
      SnapshotRetentionLimit: 35,
      SnapshotWindow: '03:00-04:00',
      PreferredMaintenanceWindow: 'sun:05:00-sun:06:30',
    });
  });

  test('windows across midnight and across the week boundary', () => {
    synth({ snapshotWindow: '23:30-00:30', preferredMaintenanceWindow: 'wed:10:00-wed:11:00' }).template.hasResourceProperties(RG, {
      SnapshotWindow: '23:30-00:30',
    });
    synth({ snapshotWindow: '02:00-03:00', preferredMaintenanceWindow: 'sat:23:00-sun:01:00' }).template.hasResourceProperties(RG, {
      PreferredMaintenanceWindow: 'sat:23:00-sun:01:00',
    });
  });

  test('restore from a snapshot name', () => {
    const { template } = synth({ snapshotName: 'my-backup' });
    template.hasResourceProperties(RG, { SnapshotName: 'my-backup' });
  });

  test('seed a single group from one .rdb file', () => {
    const { template } = synth({ snapshotArns: ['arn:aws:s3:::my-bucket/export-0001.rdb'] });
    template.hasResourceProperties(RG, { SnapshotArns: ['arn:aws:s3:::my-bucket/export-0001.rdb'] });
  });

  test('seed a sharded group with slot ranges', () => {
    const { template } = synth({
      topology: Topology.sharded({ shards: 2, replicasPerShard: 1, slots: ['0-8191', '8192-16383'] }),
      snapshotArns: ['arn:aws:s3:::my-bucket/export-0001.rdb', 'arn:aws:s3:::my-bucket/export-0002.rdb'],
    });
    template.hasResourceProperties(RG, {
      NumNodeGroups: 2,
      NodeGroupConfiguration: [
        { ReplicaCount: 1, Slots: '0-8191' },
        { ReplicaCount: 1, Slots: '8192-16383' },
      ],
      SnapshotArns: ['arn:aws:s3:::my-bucket/export-0001.rdb', 'arn:aws:s3:::my-bucket/export-0002.rdb'],
    });
  });

  test('slot lists with several ranges per shard', () => {
    expect(() => Topology.sharded({ shards: 2, slots: ['0-100,5000-16383', '101-4999'] })).not.toThrow();
  });

  test.each([
    [RemovalPolicy.RETAIN, 'Retain'],
    [RemovalPolicy.DESTROY, 'Delete'],
  ])('removal policy %s', (policy, rendered) => {
    const { template } = synth({ removalPolicy: policy });
    template.hasResource(RG, { DeletionPolicy: rendered, UpdateReplacePolicy: rendered });
    // The generated token's secret stays with a retained cache.
    template.hasResource('AWS::SecretsManager::Secret', { DeletionPolicy: rendered });
  });
});

describe('logs', () => {
  test('slow log to a created log group kept one month, JSON', () => {
    const { template, cache } = synth({ slowLog: {} });
    template.hasResourceProperties('AWS::Logs::LogGroup', { RetentionInDays: 30 });
    template.hasResourceProperties(RG, {
      LogDeliveryConfigurations: [{
        DestinationType: 'cloudwatch-logs',
        DestinationDetails: { CloudWatchLogsDetails: { LogGroup: { Ref: Match.stringLikeRegexp('^CacheSlowLog') } } },
        LogFormat: 'json',
        LogType: 'slow-log',
      }],
    });
    expect(cache.slowLogGroup).toBeDefined();
    expect(cache.engineLogGroup).toBeUndefined();
  });

  test('engine log to a given log group in text, slow log with its own retention', () => {
    const { stack, vpc } = stackWithVpc();
    const group = new logs.LogGroup(stack, 'Given', { retention: logs.RetentionDays.ONE_WEEK });
    new ReplicationGroup(stack, 'Cache', {
      engine: valkey82,
      vpc,
      engineLog: { logGroup: group, format: 'text' },
      slowLog: { retention: logs.RetentionDays.THREE_MONTHS },
    });
    const template = Template.fromStack(stack);
    template.resourceCountIs('AWS::Logs::LogGroup', 2);
    template.hasResourceProperties('AWS::Logs::LogGroup', { RetentionInDays: 90 });
    template.hasResourceProperties(RG, {
      LogDeliveryConfigurations: [
        Match.objectLike({ LogType: 'slow-log', LogFormat: 'json' }),
        Match.objectLike({
          LogType: 'engine-log',
          LogFormat: 'text',
          DestinationDetails: { CloudWatchLogsDetails: { LogGroup: { Ref: Match.stringLikeRegexp('^Given') } } },
        }),
      ],
    });
  });
});

describe('other props', () => {
  test('notification topic, minor upgrades off, id lowercased, description', () => {
    const { stack, vpc } = stackWithVpc();
    const topic = new sns.Topic(stack, 'Topic');
    new ReplicationGroup(stack, 'Cache', {
      engine: valkey82,
      vpc,
      notificationTopic: topic,
      autoMinorVersionUpgrade: false,
      replicationGroupId: 'My-Cache-1',
      description: 'Sessions',
    });
    Template.fromStack(stack).hasResourceProperties(RG, {
      NotificationTopicArn: { Ref: Match.stringLikeRegexp('^Topic') },
      AutoMinorVersionUpgrade: false,
      ReplicationGroupId: 'my-cache-1',
      ReplicationGroupDescription: 'Sessions',
    });
  });

  test('a replication group id given as a token is passed through untouched', () => {
    const { stack, vpc } = stackWithVpc();
    const id = new CfnParameter(stack, 'GroupId', { type: 'String' }).valueAsString;
    new ReplicationGroup(stack, 'Cache', { engine: valkey82, vpc, replicationGroupId: id });
    Template.fromStack(stack).hasResourceProperties(RG, { ReplicationGroupId: { Ref: 'GroupId' } });
  });

  test('durability on Valkey 9.0, sharded, Multi-AZ, r7g', () => {
    const { template } = synth({
      engine: valkey90,
      nodeType: 'cache.r7g.large',
      topology: Topology.sharded({ shards: 2, replicasPerShard: 1 }),
      durability: 'sync',
    });
    template.hasResourceProperties(RG, { Durability: 'sync', EngineVersion: '9.0', CacheParameterGroupName: 'default.valkey9.cluster.on' });
  });

  test('data tiering is on for r6gd by default', () => {
    const { template } = synth({ nodeType: 'cache.r6gd.xlarge' });
    template.hasResourceProperties(RG, { DataTieringEnabled: true, CacheNodeType: 'cache.r6gd.xlarge' });
  });
});

describe('attributes', () => {
  test('cluster mode disabled: primary and reader endpoints', () => {
    const { cache, stack } = synth();
    expect(stack.resolve(cache.primaryEndpointAddress)).toEqual({ 'Fn::GetAtt': ['Cache18F6EE16', 'PrimaryEndPoint.Address'] });
    expect(stack.resolve(cache.primaryEndpointPort)).toEqual({ 'Fn::GetAtt': ['Cache18F6EE16', 'PrimaryEndPoint.Port'] });
    expect(stack.resolve(cache.readerEndpointAddress)).toEqual({ 'Fn::GetAtt': ['Cache18F6EE16', 'ReaderEndPoint.Address'] });
    expect(stack.resolve(cache.readerEndpointPort)).toEqual({ 'Fn::GetAtt': ['Cache18F6EE16', 'ReaderEndPoint.Port'] });
    expect(stack.resolve(cache.endpointAddress)).toEqual({ 'Fn::GetAtt': ['Cache18F6EE16', 'PrimaryEndPoint.Address'] });
    expect(stack.resolve(cache.replicationGroupId)).toEqual({ Ref: 'Cache18F6EE16' });
    expect(stack.resolve(cache.replicationGroupArn)).toEqual({
      'Fn::Join': ['', ['arn:', { Ref: 'AWS::Partition' }, ':elasticache:us-east-1:123456789012:replicationgroup:', { Ref: 'Cache18F6EE16' }]],
    });
    expect(() => cache.configurationEndpointAddress).toThrow(
      'configurationEndpointAddress of Stack/Cache is only available for a sharded topology (cluster mode enabled); ' +
        'use primaryEndpointAddress (or endpointAddress) for this non-sharded replication group',
    );
    expect(() => cache.configurationEndpointPort).toThrow(CacheConfigurationError);
  });

  test('cluster mode enabled: configuration endpoint', () => {
    const { cache, stack } = synth({ topology: Topology.sharded({ shards: 2 }) });
    expect(stack.resolve(cache.configurationEndpointAddress)).toEqual({ 'Fn::GetAtt': ['Cache18F6EE16', 'ConfigurationEndPoint.Address'] });
    expect(stack.resolve(cache.configurationEndpointPort)).toEqual({ 'Fn::GetAtt': ['Cache18F6EE16', 'ConfigurationEndPoint.Port'] });
    expect(stack.resolve(cache.endpointAddress)).toEqual({ 'Fn::GetAtt': ['Cache18F6EE16', 'ConfigurationEndPoint.Address'] });
    let caught: unknown;
    try {
      void cache.readerEndpointAddress;
    } catch (e) {
      caught = e;
    }
    expect(caught).toBeInstanceOf(CacheConfigurationError);
    expect((caught as CacheConfigurationError).code).toBe('ATTRIBUTE_NOT_AVAILABLE');
    expect(() => cache.primaryEndpointAddress).toThrow('primaryEndpointAddress of Stack/Cache is only available for cluster mode disabled');
  });

  test('replicationGroupRef for L1 interop', () => {
    const { cache, stack } = synth();
    expect(stack.resolve(cache.replicationGroupRef.replicationGroupId)).toEqual({ Ref: 'Cache18F6EE16' });
  });
});

describe('grants and metrics', () => {
  test('grantConnect: elasticache:Connect on the group and the user', () => {
    const { stack, vpc } = stackWithVpc();
    const cache = new ReplicationGroup(stack, 'Cache', { engine: valkey82, vpc });
    const role = new iam.Role(stack, 'Role', { assumedBy: new iam.ServicePrincipal('lambda.amazonaws.com') });
    cache.grantConnect(role, 'arn:aws:elasticache:us-east-1:123456789012:user:app');
    Template.fromStack(stack).hasResourceProperties('AWS::IAM::Policy', {
      PolicyDocument: {
        Statement: [{
          Action: 'elasticache:Connect',
          Effect: 'Allow',
          Resource: [
            { 'Fn::Join': ['', ['arn:', { Ref: 'AWS::Partition' }, ':elasticache:us-east-1:123456789012:replicationgroup:', { Ref: 'Cache18F6EE16' }]] },
            'arn:aws:elasticache:us-east-1:123456789012:user:app',
          ],
        }],
      },
    });
  });

  test('grantConnect without a user', () => {
    const { stack, cache } = synth();
    const role = new iam.Role(stack, 'Role', { assumedBy: new iam.ServicePrincipal('lambda.amazonaws.com') });
    const grant = cache.grantConnect(role);
    expect(grant.success).toBe(true);
    expect(stack.resolve(grant.principalStatements[0].toStatementJson().Resource)).toEqual({
      'Fn::Join': ['', ['arn:', { Ref: 'AWS::Partition' }, ':elasticache:us-east-1:123456789012:replicationgroup:', { Ref: 'Cache18F6EE16' }]],
    });
  });

  test.each([
    ['metricEngineCpuUtilization', 'EngineCPUUtilization', 'Average'],
    ['metricCpuUtilization', 'CPUUtilization', 'Average'],
    ['metricDatabaseMemoryUsagePercentage', 'DatabaseMemoryUsagePercentage', 'Average'],
    ['metricCurrConnections', 'CurrConnections', 'Maximum'],
    ['metricEvictions', 'Evictions', 'Sum'],
    ['metricCacheHits', 'CacheHits', 'Sum'],
    ['metricCacheMisses', 'CacheMisses', 'Sum'],
    ['metricReplicationLag', 'ReplicationLag', 'Maximum'],
    ['metricNetworkBytesIn', 'NetworkBytesIn', 'Sum'],
    ['metricNetworkBytesOut', 'NetworkBytesOut', 'Sum'],
  ] as const)('%s', (method, metricName, statistic) => {
    const { stack, cache } = synth();
    const metric = cache[method]();
    expect(metric.namespace).toBe('AWS/ElastiCache');
    expect(metric.metricName).toBe(metricName);
    expect(metric.statistic).toBe(statistic);
    expect(metric.period.toSeconds()).toBe(300);
    expect(stack.resolve(metric.dimensions)).toEqual({ ReplicationGroupId: { Ref: 'Cache18F6EE16' } });
  });

  test('metric options override the defaults', () => {
    const { cache } = synth();
    const metric = cache.metric('SwapUsage', { period: Duration.minutes(1), statistic: 'p99' });
    expect(metric.period.toSeconds()).toBe(60);
    expect(metric.statistic).toBe('p99');
  });
});

describe('fromReplicationGroupAttributes', () => {
  test('by id: the ARN is built, grants and metrics work', () => {
    const stack = new Stack(undefined, 'Stack', { env: { account: '123456789012', region: 'eu-west-1' } });
    const sg = ec2.SecurityGroup.fromSecurityGroupId(stack, 'Sg', 'sg-0123456789abcdef0');
    const imported = ReplicationGroup.fromReplicationGroupAttributes(stack, 'Imported', {
      replicationGroupId: 'sessions',
      port: 6380,
      primaryEndpointAddress: 'master.sessions.abc123.euw1.cache.amazonaws.com',
      securityGroups: [sg],
    });
    expect(imported.replicationGroupId).toBe('sessions');
    expect(stack.resolve(imported.replicationGroupArn)).toEqual({
      'Fn::Join': ['', ['arn:', { Ref: 'AWS::Partition' }, ':elasticache:eu-west-1:123456789012:replicationgroup:sessions']],
    });
    expect(imported.port).toBe(6380);
    expect(imported.primaryEndpointAddress).toBe('master.sessions.abc123.euw1.cache.amazonaws.com');
    expect(imported.connections.defaultPort?.toString()).toBe('6380');
    expect(imported.metricEvictions().dimensions).toEqual({ ReplicationGroupId: 'sessions' });
    const role = new iam.Role(stack, 'Role', { assumedBy: new iam.ServicePrincipal('ec2.amazonaws.com') });
    imported.grantConnect(role);
    Template.fromStack(stack).hasResourceProperties('AWS::IAM::Policy', {
      PolicyDocument: { Statement: [Match.objectLike({ Action: 'elasticache:Connect' })] },
    });
  });

  test('by ARN: the id is derived', () => {
    const stack = new Stack();
    const imported = ReplicationGroup.fromReplicationGroupAttributes(stack, 'Imported', {
      replicationGroupArn: 'arn:aws:elasticache:us-east-1:123456789012:replicationgroup:sessions',
    });
    expect(imported.replicationGroupId).toBe('sessions');
    expect(imported.engine).toBeUndefined();
  });

  test('getters of attributes not given throw', () => {
    const stack = new Stack();
    const imported = ReplicationGroup.fromReplicationGroupAttributes(stack, 'Imported', { replicationGroupId: 'sessions' });
    expect(() => imported.port).toThrow(
      "port of imported replication group 'sessions' is not available: pass port to ReplicationGroup.fromReplicationGroupAttributes()",
    );
    expect(() => imported.readerEndpointAddress).toThrow(CacheConfigurationError);
    expect(() => imported.configurationEndpointAddress).toThrow('configurationEndpointAddress of imported replication group');
    expect(() => imported.primaryEndpointAddress).toThrow('pass primaryEndpointAddress');
  });

  test.each([
    [{}, "ReplicationGroup.fromReplicationGroupAttributes(attrs) must give exactly one of replicationGroupId and replicationGroupArn; received []"],
    [
      { replicationGroupId: 'a', replicationGroupArn: 'arn:aws:elasticache:us-east-1:123456789012:replicationgroup:a' },
      'ReplicationGroup.fromReplicationGroupAttributes(attrs) must give exactly one of replicationGroupId and replicationGroupArn; ' +
        'received ["replicationGroupId","replicationGroupArn"]',
    ],
  ])('id or ARN, exactly one: %j', (attrs, message) => {
    const stack = new Stack();
    expect(() => ReplicationGroup.fromReplicationGroupAttributes(stack, 'Imported', attrs)).toThrow(message);
  });
});

describe('determinism', () => {
  test('two synths of the same props produce the same template', () => {
    const props: Partial<ReplicationGroupProps> = {
      topology: Topology.sharded({ shards: 2 }),
      parameters: { 'maxmemory-policy': 'allkeys-lru' },
      slowLog: {},
    };
    expect(synth(props).template.toJSON()).toEqual(synth(props).template.toJSON());
  });
});
