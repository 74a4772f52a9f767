import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { App, RemovalPolicy, Size, Stack, Validations } from 'aws-cdk-lib';
import { Match, Template } from 'aws-cdk-lib/assertions';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as kms from 'aws-cdk-lib/aws-kms';
import { AwsSolutionsChecks } from 'cdk-nag';
import {
  CacheAuth,
  CacheEngine,
  CacheUser,
  CacheUserGroup,
  RedisOssEngineVersion,
  ServerlessCache,
  ServerlessCacheProps,
  ValkeyEngineVersion,
} from '../../lib/elasticache';
import { CacheConfigurationError } from '../../lib/errors';
import { cfnLint, formatFindings, templatesIn } from '../checks/cfn-lint';
import { formatNagFindings, synthWithNag } from '../checks/nag';
import { redis62, redis71, stackWithVpc, valkey82 } from './support';

function serverless(props: Partial<ServerlessCacheProps> = {}): { stack: Stack; cache: ServerlessCache; template: () => Template } {
  const { stack, vpc } = stackWithVpc();
  const cache = new ServerlessCache(stack, 'Cache', { engine: valkey82, vpc, ...props });
  return { stack, cache, template: () => Template.fromStack(stack) };
}

describe('ServerlessCache', () => {
  test('defaults: major version from the engine, private subnets, a closed security group, daily snapshots, a final snapshot on delete', () => {
    const { template } = serverless();
    const t = template();
    t.hasResource('AWS::ElastiCache::ServerlessCache', {
      Properties: Match.objectLike({
        Engine: 'valkey',
        MajorEngineVersion: '8',
        SnapshotRetentionLimit: 1,
        SubnetIds: Match.arrayWith([{ Ref: Match.stringLikeRegexp('PrivateSubnet') }]),
        FinalSnapshotName: Match.stringLikeRegexp('^[a-z][a-z0-9]*-final$'),
        UserGroupId: Match.absent(),
        CacheUsageLimits: Match.absent(),
      }),
      DeletionPolicy: 'Delete',
    });
    t.hasResourceProperties('AWS::EC2::SecurityGroup', {
      SecurityGroupIngress: Match.absent(),
      SecurityGroupEgress: [Match.objectLike({ CidrIp: '255.255.255.255/32' })],
    });
  });

  test('the engine switch is one line: Redis OSS 7.1 renders engine redis, major 7', () => {
    const { template } = serverless({ engine: redis71 });
    template().hasResourceProperties('AWS::ElastiCache::ServerlessCache', { Engine: 'redis', MajorEngineVersion: '7' });
  });

  test('allowDefaultPortFrom opens the endpoint and the reader endpoint (6379–6380)', () => {
    const { stack, cache, template } = serverless();
    const peer = new ec2.SecurityGroup(stack, 'App', { vpc: ec2.Vpc.fromVpcAttributes(stack, 'V', { vpcId: 'vpc-0123456789abcdef0', availabilityZones: ['us-east-1a'] }) });
    cache.connections.allowDefaultPortFrom(peer);
    template().hasResourceProperties('AWS::EC2::SecurityGroupIngress', { FromPort: 6379, ToPort: 6380, IpProtocol: 'tcp' });
  });

  test('usage limits, snapshot time, KMS key, restore ARNs and a user group render as given', () => {
    const { stack, vpc } = stackWithVpc();
    const key = new kms.Key(stack, 'Key', { enableKeyRotation: true });
    const user = new CacheUser(stack, 'App', { engine: 'valkey', userName: 'app', accessString: 'on ~* +@all' });
    const group = new CacheUserGroup(stack, 'Users', { engine: 'valkey', users: [user] });
    new ServerlessCache(stack, 'Cache', {
      engine: valkey82,
      vpc,
      auth: CacheAuth.fromUserGroup(group),
      usageLimits: { maxDataStorage: Size.gibibytes(10), minDataStorage: Size.gibibytes(1), maxEcpuPerSecond: 50_000, minEcpuPerSecond: 1000 },
      snapshotRetentionDays: 7,
      dailySnapshotTime: '03:30',
      encryptionKey: key,
      snapshotArnsToRestore: ['arn:aws:elasticache:us-east-1:123456789012:snapshot:seed'],
      serverlessCacheName: 'sessions',
      finalSnapshotName: 'sessions-last',
    });
    const t = Template.fromStack(stack);
    t.hasResourceProperties('AWS::ElastiCache::ServerlessCache', {
      ServerlessCacheName: 'sessions',
      CacheUsageLimits: { DataStorage: { Unit: 'GB', Minimum: 1, Maximum: 10 }, ECPUPerSecond: { Minimum: 1000, Maximum: 50000 } },
      SnapshotRetentionLimit: 7,
      DailySnapshotTime: '03:30',
      KmsKeyId: { 'Fn::GetAtt': [Match.stringLikeRegexp('^Key'), 'Arn'] },
      SnapshotArnsToRestore: ['arn:aws:elasticache:us-east-1:123456789012:snapshot:seed'],
      FinalSnapshotName: 'sessions-last',
      UserGroupId: { Ref: Match.stringLikeRegexp('^Users') },
    });
  });

  test('snapshotRetentionDays 0 turns snapshots off; RETAIN and DESTROY take no final snapshot', () => {
    const off = serverless({ snapshotRetentionDays: 0, removalPolicy: RemovalPolicy.RETAIN }).template();
    off.hasResource('AWS::ElastiCache::ServerlessCache', {
      Properties: Match.objectLike({ SnapshotRetentionLimit: Match.absent(), FinalSnapshotName: Match.absent() }),
      DeletionPolicy: 'Retain',
    });
    serverless({ removalPolicy: RemovalPolicy.DESTROY }).template().hasResource('AWS::ElastiCache::ServerlessCache', {
      Properties: Match.objectLike({ FinalSnapshotName: Match.absent() }),
      DeletionPolicy: 'Delete',
    });
  });

  test('grantConnect and metrics use the cache name (dimension clusterId)', () => {
    const { stack, cache } = serverless({ serverlessCacheName: 'sessions' });
    const role = new iam.Role(stack, 'Role', { assumedBy: new iam.ServicePrincipal('lambda.amazonaws.com') });
    cache.grantConnect(role);
    Template.fromStack(stack).hasResourceProperties('AWS::IAM::Policy', {
      PolicyDocument: { Statement: [Match.objectLike({ Action: 'elasticache:Connect', Resource: { 'Fn::GetAtt': [Match.stringLikeRegexp('^Cache'), 'ARN'] } })] },
    });
    const metric = cache.metricThrottledCmds();
    expect(metric.namespace).toBe('AWS/ElastiCache');
    expect(metric.statistic).toBe('Sum');
    expect(stack.resolve(metric.dimensions)).toEqual({ clusterId: { Ref: expect.stringMatching(/^Cache/) } });
  });

  test('an imported cache grants on its ARN and opens 6379–6380', () => {
    const { stack, vpc } = stackWithVpc();
    const sg = new ec2.SecurityGroup(stack, 'Sg', { vpc });
    const cache = ServerlessCache.fromServerlessCacheName(stack, 'Imported', 'shared', [sg]);
    expect(stack.resolve(cache.serverlessCacheArn)).toEqual({
      'Fn::Join': ['', ['arn:', { Ref: 'AWS::Partition' }, ':elasticache:us-east-1:123456789012:serverlesscache:shared']],
    });
    expect(cache.connections.defaultPort?.toString()).toBe('6379-6380');
  });

  test('cfn-lint and cdk-nag AwsSolutions find nothing', () => {
    const outdir = fs.mkdtempSync(path.join(os.tmpdir(), 'serverless-'));
    try {
      const app = new App({ outdir });
      // Environment-agnostic, so the VPC's zones come from Fn::GetAZs (cfn-lint W3010 flags hard-coded ones).
      const stack = new Stack(app, 'Serverless');
      const vpc = new ec2.Vpc(stack, 'Vpc', { maxAzs: 2, natGateways: 1 });
      Validations.of(vpc).acknowledge({ id: 'AwsSolutions-VPC7', reason: 'Test VPC: flow logs are not what this test checks.' });
      const user = new CacheUser(stack, 'App', { engine: 'valkey', userName: 'app', accessString: 'on ~* +@all' });
      Validations.of(user).acknowledge({ id: 'AwsSolutions-SMG4', reason: 'ElastiCache user passwords rotate by adding a second password, which Secrets Manager rotation cannot do alone.' });
      const group = new CacheUserGroup(stack, 'Users', { engine: 'valkey', users: [user] });
      new ServerlessCache(stack, 'Valkey', { engine: valkey82, vpc, auth: CacheAuth.fromUserGroup(group), usageLimits: { maxDataStorage: Size.gibibytes(5) } });
      new ServerlessCache(stack, 'Redis', { engine: CacheEngine.redisOss({ version: RedisOssEngineVersion.VER_7_1 }), vpc, snapshotRetentionDays: 0, removalPolicy: RemovalPolicy.DESTROY });
      Validations.of(app).addPlugins(new AwsSolutionsChecks(app));
      expect(formatNagFindings(synthWithNag(app, outdir))).toBe('');
      expect(formatFindings(cfnLint(templatesIn(outdir)))).toBe('');
    } finally {
      fs.rmSync(outdir, { recursive: true, force: true });
    }
  });
});

