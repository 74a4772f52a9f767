/**
 * SelfHostedCache's template: what one instance needs, secure by default, from ReplicationGroup's
 * props; and the props it cannot honour, refused with their exact messages.
 */
import { execFileSync } from 'node:child_process';
import { Duration, RemovalPolicy, Size, Stack } from 'aws-cdk-lib';
import { Match, Template } from 'aws-cdk-lib/assertions';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import * as kms from 'aws-cdk-lib/aws-kms';
import * as logs from 'aws-cdk-lib/aws-logs';
import * as s3 from 'aws-cdk-lib/aws-s3';
import * as secretsmanager from 'aws-cdk-lib/aws-secretsmanager';
import * as sns from 'aws-cdk-lib/aws-sns';
import {
  CacheAuth,
  CacheConfigurationError,
  CacheEngine,
  ReplicationGroup,
  RedisOssEngineVersion,
  ReplicationGroupProps,
  SelfHostedCache,
  SelfHostedCacheProps,
  Topology,
  ValkeyEngineVersion,
} from '../../lib';
import { redis62, redis71, stackWithVpc, valkey82, valkey90 } from '../elasticache/support';

function synth(props: Partial<SelfHostedCacheProps> = {}): { stack: Stack; cache: SelfHostedCache; template: Template } {
  const { stack, vpc } = stackWithVpc();
  const cache = new SelfHostedCache(stack, 'Cache', { engine: valkey82, vpc, ...props });
  return { stack, cache, template: Template.fromStack(stack) };
}

/** The user data script with CloudFormation's intrinsic values replaced by placeholders. */
function userDataOf(template: Template): string {
  const lt = Object.values(template.findResources('AWS::EC2::LaunchTemplate'))[0] as {
    Properties: { LaunchTemplateData: { UserData: { 'Fn::Base64': { 'Fn::Join': [string, unknown[]] } } } };
  };
  return lt.Properties.LaunchTemplateData.UserData['Fn::Base64']['Fn::Join'][1]
    .map((part) => (typeof part === 'string' ? part : 'TOKEN'))
    .join('');
}

