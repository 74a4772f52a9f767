/**
 * The package as an organisation installs it: `npm pack` yields compiled JavaScript and type
 * declarations only, and a scratch CDK app OUTSIDE this repository installs the tarball, type-checks
 * against its declarations and synthesizes a stack that imports the construct from 'cdk-valkey'.
 */
import { execFileSync } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';

const ROOT = path.resolve(__dirname, '..', '..');
const TSC = path.join(ROOT, 'node_modules', 'typescript', 'bin', 'tsc');

interface PackResult {
  filename: string;
  files: Array<{ path: string }>;
}

/**
 * The README's TypeScript blocks: the one that is a whole program (it calls app.synth()), and that
 * program with its engine line replaced by the README's one-line Redis OSS variant.
 */
function readmeExamples(): { program: string; redisProgram: string; others: string[] } {
  const text = fs.readFileSync(path.join(ROOT, 'README.md'), 'utf8');
  const blocks = [...text.matchAll(/```ts\n([\s\S]*?)```/g)].map((m) => m[1]);
  const programs = blocks.filter((b) => b.includes('app.synth()'));
  const program = programs[0];
  const engineLine = blocks.find((b) => b.trim().startsWith('engine:') && b.trim().split('\n').length === 1);
  if (!program || !engineLine) throw new Error('README.md lost its usage example or its one-line engine switch');
  const redisProgram = program
    .replace(/^\s*engine: CacheEngine\.valkey\(.*\),$/m, `  ${engineLine.trim()}`)
    .replace("import { CacheEngine,", 'import { CacheEngine, RedisOssEngineVersion,');
  if (redisProgram === program) throw new Error("README.md's example has no engine line to switch");
  return { program, redisProgram, others: programs.slice(1) };
}

/** The self-hosted construct's assets: the server bundle, the boot script and the systemd units. */
const SELF_HOSTED_FILES = [
  'lib/self-hosted/server-bundle/server.js',
  'lib/self-hosted/instance-files/cdk-valkey.sh',
  'lib/self-hosted/instance-files/cdk-valkey.service',
  'lib/self-hosted/instance-files/cdk-valkey-snapshot.service',
];

let scratch: string;
let packed: PackResult;

function run(cmd: string, args: string[], cwd: string, env: Record<string, string> = {}): string {
  try {
    return execFileSync(cmd, args, {
      cwd,
      env: { ...process.env, ...env },
      encoding: 'utf8',
      stdio: ['ignore', 'pipe', 'pipe'],
      maxBuffer: 64 * 1024 * 1024,
    });
  } catch (err) {
    const e = err as { stdout?: string; stderr?: string; message: string };
    throw new Error(`${cmd} ${args.join(' ')} failed in ${cwd}:\n${e.stdout ?? ''}${e.stderr ?? ''}`);
  }
}

beforeAll(() => {
  scratch = fs.mkdtempSync(path.join(os.tmpdir(), 'cdk-valkey-consumer-'));
  // `npm test` builds dist/ before jest starts; building again here would rewrite files that other
  // test workers are executing, so pack what is built (and build only when nothing is).
  if (!fs.existsSync(path.join(ROOT, 'dist', 'lib', 'index.js'))) run('npm', ['run', 'build'], ROOT);
  const out = run('npm', ['pack', '--json', '--ignore-scripts', '--pack-destination', scratch], ROOT);
  packed = (JSON.parse(out) as PackResult[])[0];
}, 120_000);

afterAll(() => {
  if (scratch) fs.rmSync(scratch, { recursive: true, force: true });
});

test('the tarball holds compiled JavaScript, declarations and the README, and nothing else', () => {
  const files = packed.files.map((f) => f.path).sort();
  expect(files).toEqual(
    expect.arrayContaining([
      'package.json',
      'README.md',
      'dist/lib/index.js',
      'dist/lib/index.d.ts',
      'lib/migration/handler-bundle/index.js',
      ...SELF_HOSTED_FILES,
    ]),
  );
  const unexpected = files.filter(
    (f) =>
      !(f === 'package.json' || f === 'README.md' || f === 'LICENSE') &&
      !(f.startsWith('dist/') && (f.endsWith('.js') || f.endsWith('.d.ts'))) &&
      f !== 'lib/migration/handler-bundle/index.js' &&
      !SELF_HOSTED_FILES.includes(f),
  );
  expect(unexpected).toEqual([]);
  expect(files.some((f) => f.startsWith('test/') || f.startsWith('dist/test/') || (f.endsWith('.ts') && !f.endsWith('.d.ts')))).toBe(false);
});

