/**
 * The instance's script, run for real: write-config, restore, serve and snapshot in scratch
 * folders, with the bundled server and the aws CLI pointed at moto_server (Secrets Manager and S3).
 * Proves that the password from the secret is enforced, that a snapshot lands in the bucket under
 * the documented layout, and that a fresh start on an empty data dir restores it.
 */
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { CreateBucketCommand, GetObjectCommand, ListObjectsV2Command, PutObjectCommand, S3Client } from '@aws-sdk/client-s3';
import { CreateSecretCommand, SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import { instanceFile, serverBundleFile } from '../../lib/self-hosted/bundle-paths';
import { MotoServer, startMotoServer } from '../migration/moto-server';
import { freePort } from '../support/ports';
import { redisCli, RunningProcess, runToCompletion, spawnProcess, waitForPort } from './processes';

const SCRIPT = instanceFile('cdk-valkey.sh');
const REGION = 'us-east-1';
const BUCKET = 'cdk-valkey-boot-steps';
const NAME = 'sessions';
const PREFIX = `snapshots/${NAME}/`;
const PASSWORD = 'Abc-123!&#$^<>xyz-0123456789';

// Each test runs the aws CLI several times and starts servers; on a loaded machine that takes
// minutes, so the limit is generous (it only bounds a hang, it measures nothing).
jest.setTimeout(600_000);

let moto: MotoServer;
let s3: S3Client;
let secrets: SecretsManagerClient;
let secretArn: string;
let jsonSecretArn: string;
const scratches: string[] = [];
const running: RunningProcess[] = [];

interface Instance {
  readonly root: string;
  /** Changes only if serve() found it taken (see there). */
  port: number;
  readonly env: NodeJS.ProcessEnv;
}

/** A scratch "instance": its own data dir and config dir, as a replaced instance would have. */
async function newInstance(settings: Record<string, string> = {}): Promise<Instance> {
  const root = fs.mkdtempSync(path.join(os.tmpdir(), 'cdk-valkey-instance-'));
  scratches.push(root);
  fs.writeFileSync(path.join(root, 'meminfo'), 'MemTotal:        1048576 kB\nMemFree:          524288 kB\n');
  fs.writeFileSync(path.join(root, 'parameters.conf'), 'maxmemory-policy allkeys-lru\ntimeout 300\n');
  const port = await freePort();
  const env: NodeJS.ProcessEnv = {
    PATH: process.env.PATH ?? '',
    HOME: root,
    AWS_ACCESS_KEY_ID: 'testing',
    AWS_SECRET_ACCESS_KEY: 'testing',
    AWS_ENDPOINT_URL: moto.endpoint,
    CDK_VALKEY_ENV_FILE: path.join(root, 'instance.env'),
    CDK_VALKEY_DATA_DIR: path.join(root, 'data'),
    CDK_VALKEY_CONF_DIR: path.join(root, 'conf'),
    CDK_VALKEY_PARAMETERS_FILE: path.join(root, 'parameters.conf'),
    CDK_VALKEY_SERVER_JS: serverBundleFile(),
    CDK_VALKEY_NODE: process.execPath,
    CDK_VALKEY_MEMINFO: path.join(root, 'meminfo'),
    CDK_VALKEY_BIND: '127.0.0.1',
    CDK_VALKEY_NAME: NAME,
    CDK_VALKEY_PORT: String(port),
    CDK_VALKEY_REGION: REGION,
    CDK_VALKEY_SECRET_ARN: secretArn,
    CDK_VALKEY_BUCKET: BUCKET,
    CDK_VALKEY_SNAPSHOT_PREFIX: PREFIX,
    CDK_VALKEY_HISTORY: 'yes',
    ...settings,
  };
  return { root, port, env };
}

function step(instance: Instance, name: string): Promise<{ stdout: string; stderr: string }> {
  return runToCompletion('bash', [SCRIPT, name], { env: instance.env });
}

/**
 * `cdk-valkey.sh serve` with the config file as stdin, as systemd's StandardInput=file: gives it.
 * The instance's port was free when picked, but the aws CLI runs of the steps before take seconds,
 * and a connection made meanwhile anywhere on the machine can get that port: if the server could
 * not bind it, the config's port line moves to a port free now and the server starts again.
 */
async function serve(instance: Instance): Promise<RunningProcess> {
  const conf = path.join(instance.root, 'conf', 'server.conf');
  for (let attempt = 1; ; attempt++) {
    const fd = fs.openSync(conf, 'r');
    try {
      const proc = spawnProcess('bash', [SCRIPT, 'serve'], { env: instance.env, stdinFd: fd });
      running.push(proc);
      try {
        await waitForPort(proc, instance.port, 180_000);
        return proc;
      } catch (err) {
        if (attempt === 3 || !/address already in use/i.test(proc.output())) throw err;
      }
    } finally {
      fs.closeSync(fd);
    }
    const port = await freePort();
    fs.writeFileSync(conf, fs.readFileSync(conf, 'utf8').replace(new RegExp(`^port ${instance.port}$`, 'm'), `port ${port}`));
    instance.port = port;
  }
}

async function keysIn(prefix: string): Promise<string[]> {
  const listed = await s3.send(new ListObjectsV2Command({ Bucket: BUCKET, Prefix: prefix }));
  return (listed.Contents ?? []).map((o) => o.Key ?? '').sort();
}

beforeAll(async () => {
  moto = await startMotoServer();
  const config = { region: REGION, endpoint: moto.endpoint, credentials: { accessKeyId: 'testing', secretAccessKey: 'testing' } };
  s3 = new S3Client({ ...config, forcePathStyle: true });
  secrets = new SecretsManagerClient(config);
  await s3.send(new CreateBucketCommand({ Bucket: BUCKET }));
  secretArn = (await secrets.send(new CreateSecretCommand({ Name: 'cache-password', SecretString: PASSWORD }))).ARN ?? '';
  jsonSecretArn = (await secrets.send(new CreateSecretCommand({
    Name: 'cache-password-json',
    SecretString: JSON.stringify({ username: 'default', password: PASSWORD }),
  }))).ARN ?? '';
}, 180_000);

afterAll(async () => {
  for (const proc of running) await proc.stop();
  s3?.destroy();
  secrets?.destroy();
  await moto?.stop();
  for (const dir of scratches) fs.rmSync(dir, { recursive: true, force: true });
});

test('write-config puts the secret\'s password, the port, the data dir, maxmemory and the parameters in a root-only file', async () => {
  const instance = await newInstance();
  await step(instance, 'write-config');
  const file = path.join(instance.root, 'conf', 'server.conf');
  expect(fs.statSync(file).mode & 0o777).toBe(0o600);
  const lines = fs.readFileSync(file, 'utf8').split('\n').filter((l) => l !== '' && !l.startsWith('#'));
  expect(lines).toEqual([
    `port ${instance.port}`,
    'bind 127.0.0.1',
    `dir ${path.join(instance.root, 'data')}`,
    'dbfilename dump.rdb',
    // 50% of the 1 GiB MemTotal.
    `maxmemory ${512 * 1024 * 1024}`,
    `requirepass "${PASSWORD}"`,
    'maxmemory-policy allkeys-lru',
    'timeout 300',
  ]);
});

test('the password from the secret is enforced; a snapshot lands in the bucket; a fresh instance restores it', async () => {
  const first = await newInstance();
  await step(first, 'write-config');
  const restoredNothing = await step(first, 'restore');
  expect(restoredNothing.stderr).toContain(`no snapshot in s3://${BUCKET}/${PREFIX}latest.rdb and no seed: starting empty`);
  const server = await serve(first);

  expect(await redisCli(first.port, ['PING'])).toBe('NOAUTH Authentication required.');
  expect(await redisCli(first.port, ['AUTH', 'not-the-password-at-all'])).toBe('WRONGPASS invalid username-password pair or user is disabled.');
  expect(await redisCli(first.port, ['PING'], PASSWORD)).toBe('PONG');
  expect(await redisCli(first.port, ['CONFIG', 'GET', 'maxmemory-policy'], PASSWORD)).toBe('maxmemory-policy\nallkeys-lru');
  for (let i = 0; i < 50; i++) await redisCli(first.port, ['SET', `session:${i}`, `user-${i}`], PASSWORD);
  await redisCli(first.port, ['RPUSH', 'queue', 'a', 'b', 'c'], PASSWORD);

  const snapshot = await step(first, 'snapshot');
  expect(snapshot.stderr).toContain(`to s3://${BUCKET}/${PREFIX}latest.rdb`);
  const keys = await keysIn(PREFIX);
  expect(keys[keys.length - 1]).toBe(`${PREFIX}latest.rdb`);
  expect(keys.filter((k) => /^snapshots\/sessions\/history\/\d{8}T\d{6}Z\.rdb$/.test(k))).toHaveLength(1);
  const object = await s3.send(new GetObjectCommand({ Bucket: BUCKET, Key: `${PREFIX}latest.rdb` }));
  const bytes = Buffer.from(await object.Body!.transformToByteArray());
  expect(bytes.subarray(0, 5).toString('latin1')).toBe('REDIS');
  expect(object.ServerSideEncryption).toBe('AES256');
  await server.stop();

  // A replaced instance: new, empty data and config dirs.
  const second = await newInstance();
  await step(second, 'write-config');
  const restored = await step(second, 'restore');
  expect(restored.stderr).toContain(`from s3://${BUCKET}/${PREFIX}latest.rdb`);
  await serve(second);
  expect(await redisCli(second.port, ['DBSIZE'], PASSWORD)).toBe('51');
  expect(await redisCli(second.port, ['GET', 'session:42'], PASSWORD)).toBe('user-42');
  expect(await redisCli(second.port, ['LRANGE', 'queue', '0', '-1'], PASSWORD)).toBe('a\nb\nc');
  expect(await redisCli(second.port, ['GET', 'session:1'])).toBe('NOAUTH Authentication required.');
});

test('a later snapshot waits for BGSAVE to finish: the keys written since are in the uploaded file', async () => {
  const instance = await newInstance({ CDK_VALKEY_SNAPSHOT_PREFIX: 'snapshots/later/', CDK_VALKEY_HISTORY: 'no' });
  await step(instance, 'write-config');
  await step(instance, 'restore');
  const server = await serve(instance);
  await redisCli(instance.port, ['SET', 'one', '1'], PASSWORD);
  await step(instance, 'snapshot');
  await redisCli(instance.port, ['SET', 'two', '2'], PASSWORD);
  await step(instance, 'snapshot');
  expect(await keysIn('snapshots/later/')).toEqual(['snapshots/later/latest.rdb']);
  await server.stop();

  const fresh = await newInstance({ CDK_VALKEY_SNAPSHOT_PREFIX: 'snapshots/later/' });
  await step(fresh, 'write-config');
  await step(fresh, 'restore');
  await serve(fresh);
  expect(await redisCli(fresh.port, ['MGET', 'one', 'two'], PASSWORD)).toBe('1\n2');
});

test('without a snapshot of its own, restore loads the seed .rdb (an ElastiCache export)', async () => {
  // The seed is a snapshot written by one of our servers; an ElastiCache export is the same format.
  const source = await newInstance({ CDK_VALKEY_SNAPSHOT_PREFIX: 'exports/source/', CDK_VALKEY_HISTORY: 'no' });
  await step(source, 'write-config');
  const server = await serve(source);
  await redisCli(source.port, ['SET', 'seeded', 'yes'], PASSWORD);
  await step(source, 'snapshot');
  await server.stop();
  const seed = await s3.send(new GetObjectCommand({ Bucket: BUCKET, Key: 'exports/source/latest.rdb' }));
  await s3.send(new PutObjectCommand({ Bucket: BUCKET, Key: 'exports/clickstream-0001.rdb', Body: Buffer.from(await seed.Body!.transformToByteArray()) }));

  const instance = await newInstance({
    CDK_VALKEY_SNAPSHOT_PREFIX: 'snapshots/seeded/',
    CDK_VALKEY_SEED_OBJECT: `s3://${BUCKET}/exports/clickstream-0001.rdb`,
  });
  await step(instance, 'write-config');
  expect((await step(instance, 'restore')).stderr).toContain(`from s3://${BUCKET}/exports/clickstream-0001.rdb`);
  await serve(instance);
  expect(await redisCli(instance.port, ['GET', 'seeded'], PASSWORD)).toBe('yes');
});

test('a password field of a JSON secret is read with jsonField', async () => {
  const instance = await newInstance({ CDK_VALKEY_SECRET_ARN: jsonSecretArn, CDK_VALKEY_SECRET_JSON_FIELD: 'password' });
  await step(instance, 'write-config');
  expect(fs.readFileSync(path.join(instance.root, 'conf', 'server.conf'), 'utf8')).toContain(`requirepass "${PASSWORD}"\n`);
});

test('a secret that is not a valid AUTH token stops write-config with a clear error and writes no config', async () => {
  const arn = (await secrets.send(new CreateSecretCommand({ Name: 'too-short', SecretString: 'short pw' }))).ARN ?? '';
  const instance = await newInstance({ CDK_VALKEY_SECRET_ARN: arn });
  await expect(step(instance, 'write-config')).rejects.toThrow(
    `error: the password in secret ${arn} must be 16-128 letters, digits and ! & # $ ^ < > - (ElastiCache's AUTH token rules); it is not`,
  );
  expect(fs.existsSync(path.join(instance.root, 'conf', 'server.conf'))).toBe(false);
});

test('a missing JSON field stops write-config with its name', async () => {
  const instance = await newInstance({ CDK_VALKEY_SECRET_ARN: jsonSecretArn, CDK_VALKEY_SECRET_JSON_FIELD: 'token' });
  await expect(step(instance, 'write-config')).rejects.toThrow(`error: secret ${jsonSecretArn} has no string field 'token'`);
});

test('CacheAuth.none(): no password, protected mode off so that clients beyond loopback are served', async () => {
  const instance = await newInstance({ CDK_VALKEY_SECRET_ARN: '' });
  await step(instance, 'write-config');
  const text = fs.readFileSync(path.join(instance.root, 'conf', 'server.conf'), 'utf8');
  expect(text).not.toContain('requirepass');
  expect(text).toContain('protected-mode no\n');
  await serve(instance);
  expect(await redisCli(instance.port, ['PING'])).toBe('PONG');
});

test('an unknown step prints the usage and exits 2', async () => {
  const instance = await newInstance();
  await expect(step(instance, 'frobnicate')).rejects.toThrow(/exited 2:\n.*usage: .* boot\|install\|attach-endpoint/s);
});

test('the settings the construct writes in user data are the ones the script reads: a whole cycle from them', async () => {
  // Synthesize a SelfHostedCache, take the instance.env and parameters.conf its user data writes,
  // put moto's secret ARN and bucket where CloudFormation would put the real ones, and run the
  // script on exactly those files.
  const { App, Stack } = await import('aws-cdk-lib');
  const ec2 = await import('aws-cdk-lib/aws-ec2');
  const { Template } = await import('aws-cdk-lib/assertions');
  const { CacheEngine, SelfHostedCache, ValkeyEngineVersion } = await import('../../lib');
  const app = new App();
  const stack = new Stack(app, 'Stack', { env: { account: '123456789012', region: REGION } });
  const vpc = new ec2.Vpc(stack, 'Vpc', { maxAzs: 1, natGateways: 1 });
  const cache = new SelfHostedCache(stack, 'Cache', {
    engine: CacheEngine.valkey({ version: ValkeyEngineVersion.VER_8_2 }),
    vpc,
    replicationGroupId: 'from-user-data',
    parameters: { 'maxmemory-policy': 'volatile-lru', maxmemory: '64mb' },
  });
  const launchTemplate = Object.values(Template.fromStack(stack).findResources('AWS::EC2::LaunchTemplate'))[0] as {
    Properties: { LaunchTemplateData: { UserData: { 'Fn::Base64': { 'Fn::Join': [string, unknown[]] } } } };
  };
  const resolve = (part: unknown): string => {
    if (typeof part === 'string') return part;
    const ref = (part as { Ref?: string }).Ref ?? '';
    if (ref === stack.getLogicalId(cache.secret!.node.defaultChild as never)) return secretArn;
    if (ref.startsWith('CacheSnapshots')) return BUCKET;
    return `resolved-${ref}`;
  };
  const userData = launchTemplate.Properties.LaunchTemplateData.UserData['Fn::Base64']['Fn::Join'][1].map(resolve).join('');
  const heredoc = (marker: string): string => {
    const match = new RegExp(`<<'${marker}'\\n([\\s\\S]*?)\\n${marker}\\n`).exec(userData);
    if (!match) throw new Error(`user data has no ${marker} heredoc:\n${userData}`);
    return `${match[1]}\n`;
  };

  const instance = await newInstance();
  // Only paths (and the port, as the instance's own port is not free here) come from the test.
  const pathsOnly: NodeJS.ProcessEnv = {};
  for (const [name, value] of Object.entries(instance.env)) {
    if (!name.startsWith('CDK_VALKEY_') || ['CDK_VALKEY_ENV_FILE', 'CDK_VALKEY_DATA_DIR', 'CDK_VALKEY_CONF_DIR', 'CDK_VALKEY_PARAMETERS_FILE',
      'CDK_VALKEY_SERVER_JS', 'CDK_VALKEY_NODE', 'CDK_VALKEY_MEMINFO', 'CDK_VALKEY_BIND'].includes(name)) {
      pathsOnly[name] = value;
    }
  }
  const env = heredoc('CDK_VALKEY_ENV').replace(/^CDK_VALKEY_PORT='6379'$/m, `CDK_VALKEY_PORT='${instance.port}'`);
  fs.writeFileSync(path.join(instance.root, 'instance.env'), env);
  fs.writeFileSync(path.join(instance.root, 'parameters.conf'), heredoc('CDK_VALKEY_PARAMETERS'));
  const fromUserData: Instance = { ...instance, env: pathsOnly };

  await step(fromUserData, 'write-config');
  await step(fromUserData, 'restore');
  const server = await serve(fromUserData);
  expect(await redisCli(instance.port, ['CONFIG', 'GET', 'maxmemory'], PASSWORD)).toBe(`maxmemory\n${64 * 1024 * 1024}`);
  expect(await redisCli(instance.port, ['CONFIG', 'GET', 'maxmemory-policy'], PASSWORD)).toBe('maxmemory-policy\nvolatile-lru');
  await redisCli(instance.port, ['SET', 'written', 'through user data settings'], PASSWORD);
  await step(fromUserData, 'snapshot');
  await server.stop();
  expect(await keysIn(`snapshots/from-user-data/`)).toEqual([
    expect.stringMatching(/^snapshots\/from-user-data\/history\/\d{8}T\d{6}Z\.rdb$/),
    'snapshots/from-user-data/latest.rdb',
  ]);
  expect(cache.latestSnapshotKey).toBe('snapshots/from-user-data/latest.rdb');
});