describe('template', () => {
  const { template, cache, stack } = synth({ parameters: { 'maxmemory-policy': 'allkeys-lru' } });

  test('an Auto Scaling group of exactly one instance, in the endpoint interface\'s subnet, replaced old-first', () => {
    template.hasResource('AWS::AutoScaling::AutoScalingGroup', {
      Properties: Match.objectLike({
        MinSize: '1',
        MaxSize: '1',
        VPCZoneIdentifier: [{ Ref: 'VpcPrivateSubnet1Subnet536B997A' }],
        Tags: Match.arrayWith([{ Key: 'cdk-valkey:cache', PropagateAtLaunch: true, Value: cache.cacheName }]),
      }),
      UpdatePolicy: { AutoScalingRollingUpdate: { MaxBatchSize: 1, MinInstancesInService: 0 } },
    });
    template.hasResourceProperties('AWS::EC2::NetworkInterface', {
      SubnetId: { Ref: 'VpcPrivateSubnet1Subnet536B997A' },
      GroupSet: [{ 'Fn::GetAtt': [Match.stringLikeRegexp('^CacheSecurityGroup'), 'GroupId'] }],
    });
    expect(stack.resolve(cache.primaryEndpointAddress)).toEqual({ 'Fn::GetAtt': ['CacheEndpoint389038DF', 'PrimaryPrivateIpAddress'] });
  });

  test('Amazon Linux 2023 for Graviton from SSM, IMDSv2 required, no key pair, no public address, detailed monitoring', () => {
    const lt = template.findResources('AWS::EC2::LaunchTemplate');
    const data = (Object.values(lt)[0] as { Properties: { LaunchTemplateData: Record<string, unknown> } }).Properties.LaunchTemplateData;
    expect(data).toMatchObject({
      InstanceType: 't4g.micro',
      MetadataOptions: { HttpTokens: 'required', HttpPutResponseHopLimit: 1 },
      Monitoring: { Enabled: true },
      NetworkInterfaces: [{ AssociatePublicIpAddress: false, DeviceIndex: 0 }],
    });
    expect(data.KeyName).toBeUndefined();
    expect(JSON.stringify(data.ImageId)).toContain('al2023amikernel61arm64');
    template.hasParameter('*', { Type: 'AWS::SSM::Parameter::Value<AWS::EC2::Image::Id>', Default: '/aws/service/ami-amazon-linux-latest/al2023-ami-kernel-6.1-arm64' });
  });

  test('an encrypted gp3 root volume and a separate encrypted gp3 data volume of twice the memory (at least 8 GiB)', () => {
    template.hasResourceProperties('AWS::EC2::LaunchTemplate', {
      LaunchTemplateData: Match.objectLike({
        BlockDeviceMappings: [
          { DeviceName: '/dev/xvda', Ebs: { Encrypted: true, VolumeSize: 8, VolumeType: 'gp3' } },
          { DeviceName: '/dev/sdb', Ebs: { DeleteOnTermination: true, Encrypted: true, VolumeSize: 8, VolumeType: 'gp3' } },
        ],
      }),
    });
  });

  test('no ingress on the cache\'s security group until connections.allow* is called; the instance only reaches out on 443', () => {
    template.hasResourceProperties('AWS::EC2::SecurityGroup', {
      GroupDescription: 'Clients of Stack/Cache',
      SecurityGroupEgress: [Match.objectLike({ CidrIp: '255.255.255.255/32' })],
    });
    expect(template.findResources('AWS::EC2::SecurityGroupIngress')).toEqual({});
    template.hasResourceProperties('AWS::EC2::SecurityGroup', {
      GroupDescription: 'Outbound HTTPS of the instance of Stack/Cache',
      SecurityGroupEgress: [{ CidrIp: '0.0.0.0/0', FromPort: 443, ToPort: 443, IpProtocol: 'tcp', Description: 'AWS APIs, S3 and the Amazon Linux repositories' }],
    });
  });

  test('a generated password in Secrets Manager with ElastiCache\'s AUTH token rules, never in the user data or template', () => {
    template.hasResourceProperties('AWS::SecretsManager::Secret', {
      GenerateSecretString: { PasswordLength: 64, ExcludeCharacters: '"%\'()*+,./:;=?@[\\]_`{|}~', IncludeSpace: false },
    });
    const userData = userDataOf(template);
    expect(userData).toContain("CDK_VALKEY_SECRET_ARN='TOKEN'");
    expect(userData).not.toMatch(/requirepass|SecretString|resolve:secretsmanager/);
    expect(JSON.stringify(template.toJSON())).not.toContain('resolve:secretsmanager');
  });

  test('a snapshot bucket: SSE-S3, public access blocked, TLS only, versioned, old versions and history expire, retained', () => {
    template.hasResource('AWS::S3::Bucket', {
      Properties: {
        BucketEncryption: { ServerSideEncryptionConfiguration: [{ ServerSideEncryptionByDefault: { SSEAlgorithm: 'AES256' } }] },
        PublicAccessBlockConfiguration: { BlockPublicAcls: true, BlockPublicPolicy: true, IgnorePublicAcls: true, RestrictPublicBuckets: true },
        VersioningConfiguration: { Status: 'Enabled' },
        LifecycleConfiguration: {
          Rules: [
            { Id: 'ExpireOverwrittenSnapshots', NoncurrentVersionExpiration: { NoncurrentDays: 30 }, Status: 'Enabled' },
            { Id: 'ExpireSnapshotHistory', Prefix: `snapshots/${cache.cacheName}/history/`, ExpirationInDays: 1, Status: 'Enabled' },
          ],
        },
      },
      DeletionPolicy: 'Retain',
      UpdateReplacePolicy: 'Retain',
    });
    template.hasResourceProperties('AWS::S3::BucketPolicy', {
      PolicyDocument: { Statement: Match.arrayWith([Match.objectLike({ Effect: 'Deny', Condition: { Bool: { 'aws:SecureTransport': 'false' } } })]) },
    });
  });

  test('the server log goes to a log group with a retention', () => {
    template.hasResource('AWS::Logs::LogGroup', { Properties: { RetentionInDays: 30 }, DeletionPolicy: 'Retain' });
  });

  test('the instance role: Session Manager, its secret, its own snapshot prefix, the endpoint interface by tag', () => {
    template.hasResourceProperties('AWS::IAM::Role', {
      ManagedPolicyArns: [{ 'Fn::Join': ['', ['arn:', { Ref: 'AWS::Partition' }, ':iam::aws:policy/AmazonSSMManagedInstanceCore']] }],
    });
    const policy = Object.values(template.findResources('AWS::IAM::Policy'))[0] as { Properties: { PolicyDocument: { Statement: Array<Record<string, unknown>> } } };
    const statements = stack.resolve(policy.Properties.PolicyDocument.Statement) as Array<{ Sid?: string; Action: unknown; Condition?: unknown }>;
    const bySid = Object.fromEntries(statements.filter((s) => s.Sid).map((s) => [s.Sid, s]));
    expect(Object.keys(bySid).sort()).toEqual([
      'AttachEndpointInterface', 'AttachToOwnInstance', 'DescribeForBootAndAgent', 'ListSnapshots', 'PutAgentMetrics', 'ReadWriteSnapshots', 'WriteServerLog',
    ]);
    expect(bySid.ReadWriteSnapshots.Action).toEqual(['s3:GetObject', 's3:PutObject']);
    expect(bySid.AttachToOwnInstance.Condition).toEqual({ StringEquals: { 'aws:ResourceTag/cdk-valkey:cache': cache.cacheName } });
    expect(bySid.PutAgentMetrics.Condition).toEqual({ StringEquals: { 'cloudwatch:namespace': 'CWAgent' } });
    expect(statements.some((s) => s.Action === 'secretsmanager:GetSecretValue' || (Array.isArray(s.Action) && s.Action.includes('secretsmanager:GetSecretValue')))).toBe(true);
  });

  test('user data downloads the bundle, the script and the units, writes settings and parameters, and runs the boot script', () => {
    const userData = userDataOf(template);
    expect(userData).toMatch(/aws s3 cp 's3:\/\/[^']+\.js' '\/opt\/cdk-valkey\/server\.js'/);
    expect(userData).toMatch(/aws s3 cp 's3:\/\/[^']+\.sh' '\/opt\/cdk-valkey\/cdk-valkey\.sh'/);
    expect(userData).toContain(`CDK_VALKEY_SNAPSHOT_PREFIX='snapshots/${cache.cacheName}/'`);
    expect(userData).toContain("CDK_VALKEY_SNAPSHOT_INTERVAL_SECONDS='3600'");
    expect(userData).toContain("cat > /etc/cdk-valkey/parameters.conf <<'CDK_VALKEY_PARAMETERS'\nmaxmemory-policy allkeys-lru\nCDK_VALKEY_PARAMETERS\n");
    expect(userData.trimEnd().endsWith('/opt/cdk-valkey/cdk-valkey.sh boot')).toBe(true);
  });

  test('the user data parses with bash -n', () => {
    expect(execFileSync('bash', ['-n'], { input: userDataOf(template), encoding: 'utf8' })).toBe('');
  });

  test('metrics: AWS/EC2 by AutoScalingGroupName, and the CloudWatch agent\'s memory and data volume', () => {
    expect(stack.resolve(cache.metricCpuUtilization().toMetricConfig().metricStat)).toMatchObject({
      namespace: 'AWS/EC2',
      metricName: 'CPUUtilization',
      dimensions: [{ name: 'AutoScalingGroupName', value: { Ref: 'CacheGroupASG0F41A911' } }],
      statistic: 'Average',
    });
    expect(cache.metricMemoryUsedPercent().namespace).toBe('CWAgent');
    expect(cache.metricMemoryUsedPercent().metricName).toBe('mem_used_percent');
    expect(cache.metricDataVolumeUsedPercent().dimensions).toMatchObject({ path: '/var/lib/cdk-valkey' });
    expect(cache.metricStatusCheckFailed().statistic).toBe('Maximum');
    expect(cache.metricNetworkBytesIn().metricName).toBe('NetworkIn');
  });
});