describe('refused at synth, with the prop, the rule and the value', () => {
  const cases: Array<[string, Partial<ServerlessCacheProps> | ((s: Stack) => Partial<ServerlessCacheProps>), string]> = [
    [
      'Redis OSS 6.2',
      { engine: redis62 },
      "engine must be Valkey 7.2 or later or Redis OSS 7.0 or later for a serverless cache; received Redis OSS; received '6.2'",
    ],
    [
      'an AUTH token',
      { auth: CacheAuth.token() },
      "auth must be a user group or CacheAuth.none() for a serverless cache (serverless caches take no AUTH token); received 'generated-token'",
    ],
    [
      'a valkey user group on Redis OSS',
      { engine: redis71, auth: CacheAuth.userGroup({ userGroupId: 'app', engine: 'valkey' }) },
      "auth.engine must be one of redis for a Redis OSS cache (Valkey caches accept valkey and redis user groups, Redis OSS caches only redis user groups); received 'valkey'",
    ],
    ['a name with two hyphens', { serverlessCacheName: 'a--b' }, "serverlessCacheName must not contain two consecutive hyphens; received 'a--b'"],
    ['a name of 41 characters', { serverlessCacheName: 'a'.repeat(41) }, `serverlessCacheName must be 1 to 40 characters long; received '${'a'.repeat(41)}'`],
    ['storage of half a GB', { usageLimits: { maxDataStorage: Size.mebibytes(512) } }, "usageLimits.maxDataStorage must be a whole number of GB between 1 and 5000; received '0.5 GB'"],
    ['storage of 6000 GB', { usageLimits: { maxDataStorage: Size.gibibytes(6000) } }, "usageLimits.maxDataStorage must be a whole number of GB between 1 and 5000; received '6000 GB'"],
    ['minimum above maximum storage', { usageLimits: { minDataStorage: Size.gibibytes(20), maxDataStorage: Size.gibibytes(10) } }, "usageLimits.minDataStorage must not exceed maxDataStorage (10 GB); received '20 GB'"],
    ['too few ECPUs', { usageLimits: { maxEcpuPerSecond: 500 } }, 'usageLimits.maxEcpuPerSecond must be an integer between 1,000 and 15,000,000; received 500'],
    ['minimum above maximum ECPUs', { usageLimits: { minEcpuPerSecond: 5000, maxEcpuPerSecond: 2000 } }, 'usageLimits.minEcpuPerSecond must not exceed maxEcpuPerSecond (2000); received 5000'],
    ['retention of 36 days', { snapshotRetentionDays: 36 }, 'snapshotRetentionDays must be an integer between 0 and 35 (0 turns automatic backups off); received 36'],
    ['a snapshot time of 24:00', { dailySnapshotTime: '24:00' }, "dailySnapshotTime must be HH:MM in UTC (00:00–23:59); received '24:00'"],
    ['a snapshot time with snapshots off', { dailySnapshotTime: '03:00', snapshotRetentionDays: 0 }, "dailySnapshotTime needs snapshotRetentionDays above 0 (0 turns automatic snapshots off); received '03:00'"],
    [
      'an S3 object as restore ARN',
      { snapshotArnsToRestore: ['arn:aws:s3:::bucket/dump.rdb'] },
      "snapshotArnsToRestore[0] must be the ARN of an ElastiCache snapshot (arn:aws:elasticache:<region>:<account>:snapshot:<name> or …:serverlesscachesnapshot:<name>); received 'arn:aws:s3:::bucket/dump.rdb'",
    ],
    ['a final snapshot name with RETAIN', { removalPolicy: RemovalPolicy.RETAIN, finalSnapshotName: 'last' }, "finalSnapshotName is only taken with removalPolicy RemovalPolicy.SNAPSHOT; received 'last'"],
    ['a final snapshot name ending in a hyphen', { finalSnapshotName: 'last-' }, "finalSnapshotName must not end with a hyphen; received 'last-'"],
    ['a description with <', { description: 'a <b>' }, "description must be at most 255 characters, without < or >; received 'a <b>'"],
  ];

  test.each(cases)('%s', (_name, props, message) => {
    const { stack, vpc } = stackWithVpc();
    let error: unknown;
    try {
      new ServerlessCache(stack, 'Cache', { engine: valkey82, vpc, ...(typeof props === 'function' ? props(stack) : props) });
    } catch (err) {
      error = err;
    }
    expect(error).toBeInstanceOf(CacheConfigurationError);
    expect((error as Error).message).toBe(message);
  });

  test('Valkey 7.2 is the serverless floor for Valkey and is accepted', () => {
    expect(() => serverless({ engine: CacheEngine.valkey({ version: ValkeyEngineVersion.VER_7_2 }) })).not.toThrow();
  });
});
