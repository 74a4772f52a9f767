/**
 * SNAPSHOT_RESTORE end to end against moto_server over real HTTP, with the real ElastiCache and S3
 * clients. moto 5.2.1 does not implement CopySnapshot (HTTP 500), so that one call is answered by a
 * middleware on the ElastiCache client that writes the .rdb object(s) into moto's S3 the way
 * ElastiCache's export does; every other call reaches moto.
 */
import {
  CopySnapshotCommandInput,
  CreateReplicationGroupCommand,
  DescribeReplicationGroupsCommand,
  DescribeSnapshotsCommand,
  ElastiCacheClient,
  ListTagsForResourceCommand,
  ServiceInputTypes,
} from '@aws-sdk/client-elasticache';
import { CreateBucketCommand, GetObjectCommand, PutObjectCommand, S3Client } from '@aws-sdk/client-s3';
import { execFileSync } from 'child_process';
import * as fs from 'fs';
import { createRequire } from 'module';
import * as os from 'os';
import * as path from 'path';
import { MIGRATION_TAG_KEY } from '../../../lib/migration/handler/constants';
import { handleIsComplete, handleOnEvent } from '../../../lib/migration/handler/handler';
import type { IsCompleteResponse, MigrationEvent } from '../../../lib/migration/handler/types';
import { MotoServer, startMotoServer } from '../moto-server';
import { event, testContext } from './support';

const BUCKET = 'cdk-valkey-migration-exports';
const SOURCE = 'orders-cache';
const TARGET = 'orders-cache-valkey';
const RDB = Buffer.concat([Buffer.from('REDIS0011'), Buffer.from([0xff, 0, 0, 0, 0, 0, 0, 0, 0])]);

let moto: MotoServer;
let elastiCache: ElastiCacheClient;
let s3: S3Client;
const sent: { command: string; input: ServiceInputTypes }[] = [];

function copySnapshotDouble(client: ElastiCacheClient, bucketWriter: S3Client): void {
  client.middlewareStack.add(
    (next, context) => async args => {
      sent.push({ command: context.commandName ?? '', input: args.input });
      if (context.commandName !== 'CopySnapshotCommand') {
        return next(args);
      }
      const input = args.input as CopySnapshotCommandInput;
      const described = await client.send(new DescribeSnapshotsCommand({ SnapshotName: input.SourceSnapshotName }));
      const shards = described.Snapshots?.[0]?.NumNodeGroups ?? 1;
      for (let shard = 1; shard <= shards; shard++) {
        const key = `${input.TargetSnapshotName}-${String(shard).padStart(4, '0')}.rdb`;
        await bucketWriter.send(new PutObjectCommand({ Bucket: input.TargetBucket, Key: key, Body: RDB }));
      }
      return {
        output: { $metadata: { httpStatusCode: 200 }, Snapshot: { ...described.Snapshots?.[0], SnapshotStatus: 'exporting' } },
        response: {},
      };
    },
    { step: 'initialize', name: 'copySnapshotDouble' },
  );
}

beforeAll(async () => {
  moto = await startMotoServer();
  const config = { endpoint: moto.endpoint, region: 'us-east-1', credentials: { accessKeyId: 'testing', secretAccessKey: 'testing' } };
  elastiCache = new ElastiCacheClient(config);
  s3 = new S3Client({ ...config, forcePathStyle: true });
  copySnapshotDouble(elastiCache, s3);
  await s3.send(new CreateBucketCommand({ Bucket: BUCKET }));
  await elastiCache.send(new CreateReplicationGroupCommand({
    ReplicationGroupId: SOURCE,
    ReplicationGroupDescription: 'orders',
    Engine: 'redis',
    EngineVersion: '7.1',
    CacheNodeType: 'cache.r7g.large',
    NumCacheClusters: 2,
  }));
}, 180_000);

afterAll(async () => {
  elastiCache?.destroy();
  s3?.destroy();
  await moto?.stop();
});

const properties = {
  Strategy: 'SNAPSHOT_RESTORE',
  SourceReplicationGroupId: SOURCE,
  TargetEngineVersion: '8.0',
  ExportBucketName: BUCKET,
  TargetReplicationGroup: JSON.stringify({
    ReplicationGroupId: TARGET,
    ReplicationGroupDescription: 'orders on valkey',
    CacheNodeType: 'cache.r7g.large',
    NumCacheClusters: 2,
    AutomaticFailoverEnabled: true,
    MultiAZEnabled: true,
    AtRestEncryptionEnabled: true,
    TransitEncryptionEnabled: true,
    Tags: [{ Key: 'team', Value: 'orders' }],
  }),
};