test('the same props object builds a ReplicationGroup or a SelfHostedCache: only the class changes', () => {
  const { stack, vpc } = stackWithVpc();
  const props: ReplicationGroupProps = {
    engine: valkey82,
    vpc,
    nodeType: 'cache.r7g.large',
    topology: Topology.singleNode(),
    parameters: { 'maxmemory-policy': 'allkeys-lru' },
    snapshotRetentionDays: 7,
    snapshotWindow: '03:00-04:00',
    engineLog: { retention: logs.RetentionDays.ONE_WEEK },
  };
  const managed = new ReplicationGroup(stack, 'Managed', props);
  const selfHosted = new SelfHostedCache(stack, 'SelfHosted', props);
  expect(selfHosted.port).toBe(managed.port);
  expect(selfHosted.instanceType.toString()).toBe('r7g.large');
  const template = Template.fromStack(stack);
  template.hasResourceProperties('AWS::Logs::LogGroup', { RetentionInDays: 7 });
  const userData = userDataOf(template);
  expect(userData).toContain("CDK_VALKEY_SNAPSHOT_CALENDAR='*-*-* 03:00:00 UTC'");
  // r7g.large: 16 GiB of memory → a 32 GiB data volume.
  template.hasResourceProperties('AWS::EC2::LaunchTemplate', {
    LaunchTemplateData: Match.objectLike({ InstanceType: 'r7g.large', BlockDeviceMappings: Match.arrayWith([Match.objectLike({ DeviceName: '/dev/sdb', Ebs: Match.objectLike({ VolumeSize: 32 }) })]) }),
  });
});