test('a CDK app outside the repository installs the tarball and synthesizes a cache from it', () => {
  const tarball = path.join(scratch, packed.filename);
  const rootPkg = JSON.parse(fs.readFileSync(path.join(ROOT, 'package.json'), 'utf8')) as {
    devDependencies: Record<string, string>;
  };
  const app = path.join(scratch, 'app');
  fs.mkdirSync(app);
  fs.writeFileSync(
    path.join(app, 'package.json'),
    JSON.stringify(
      {
        name: 'consumer-app',
        private: true,
        dependencies: {
          'cdk-valkey': `file:${tarball}`,
          'aws-cdk-lib': rootPkg.devDependencies['aws-cdk-lib'],
          constructs: rootPkg.devDependencies.constructs,
        },
      },
      null,
      2,
    ),
  );
  fs.writeFileSync(
    path.join(app, 'tsconfig.json'),
    JSON.stringify({
      compilerOptions: { target: 'ES2022', lib: ['es2022', 'esnext.disposable'], module: 'commonjs', strict: true, esModuleInterop: true, skipLibCheck: false, types: [] },
      files: ['app.ts', 'readme-valkey.ts', 'readme-redis.ts'],
    }),
  );
  fs.writeFileSync(
    path.join(app, 'app.ts'),
    [
      "import { App, Stack } from 'aws-cdk-lib';",
      "import * as ec2 from 'aws-cdk-lib/aws-ec2';",
      "import { CacheEngine, ReplicationGroup, Topology, ValkeyEngineVersion } from 'cdk-valkey';",
      '',
      "const app = new App({ outdir: 'cdk.out' });",
      "const stack = new Stack(app, 'Consumer');",
      "const vpc = new ec2.Vpc(stack, 'Vpc', { maxAzs: 2, natGateways: 0 });",
      "const cache = new ReplicationGroup(stack, 'Cache', {",
      '  engine: CacheEngine.valkey({ version: ValkeyEngineVersion.VER_8_2 }),',
      '  vpc,',
      '  topology: Topology.sharded({ shards: 2, replicasPerShard: 1 }),',
      '});',
      "const port: number = cache.port;",
      'void port;',
      'app.synth();',
      '',
    ].join('\n'),
  );

  // The README's examples, as a user would paste them: the full program, and the same program with
  // the one line that switches the engine to Redis OSS.
  const readme = readmeExamples();
  fs.writeFileSync(path.join(app, 'readme-valkey.ts'), readme.program);
  fs.writeFileSync(path.join(app, 'readme-redis.ts'), readme.redisProgram);
  const otherPrograms = readme.others.map((source, i) => {
    const file = `readme-example-${i + 2}.ts`;
    fs.writeFileSync(path.join(app, file), source);
    return file;
  });
  const tsconfigFile = path.join(app, 'tsconfig.json');
  const tsconfig = JSON.parse(fs.readFileSync(tsconfigFile, 'utf8')) as { files: string[] };
  tsconfig.files.push(...otherPrograms);
  fs.writeFileSync(tsconfigFile, JSON.stringify(tsconfig));

  run('npm', ['install', '--no-audit', '--no-fund', '--prefer-offline', '--loglevel=error'], app);
  // The declarations must be enough for a strict TypeScript consumer (skipLibCheck off for ours).
  run(process.execPath, [TSC, '-p', '.'], app);
  run(process.execPath, ['app.js'], app);
  for (const [file, engine] of [['readme-valkey.js', 'valkey'], ['readme-redis.js', 'redis']] as const) {
    const outdir = path.join(app, `out-${engine}`);
    run(process.execPath, [file], app, { CDK_OUTDIR: outdir });
    const readmeTemplate = JSON.parse(fs.readFileSync(path.join(outdir, 'Cache.template.json'), 'utf8')) as {
      Resources: Record<string, { Type: string; Properties: Record<string, unknown> }>;
    };
    const readmeGroups = Object.values(readmeTemplate.Resources).filter((r) => r.Type === 'AWS::ElastiCache::ReplicationGroup');
    expect(readmeGroups.map((g) => g.Properties.Engine)).toEqual([engine]);
  }
  // Every other whole program in the README runs and writes at least one template.
  for (const file of otherPrograms) {
    const outdir = path.join(app, `out-${path.basename(file, '.ts')}`);
    run(process.execPath, [file.replace(/\.ts$/, '.js')], app, { CDK_OUTDIR: outdir });
    expect(fs.readdirSync(outdir).filter((f) => f.endsWith('.template.json')).length).toBeGreaterThan(0);
  }
  expect(otherPrograms.length).toBeGreaterThan(0);

  const template = JSON.parse(fs.readFileSync(path.join(app, 'cdk.out', 'Consumer.template.json'), 'utf8')) as {
    Resources: Record<string, { Type: string; Properties: Record<string, unknown> }>;
  };
  const groups = Object.values(template.Resources).filter((r) => r.Type === 'AWS::ElastiCache::ReplicationGroup');
  expect(groups).toHaveLength(1);
  expect(groups[0].Properties).toMatchObject({ Engine: 'valkey', EngineVersion: '8.2', NumNodeGroups: 2, ReplicasPerNodeGroup: 1 });
  // Nothing in the installed package reaches back into this repository.
  const installed = fs.realpathSync(path.join(app, 'node_modules', 'cdk-valkey'));
  expect(installed.startsWith(ROOT)).toBe(false);
}, 300_000);