async function runToCompletion(create: ReturnType<typeof event>, ctx: ReturnType<typeof testContext>): Promise<IsCompleteResponse & { calls: number }> {
  const started = await handleOnEvent(create, ctx);
  const isCompleteEvent = { ...create, ...started };
  for (let calls = 1; calls <= 10; calls++) {
    const answer = await handleIsComplete(isCompleteEvent, ctx);
    if (answer.IsComplete) {
      return { ...answer, calls };
    }
  }
  throw new Error('the migration did not complete in 10 isComplete calls');
}

test('SNAPSHOT_RESTORE runs from onEvent through isComplete to a Valkey target seeded from the exported .rdb', async () => {
  const ctx = testContext({ elastiCache, s3 });
  const create = event('Create', properties);

  const result = await runToCompletion(create, ctx);

  // snapshot (onEvent) → export → create target → available
  expect(result.calls).toBe(3);
  const data = result.Data!;
  expect(data).toMatchObject({
    Strategy: 'SNAPSHOT_RESTORE',
    TargetReplicationGroupId: TARGET,
    Engine: 'valkey',
    EngineVersion: '8.0',
    ExpectedDowntime: 'none',
  });
  expect(data.SnapshotName).toMatch(/^orders-cache-to-valkey-[0-9a-f]{8}$/);
  expect(data.ExportedObjectKeys).toBe(`${data.SnapshotName}-0001.rdb`);
  expect(data.EndpointAddress).toMatch(new RegExp(`^master\\.${TARGET}\\.`));
  expect(data.EndpointPort).toBe('6379');

  // The target: valkey, available, tagged with the migration, created from the exported object's ARN.
  const target = (await elastiCache.send(new DescribeReplicationGroupsCommand({ ReplicationGroupId: TARGET }))).ReplicationGroups![0];
  expect(target).toMatchObject({ Engine: 'valkey', Status: 'available' });
  const creates = sent.filter(call => call.command === 'CreateReplicationGroupCommand' && 'ReplicationGroupId' in call.input
    && call.input.ReplicationGroupId === TARGET);
  expect(creates).toHaveLength(1);
  expect(creates[0].input).toMatchObject({
    Engine: 'valkey',
    EngineVersion: '8.0',
    SnapshotArns: [`arn:aws:s3:::${BUCKET}/${data.SnapshotName}-0001.rdb`],
    AtRestEncryptionEnabled: true,
    NumCacheClusters: 2,
  });
  const exported = await s3.send(new GetObjectCommand({ Bucket: BUCKET, Key: `${data.SnapshotName}-0001.rdb` }));
  expect(Buffer.from(await exported.Body!.transformToByteArray())).toEqual(RDB);
  const tags = await elastiCache.send(new ListTagsForResourceCommand({ ResourceName: target.ARN }));
  expect(tags.TagList).toEqual(expect.arrayContaining([
    { Key: 'team', Value: 'orders' },
    { Key: MIGRATION_TAG_KEY, Value: expect.stringMatching(/^valkey-migration:snapshot-restore:orders-cache:/) },
  ]));

  // The source is unchanged: still redis, available; the snapshot taken of it records 7.1
  // (moto reports no engine version on replication groups or their members).
  const source = (await elastiCache.send(new DescribeReplicationGroupsCommand({ ReplicationGroupId: SOURCE }))).ReplicationGroups![0];
  expect(source).toMatchObject({ Engine: 'redis', Status: 'available' });
  const snapshot = (await elastiCache.send(new DescribeSnapshotsCommand({ SnapshotName: data.SnapshotName }))).Snapshots![0];
  expect(snapshot).toMatchObject({ ReplicationGroupId: SOURCE, Engine: 'redis', EngineVersion: '7.1', SnapshotStatus: 'available' });
  const touchedSource = sent.filter(call => /^(Modify|Delete)/.test(call.command));
  expect(touchedSource).toEqual([]);

  // One line per step, no properties in them.
  const steps = ctx.lines.map(line => line.step);
  expect(steps).toEqual(expect.arrayContaining(['preflight', 'snapshot-requested', 'export-requested', 'target-requested', 'complete']));
  expect(JSON.stringify(ctx.lines)).not.toContain('orders on valkey');
});