describe('node types and instance types', () => {
  test.each([
    ['cache.t4g.micro', 't4g.micro', 'arm64', 8],
    ['cache.r7g.large', 'r7g.large', 'arm64', 32],
    ['cache.m7g.xlarge', 'm7g.xlarge', 'arm64', 32],
    ['cache.c7gn.large', 'c7gn.large', 'arm64', 8],
    ['cache.r6g.4xlarge', 'r6g.4xlarge', 'arm64', 256],
    ['cache.m5.large', 'm5.large', 'x86_64', 16],
    ['cache.t3.medium', 't3.medium', 'x86_64', 8],
  ])('%s runs on %s (%s) with a %i GiB data volume', (nodeType, instanceType, arch, volume) => {
    const { template } = synth({ nodeType });
    const data = (Object.values(template.findResources('AWS::EC2::LaunchTemplate'))[0] as { Properties: { LaunchTemplateData: { InstanceType: string; ImageId: unknown; BlockDeviceMappings: Array<{ Ebs: { VolumeSize: number } }> } } }).Properties.LaunchTemplateData;
    expect(data.InstanceType).toBe(instanceType);
    expect(JSON.stringify(data.ImageId)).toContain(arch === 'arm64' ? 'arm64' : 'x8664');
    expect(data.BlockDeviceMappings[1].Ebs.VolumeSize).toBe(volume);
  });

  test('an explicit instanceType and dataVolumeSize', () => {
    const { template } = synth({ instanceType: new ec2.InstanceType('m7i.large'), dataVolumeSize: Size.gibibytes(50) });
    const data = (Object.values(template.findResources('AWS::EC2::LaunchTemplate'))[0] as { Properties: { LaunchTemplateData: { InstanceType: string; ImageId: unknown; BlockDeviceMappings: Array<{ Ebs: { VolumeSize: number } }> } } }).Properties.LaunchTemplateData;
    expect(data.InstanceType).toBe('m7i.large');
    expect(JSON.stringify(data.ImageId)).toContain('x8664');
    expect(data.BlockDeviceMappings[1].Ebs.VolumeSize).toBe(50);
  });
});

