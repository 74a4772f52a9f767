/**
 * cfn-lint and cdk-nag over migration stacks beyond the example app's (a fixed environment, our
 * ReplicationGroup as source, a user group, a customer managed key, two migrations sharing the
 * provider), and deterministic output: the bundle and the templates are the same bytes every time.
 */
import { execFileSync } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { App, Stack, Validations } from 'aws-cdk-lib';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import * as kms from 'aws-cdk-lib/aws-kms';
import { AwsSolutionsChecks } from 'cdk-nag';
import {
  CacheAuth,
  CacheEngine,
  MigrationSource,
  MigrationStrategy,
  RedisOssEngineVersion,
  ReplicationGroup,
  Topology,
  ValkeyEngineVersion,
  ValkeyMigration,
} from '../../../lib';
import { cfnLint, formatFindings, templatesIn } from '../../checks/cfn-lint';
import { formatNagFindings, synthWithNag } from '../../checks/nag';
import { Annotations } from 'aws-cdk-lib';

function build(outdir: string): App {
  const app = new App({ outdir });
  const stack = new Stack(app, 'Migrations', { env: { account: '123456789012', region: 'eu-west-1' } });
  // An existing VPC, with well-formed ids (cfn-lint checks their format).
  const vpc = ec2.Vpc.fromVpcAttributes(stack, 'Vpc', {
    vpcId: 'vpc-0123456789abcdef0',
    availabilityZones: ['eu-west-1a', 'eu-west-1b'],
    isolatedSubnetIds: ['subnet-0123456789abcdef0', 'subnet-0fedcba9876543210'],
  });
  const cache = new ReplicationGroup(stack, 'Orders', {
    engine: CacheEngine.redisOss({ version: RedisOssEngineVersion.VER_7_1 }),
    vpc,
    replicationGroupId: 'orders',
    parameters: { 'maxmemory-policy': 'allkeys-lru' },
    auth: CacheAuth.userGroup({ userGroupId: 'orders-users', engine: 'redis' }),
  });
  new ValkeyMigration(stack, 'OrdersInPlace', {
    source: MigrationSource.fromReplicationGroup(cache),
    targetVersion: ValkeyEngineVersion.VER_8_0,
    strategy: MigrationStrategy.IN_PLACE,
  });
  const key = new kms.Key(stack, 'CacheKey', { enableKeyRotation: true });
  const migration = new ValkeyMigration(stack, 'EventsBySnapshot', {
    source: MigrationSource.fromReplicationGroupId('events', { clusterMode: true }),
    targetVersion: ValkeyEngineVersion.VER_9_0,
    strategy: MigrationStrategy.SNAPSHOT_RESTORE,
    retainSnapshot: false,
    target: {
      vpc,
      topology: Topology.sharded({ shards: 2 }),
      encryptionKey: key,
      auth: CacheAuth.userGroup({ userGroupId: 'events-users', engine: 'valkey' }),
    },
  });
  for (const scope of [cache, migration]) {
    Annotations.of(scope).acknowledgeWarning('cdk-valkey:default-port', 'The test keeps the default port; access is limited by the security group.');
    Annotations.of(scope).acknowledgeWarning('cdk-valkey:auth-token-to-user-group-replaces', 'Created with a user group from the start.');
    Validations.of(scope).acknowledge({ id: 'AwsSolutions-AEC5', reason: 'The default port is kept on purpose; the security group and auth limit access.' });
    Validations.of(scope).acknowledge({ id: 'AwsSolutions-AEC6', reason: 'Clients authenticate through the RBAC user group instead of an AUTH token.' });
  }
  Annotations.of(stack).acknowledgeWarning('cdk-valkey:migration-stale-engine', 'The test shows the in-place migration of a group of the same app.');
  Validations.of(migration).acknowledge({ id: 'AwsSolutions-S1', reason: 'Access to the export bucket is audited with CloudTrail data events in this test account.' });
  Validations.of(app).addPlugins(new AwsSolutionsChecks(app));
  return app;
}

function synth(): string {
  const outdir = fs.mkdtempSync(path.join(os.tmpdir(), 'cdk-valkey-migration-'));
  const findings = synthWithNag(build(outdir), outdir);
  expect(formatNagFindings(findings)).toBe('');
  return outdir;
}

let first: string;
let second: string;
beforeAll(() => {
  first = synth();
  second = synth();
});
afterAll(() => {
  for (const dir of [first, second]) if (dir) fs.rmSync(dir, { recursive: true, force: true });
});

test('cdk-nag AwsSolutions: nothing unacknowledged (the construct acknowledges its own wildcards, each exactly)', () => {
  // synth() asserts it; here the acknowledgements the construct made are named exactly.
  const metadata = JSON.parse(fs.readFileSync(path.join(first, 'Migrations.metadata.json'), 'utf8')) as Record<string, Array<{ type: string; data: Record<string, string> }>>;
  const acknowledged = Object.values(metadata).flat().filter((e) => e.type === 'aws:cdk:acknowledged-rules').flatMap((e) => Object.keys(e.data));
  expect(acknowledged).toEqual(expect.arrayContaining([
    'Annotation::AwsSolutions-IAM5[Resource::arn:<AWS::Partition>:elasticache:eu-west-1:123456789012:cluster:events-*]',
    'Annotation::AwsSolutions-IAM5[Resource::arn:<AWS::Partition>:elasticache:eu-west-1:123456789012:cluster:events-valkey-*]',
    'Annotation::AwsSolutions-IAM5[Resource::*]',
  ]));
  expect(acknowledged.filter((id) => id.includes('IAM5') && !id.includes('['))).toEqual([]);
});

test('cfn-lint finds nothing', () => {
  expect(formatFindings(cfnLint(templatesIn(first)))).toBe('');
});

test('two synths write the same template bytes (the asset hash included)', () => {
  const a = fs.readFileSync(path.join(first, 'Migrations.template.json'), 'utf8');
  expect(fs.readFileSync(path.join(second, 'Migrations.template.json'), 'utf8')).toBe(a);
  expect(a).toMatch(/"S3Key": "[0-9a-f]{64}\.zip"/);
});

test('two builds of the handler bundle are the same bytes', () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'bundle-'));
  try {
    const script = path.join(__dirname, '..', '..', '..', 'scripts', 'bundle-handlers.js');
    for (const name of ['a.js', 'b.js']) execFileSync('node', [script, '--outfile', path.join(dir, name)], { stdio: 'pipe' });
    expect(fs.readFileSync(path.join(dir, 'b.js')).equals(fs.readFileSync(path.join(dir, 'a.js')))).toBe(true);
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
});