test('a repeated Create and a Delete leave everything in place; RetainSnapshot false removes only the snapshot', async () => {
  const ctx = testContext({ elastiCache, s3 });
  const before = sent.length;

  // Same properties again (a retried deployment): nothing new is made.
  const again = await runToCompletion(event('Create', properties), ctx);
  expect(again.calls).toBe(1);
  expect(sent.slice(before).map(call => call.command).filter(name => !/^(Describe|List)/.test(name))).toEqual([]);

  const physicalId = (await handleOnEvent(event('Create', properties), ctx)).PhysicalResourceId;
  const deleted = await handleOnEvent(event('Delete', properties, { PhysicalResourceId: physicalId }), ctx);
  expect(deleted.PhysicalResourceId).toBe(physicalId);
  expect(await handleIsComplete(event('Delete', properties, { PhysicalResourceId: physicalId }), ctx)).toEqual({ IsComplete: true });
  const snapshotName = again.Data!.SnapshotName;
  await expect(elastiCache.send(new DescribeSnapshotsCommand({ SnapshotName: snapshotName }))).resolves.toBeDefined();

  const withoutSnapshot = { ...properties, RetainSnapshot: 'false' };
  await handleOnEvent(event('Delete', withoutSnapshot, { PhysicalResourceId: physicalId }), ctx);
  await expect(elastiCache.send(new DescribeSnapshotsCommand({ SnapshotName: snapshotName }))).rejects.toThrow(/not found/);
  const groups = await elastiCache.send(new DescribeReplicationGroupsCommand({}));
  expect(groups.ReplicationGroups!.map(group => [group.ReplicationGroupId, group.Engine, group.Status]).sort()).toEqual([
    [SOURCE, 'redis', 'available'],
    [TARGET, 'valkey', 'available'],
  ]);

  // With the snapshot gone, the migration still reports complete from the target.
  const resumed = await runToCompletion(event('Create', properties), ctx);
  expect(resumed.Data).toMatchObject({ TargetReplicationGroupId: TARGET, SnapshotName: snapshotName });
});

test('the esbuild bundle is self-contained and builds its clients from the environment', async () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'migration-bundle-'));
  const saved = { ...process.env };
  const log = jest.spyOn(console, 'log').mockImplementation(() => undefined);
  try {
    const outfile = path.join(dir, 'index.js');
    // The timeout bounds a hang; how fast esbuild is is not this test's business.
    execFileSync(process.execPath, [path.join(__dirname, '..', '..', '..', 'scripts', 'bundle-handlers.js'), '--outfile', outfile], { stdio: 'pipe', timeout: 120000 });

    Object.assign(process.env, {
      AWS_ENDPOINT_URL: moto.endpoint, AWS_REGION: 'us-east-1', AWS_ACCESS_KEY_ID: 'testing', AWS_SECRET_ACCESS_KEY: 'testing',
    });
    delete process.env.AWS_PROFILE;
    await elastiCache.send(new CreateReplicationGroupCommand({
      ReplicationGroupId: 'bundle-source', ReplicationGroupDescription: 'b', Engine: 'redis', EngineVersion: '6.2',
      CacheNodeType: 'cache.t4g.small', NumCacheClusters: 1,
    }));
    // A fresh require of a file outside the repository: only Node's built-ins are there to resolve.
    const bundle = createRequire(outfile)(outfile) as { onEvent: (e: MigrationEvent) => Promise<{ PhysicalResourceId: string }> };
    const answer = await bundle.onEvent(event('Create', {
      ...properties,
      SourceReplicationGroupId: 'bundle-source',
      TargetReplicationGroup: JSON.stringify({ ReplicationGroupId: 'bundle-target', CacheNodeType: 'cache.t4g.small', NumCacheClusters: 1 }),
    }));
    expect(answer.PhysicalResourceId).toMatch(/^valkey-migration:snapshot-restore:bundle-source:/);
    const snapshots = await elastiCache.send(new DescribeSnapshotsCommand({ ReplicationGroupId: 'bundle-source' }));
    expect(snapshots.Snapshots?.map(s => s.SnapshotName)).toEqual([expect.stringMatching(/^bundle-source-to-valkey-[0-9a-f]{8}$/)]);
    expect(log.mock.calls.map(call => JSON.parse(String(call[0])).step)).toEqual(['on-event', 'preflight', 'snapshot-requested', 'started']);
  } finally {
    log.mockRestore();
    process.env = saved;
    fs.rmSync(dir, { recursive: true, force: true });
  }
});