describe('props that map', () => {
  test('tokenFromSecret with jsonField: the given secret and field', () => {
    const { stack, vpc } = stackWithVpc();
    const secret = new secretsmanager.Secret(stack, 'Given');
    const cache = new SelfHostedCache(stack, 'Cache', { engine: valkey82, vpc, auth: CacheAuth.tokenFromSecret(secret, { jsonField: 'password' }) });
    expect(cache.secret).toBe(secret);
    expect(userDataOf(Template.fromStack(stack))).toContain("CDK_VALKEY_SECRET_JSON_FIELD='password'");
  });

  test('CacheAuth.none(): no secret', () => {
    const { cache, template } = synth({ auth: CacheAuth.none() });
    expect(cache.secret).toBeUndefined();
    template.resourceCountIs('AWS::SecretsManager::Secret', 0);
    expect(userDataOf(template)).toContain("CDK_VALKEY_SECRET_ARN=''");
  });

  test('snapshotArns seeds the first boot from one .rdb, readable by the instance', () => {
    const { template } = synth({ snapshotArns: ['arn:aws:s3:::exports-bucket/clickstream-0001.rdb'] });
    expect(userDataOf(template)).toContain("CDK_VALKEY_SEED_OBJECT='s3://exports-bucket/clickstream-0001.rdb'");
    template.hasResourceProperties('AWS::IAM::Policy', {
      PolicyDocument: { Statement: Match.arrayWith([{ Sid: 'ReadSeedSnapshot', Action: 's3:GetObject', Effect: 'Allow', Resource: 'arn:aws:s3:::exports-bucket/clickstream-0001.rdb' }]) },
    });
  });

  test('replicationGroupId names the snapshot prefix; snapshotInterval and snapshotRetentionDays 0', () => {
    const { cache, template } = synth({ replicationGroupId: 'Sessions-Cache', snapshotInterval: Duration.minutes(15), snapshotRetentionDays: 0 });
    expect(cache.cacheName).toBe('sessions-cache');
    expect(cache.latestSnapshotKey).toBe('snapshots/sessions-cache/latest.rdb');
    const userData = userDataOf(template);
    expect(userData).toContain("CDK_VALKEY_SNAPSHOT_INTERVAL_SECONDS='900'");
    expect(userData).toContain("CDK_VALKEY_HISTORY='no'");
    template.hasResourceProperties('AWS::S3::Bucket', { LifecycleConfiguration: { Rules: [Match.objectLike({ Id: 'ExpireOverwrittenSnapshots' })] } });
  });

  test('notificationTopic: the group\'s launch and termination events', () => {
    const { stack, vpc } = stackWithVpc();
    const topic = new sns.Topic(stack, 'Topic');
    new SelfHostedCache(stack, 'Cache', { engine: valkey82, vpc, notificationTopic: topic });
    Template.fromStack(stack).hasResourceProperties('AWS::AutoScaling::AutoScalingGroup', {
      NotificationConfigurations: [Match.objectLike({ TopicARN: { Ref: Match.stringLikeRegexp('^Topic') } })],
    });
  });

  test('removalPolicy DESTROY: the bucket and the log group go with the stack', () => {
    const { template } = synth({ removalPolicy: RemovalPolicy.DESTROY });
    template.hasResource('AWS::S3::Bucket', { DeletionPolicy: 'Delete' });
    template.hasResource('AWS::Logs::LogGroup', { DeletionPolicy: 'Delete' });
  });

  test('an existing snapshot bucket is used as given', () => {
    const { stack, vpc } = stackWithVpc();
    const bucket = s3.Bucket.fromBucketName(stack, 'Existing', 'team-cache-snapshots');
    const cache = new SelfHostedCache(stack, 'Cache', { engine: valkey82, vpc, snapshotBucket: bucket });
    Template.fromStack(stack).resourceCountIs('AWS::S3::Bucket', 0);
    expect(stack.resolve(cache.latestSnapshotArn)).toEqual({
      'Fn::Join': ['', ['arn:', { Ref: 'AWS::Partition' }, `:s3:::team-cache-snapshots/snapshots/${cache.cacheName}/latest.rdb`]],
    });
    expect(() => cache.grantElastiCacheSeed()).toThrow(/cannot add to the policy of the imported snapshotBucket/);
  });
});

describe('seeding ElastiCache from the latest snapshot', () => {
  test('grantElastiCacheSeed() lets the regional ElastiCache principal read it and returns its ARN for snapshotArns', () => {
    const { stack, vpc } = stackWithVpc();
    const selfHosted = new SelfHostedCache(stack, 'SelfHosted', { engine: valkey82, vpc });
    new ReplicationGroup(stack, 'Managed', { engine: valkey82, vpc, snapshotArns: [selfHosted.grantElastiCacheSeed()] });
    const template = Template.fromStack(stack);
    const principal = { Service: 'us-east-1.elasticache-snapshot.amazonaws.com' };
    template.hasResourceProperties('AWS::S3::BucketPolicy', {
      PolicyDocument: {
        Statement: Match.arrayWith([
          Match.objectLike({ Sid: 'ElastiCacheSeedReadSnapshot', Principal: principal, Action: 's3:GetObject', Effect: 'Allow' }),
          Match.objectLike({ Sid: 'ElastiCacheSeedReadBucket', Principal: principal, Action: ['s3:ListBucket', 's3:GetBucketAcl'], Effect: 'Allow' }),
        ]),
      },
    });
    template.hasResourceProperties('AWS::ElastiCache::ReplicationGroup', {
      SnapshotArns: [{ 'Fn::Join': ['', [Match.anyValue(), `/snapshots/${selfHosted.cacheName}/latest.rdb`]] }],
    });
  });
});

