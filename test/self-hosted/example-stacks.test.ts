/**
 * The self-hosted example stacks: they synthesize, cfn-lint finds nothing, cdk-nag's AwsSolutions
 * pack finds nothing unacknowledged (each acknowledgement with a reason), two synths give the same
 * bytes, and each template is pinned by a snapshot — with the asset hashes (the server bundle's
 * changes with every server change) replaced by a placeholder.
 */
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { App, Validations } from 'aws-cdk-lib';
import { AwsSolutionsChecks } from 'cdk-nag';
import { buildSelfHostedExamples } from '../../bin/self-hosted-example-stacks';
import { cfnLint, formatFindings } from '../checks/cfn-lint';
import { formatNagFindings, NagFinding, synthWithNag } from '../checks/nag';

const STACKS = ['SelfHostedCache', 'SelfHostedToElastiCache'];

function synthExample(): { outdir: string; findings: NagFinding[] } {
  const outdir = fs.mkdtempSync(path.join(os.tmpdir(), 'cdk-valkey-self-hosted-example-'));
  const app = new App({ outdir, context: { '@aws-cdk/core:defaultCrossStackReferences': 'strong' } });
  buildSelfHostedExamples(app);
  Validations.of(app).addPlugins(new AwsSolutionsChecks(app));
  return { outdir, findings: synthWithNag(app, outdir) };
}

function templateFile(outdir: string, stack: string): string {
  return path.join(outdir, `${stack}.template.json`);
}

let first: { outdir: string; findings: NagFinding[] };
let second: { outdir: string; findings: NagFinding[] };

beforeAll(() => {
  first = synthExample();
  second = synthExample();
}, 300_000);

afterAll(() => {
  for (const run of [first, second]) if (run) fs.rmSync(run.outdir, { recursive: true, force: true });
});

test('writes a template for each self-hosted example stack', () => {
  for (const stack of STACKS) expect(fs.existsSync(templateFile(first.outdir, stack))).toBe(true);
});

test('cdk-nag AwsSolutions reports no unacknowledged finding', () => {
  expect(formatNagFindings(first.findings)).toBe('');
});

test('every acknowledgement carries a reason', () => {
  const acknowledged: Array<[string, string]> = [];
  for (const file of fs.readdirSync(first.outdir).filter((f) => f.endsWith('.metadata.json'))) {
    const metadata = JSON.parse(fs.readFileSync(path.join(first.outdir, file), 'utf8')) as Record<string, Array<{ type: string; data: unknown }>>;
    for (const entries of Object.values(metadata)) {
      for (const entry of entries) {
        if (entry.type !== 'aws:cdk:acknowledged-rules') continue;
        for (const [rule, reason] of Object.entries(entry.data as Record<string, string>)) acknowledged.push([rule, reason]);
      }
    }
  }
  const rules = acknowledged.map(([rule]) => rule);
  expect(rules).toEqual(expect.arrayContaining([
    'Annotation::AwsSolutions-S1',
    'Annotation::AwsSolutions-IAM4[Policy::arn:<AWS::Partition>:iam::aws:policy/AmazonSSMManagedInstanceCore]',
  ]));
  for (const [rule, reason] of acknowledged) {
    expect({ rule, reasonLength: reason.trim().length > 30 }).toEqual({ rule, reasonLength: true });
  }
});

test('cfn-lint reports no errors, warnings or informational findings', () => {
  expect(formatFindings(cfnLint(STACKS.map((s) => templateFile(first.outdir, s))))).toBe('');
});

test('synthesizing twice gives identical bytes', () => {
  for (const stack of STACKS) {
    expect(fs.readFileSync(templateFile(second.outdir, stack), 'utf8')).toBe(fs.readFileSync(templateFile(first.outdir, stack), 'utf8'));
  }
});

test('ElastiCache is seeded from the self-hosted cache\'s latest snapshot, which its bucket lets ElastiCache read', () => {
  const target = fs.readFileSync(templateFile(first.outdir, 'SelfHostedToElastiCache'), 'utf8');
  expect(target).toContain('/snapshots/sessions/latest.rdb');
  const source = fs.readFileSync(templateFile(first.outdir, 'SelfHostedCache'), 'utf8');
  expect(source).toContain('elasticache-snapshot.amazonaws.com');
});

test.each(STACKS)('%s template matches its snapshot (asset hashes masked)', (stack) => {
  const text = fs.readFileSync(templateFile(first.outdir, stack), 'utf8').replace(/[0-9a-f]{64}/g, '<asset-hash>');
  expect(JSON.parse(text)).toMatchSnapshot();
});