describe('refused props', () => {
  type Case = [string, (stack: Stack) => Partial<SelfHostedCacheProps>, string, string];
  const UNSUPPORTED = 'UNSUPPORTED_ON_SELF_HOSTED';
  const INVALID: Case[] = [
    ['replicas', () => ({ topology: Topology.primaryWithReplicas({ replicas: 1 }) }), UNSUPPORTED,
      "topology must be Topology.singleNode() on SelfHostedCache (one instance: replicas and shards need ElastiCache); received 'primary with 1 replicas'"],
    ['shards', () => ({ topology: Topology.sharded({ shards: 3, replicasPerShard: 1 }) }), UNSUPPORTED,
      "topology must be Topology.singleNode() on SelfHostedCache (one instance: replicas and shards need ElastiCache); received 'sharded: 3 shards × 1 replicas'"],
    ['one shard without replicas is still cluster mode', () => ({ topology: Topology.sharded({ shards: 1, replicasPerShard: 0 }) }), UNSUPPORTED,
      "topology must be Topology.singleNode() on SelfHostedCache (one instance: replicas and shards need ElastiCache); received 'sharded: 1 shards × 0 replicas'"],
    ['multiAz', () => ({ multiAz: true }), UNSUPPORTED,
      'multiAz must be false or unset on SelfHostedCache (one instance lives in one Availability Zone; a failed instance is replaced from the latest snapshot); received true'],
    ['automaticFailover', () => ({ automaticFailover: true }), UNSUPPORTED,
      'automaticFailover must be false or unset on SelfHostedCache (there is no replica to fail over to; a failed instance is replaced from the latest snapshot); received true'],
    ['subnetGroup', () => ({ subnetGroup: { subnetGroupRef: { cacheSubnetGroupName: 'my-subnets' } } as unknown as SelfHostedCacheProps['subnetGroup'] }), UNSUPPORTED,
      "subnetGroup cannot be given to SelfHostedCache (an ElastiCache subnet group does not place EC2 instances; use vpcSubnets); received 'my-subnets'"],
    ['parameterGroupName', () => ({ parameterGroupName: 'default.valkey8' }), UNSUPPORTED,
      "parameterGroupName cannot be given to SelfHostedCache (an ElastiCache parameter group cannot configure our server; use parameters); received 'default.valkey8'"],
    ['transitEncryption', () => ({ transitEncryption: true }), UNSUPPORTED,
      'transitEncryption must be false or unset on SelfHostedCache (the self-hosted server does not speak TLS yet; leave it unset (traffic stays in the VPC behind the security group)); received true'],
    ['transitEncryptionMode', () => ({ transitEncryptionMode: 'preferred' }), UNSUPPORTED,
      "transitEncryptionMode cannot be given to SelfHostedCache (the self-hosted server does not speak TLS yet); received 'preferred'"],
    ['atRestEncryption off', () => ({ atRestEncryption: false }), UNSUPPORTED,
      'atRestEncryption must be true or unset on SelfHostedCache (the data volume and the snapshots are always encrypted); received false'],
    ['encryptionKey', (stack) => ({ encryptionKey: kms.Key.fromKeyArn(stack, 'Key', 'arn:aws:kms:us-east-1:123456789012:key/1234abcd-12ab-34cd-56ef-1234567890ab') }), UNSUPPORTED,
      "encryptionKey cannot be given to SelfHostedCache (the data volume uses the account's EBS default key and the snapshots SSE-S3, which ElastiCache needs to seed from them); received 'arn:aws:kms:us-east-1:123456789012:key/1234abcd-12ab-34cd-56ef-1234567890ab'"],
    ['user group', () => ({ auth: CacheAuth.userGroup({ userGroupId: 'app-users', engine: 'valkey' }) }), UNSUPPORTED,
      "auth must not be a user group on SelfHostedCache (ElastiCache RBAC user groups do not exist on EC2); use CacheAuth.token(), tokenFromSecret() or none(); received 'app-users'"],
    ['snapshotName', () => ({ snapshotName: 'nightly' }), UNSUPPORTED,
      "snapshotName cannot be given to SelfHostedCache (an ElastiCache snapshot cannot be read from EC2; export it to S3 (CopySnapshot) and pass its .rdb in snapshotArns); received 'nightly'"],
    ['two seed files', () => ({ snapshotArns: ['arn:aws:s3:::b/x-0001.rdb', 'arn:aws:s3:::b/x-0002.rdb'] }), UNSUPPORTED,
      'snapshotArns must hold at most one .rdb on SelfHostedCache (one instance loads one file; a sharded export cannot be merged); received ["arn:aws:s3:::b/x-0001.rdb","arn:aws:s3:::b/x-0002.rdb"]'],
    ['slowLog', () => ({ slowLog: { retention: logs.RetentionDays.ONE_WEEK } }), UNSUPPORTED,
      'slowLog cannot be given to SelfHostedCache (our server keeps its slow log in memory (SLOWLOG GET); it is not delivered to CloudWatch Logs); received {"retention":7}'],
    ['engineLog in JSON', () => ({ engineLog: { format: 'json' } }), UNSUPPORTED,
      "engineLog.format must be 'text' or unset on SelfHostedCache (the server writes redis-server's text log lines); received 'json'"],
    ['maintenance window', () => ({ preferredMaintenanceWindow: 'sun:05:00-sun:06:00' }), UNSUPPORTED,
      "preferredMaintenanceWindow cannot be given to SelfHostedCache (there is no managed maintenance on a self-hosted instance); received 'sun:05:00-sun:06:00'"],
    ['autoMinorVersionUpgrade', () => ({ autoMinorVersionUpgrade: true }), UNSUPPORTED,
      'autoMinorVersionUpgrade must be false or unset on SelfHostedCache (the server version is the one bundled in this package; upgrade the package and deploy); received true'],
    ['durability', () => ({ durability: 'sync' }), UNSUPPORTED,
      "durability cannot be given to SelfHostedCache (durability is ElastiCache's Multi-AZ transaction log); received 'sync'"],
    ['dataTiering', () => ({ dataTiering: true }), UNSUPPORTED,
      'dataTiering must be false or unset on SelfHostedCache (data tiering is an ElastiCache feature of r6gd nodes); received true'],
    ['IPv6', () => ({ networkType: 'ipv6' }), UNSUPPORTED,
      "networkType must be 'ipv4' or unset on SelfHostedCache (the endpoint is the network interface's private IPv4 address); received 'ipv6'"],
    ['dual stack', () => ({ networkType: 'dual_stack' }), UNSUPPORTED,
      "networkType must be 'ipv4' or unset on SelfHostedCache (the endpoint is the network interface's private IPv4 address); received 'dual_stack'"],
    ['IPv6 discovery', () => ({ ipDiscovery: 'ipv6' }), UNSUPPORTED,
      "ipDiscovery must be 'ipv4' or unset on SelfHostedCache (there is no cluster discovery); received 'ipv6'"],
    ['Redis OSS 6.2', () => ({ engine: redis62 }), UNSUPPORTED,
      "engine must be Valkey 7.2–8.x or Redis OSS 7.0–7.1 on SelfHostedCache (the bundled server implements the Redis 7.2 command set with Valkey 8 semantics); received 'redis 6.2'"],
    ['Valkey 9.0', () => ({ engine: valkey90 }), UNSUPPORTED,
      "engine must be Valkey 7.2–8.x or Redis OSS 7.0–7.1 on SelfHostedCache (the bundled server implements the Redis 7.2 command set with Valkey 8 semantics); received 'valkey 9.0'"],
    ['instanceType with nodeType', () => ({ nodeType: 'cache.r7g.large', instanceType: new ec2.InstanceType('r7g.large') }), 'CONFLICTING_PROPS',
      "instanceType cannot be given together with nodeType (one names the instance directly, the other maps cache.* to it); received 'r7g.large'"],
    ['a data tiering node type', () => ({ nodeType: 'cache.r6gd.xlarge' }), 'INVALID_INSTANCE_TYPE',
      "nodeType must not be a data tiering node type on SelfHostedCache (the SSD tier is an ElastiCache feature); use the family without d, e.g. cache.r6g.xlarge; received 'cache.r6gd.xlarge'"],
    ['an unknown node type', () => ({ nodeType: 'cache.x9z.huge' }), 'INVALID_INSTANCE_TYPE',
      "nodeType must be an ElastiCache node type of the t, m, r or c families (cache.t4g.micro, cache.r7g.large, …) to map to an EC2 instance type; pass instanceType for any other instance; received 'cache.x9z.huge'"],
    ['not a cache.* name', () => ({ nodeType: 'r7g.large' }), 'INVALID_INSTANCE_TYPE',
      "nodeType must be an ElastiCache node type of the t, m, r or c families (cache.t4g.micro, cache.r7g.large, …) to map to an EC2 instance type; pass instanceType for any other instance; received 'r7g.large'"],
    ['a snapshot interval under a minute', () => ({ snapshotInterval: Duration.seconds(30) }), 'INVALID_SNAPSHOT_INTERVAL',
      "snapshotInterval must be whole minutes from 1 minute to 24 hours; received '30 seconds'"],
    ['a snapshot interval over a day', () => ({ snapshotInterval: Duration.hours(25) }), 'INVALID_SNAPSHOT_INTERVAL',
      "snapshotInterval must be whole minutes from 1 minute to 24 hours; received '1 day 1 hour'"],
    ['a parameter the script owns', () => ({ parameters: { requirepass: 'hunter2hunter2hunter2' } }), 'INVALID_PARAMETER',
      "parameters.requirepass is set by SelfHostedCache itself (from port, auth and the data volume) and cannot be a parameter; received 'hunter2hunter2hunter2'"],
    ['a parameter on two lines', () => ({ parameters: { 'maxmemory-policy': 'allkeys-lru\nport 1' } }), 'INVALID_PARAMETER',
      "parameters.maxmemory-policy must be one line (no CR, LF or NUL); received 'allkeys-lru\nport 1'"],
    ['a parameter name that is no directive', () => ({ parameters: { 'Max Memory': '1gb' } }), 'INVALID_PARAMETER',
      "parameters must have names of lowercase letters, digits and hyphens (config directives); received 'Max Memory'"],
    ['shared rule: snapshot retention', () => ({ snapshotRetentionDays: 36 }), 'INVALID_SNAPSHOT_RETENTION',
      'snapshotRetentionDays must be an integer between 0 and 35 (0 turns automatic backups off); received 36'],
    ['shared rule: port', () => ({ port: 70000 }), 'INVALID_PORT',
      'port must be an integer between 1 and 65535; received 70000'],
    ['shared rule: a seed that is not an .rdb object ARN', () => ({ snapshotArns: ['s3://bucket/dump.rdb'] }), 'INVALID_SNAPSHOT_ARN',
      "snapshotArns[0] must be the S3 object ARN of an .rdb file, arn:aws:s3:::bucket/key.rdb, with no comma in the key; received 's3://bucket/dump.rdb'"],
  ];

  test('the table is long enough to mean something', () => {
    expect(INVALID.length).toBeGreaterThanOrEqual(30);
  });

  test.each(INVALID)('%s', (_name, props, code, message) => {
    const { stack, vpc } = stackWithVpc();
    let caught: unknown;
    try {
      new SelfHostedCache(stack, 'Cache', { engine: valkey82, vpc, ...props(stack) });
    } catch (e) {
      caught = e;
    }
    expect(caught).toBeInstanceOf(CacheConfigurationError);
    expect((caught as CacheConfigurationError).message).toBe(message);
    expect((caught as CacheConfigurationError).code).toBe(code);
  });

  test('accepted engines: Valkey 7.2–8.2 and Redis OSS 7.0–7.1', () => {
    const engines = [
      CacheEngine.valkey({ version: ValkeyEngineVersion.VER_7_2 }),
      valkey82,
      CacheEngine.redisOss({ version: RedisOssEngineVersion.VER_7_0 }),
      redis71,
    ];
    for (const engine of engines) {
      expect(() => synth({ engine })).not.toThrow();
    }
  });
});
