/**
 * The example app as users get it: every stack synthesizes, cfn-lint finds nothing, cdk-nag's
 * AwsSolutions pack finds nothing unacknowledged, the bytes are the same on every synth, and each
 * template is pinned by a snapshot.
 */
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { App } from 'aws-cdk-lib';
import { buildExampleApp } from '../../bin/example-stacks';
import { cfnLint, formatFindings, templatesIn } from '../checks/cfn-lint';
import { formatNagFindings, NagFinding, synthWithNag } from '../checks/nag';

const EXPECTED_STACKS = ['CacheNetwork', 'MigrateBySnapshot', 'MigrateInPlace', 'RedisOssCache', 'ValkeyCache', 'ValkeyClusterCache'];

function synthExample(): { outdir: string; findings: NagFinding[] } {
  const outdir = fs.mkdtempSync(path.join(os.tmpdir(), 'cdk-valkey-example-'));
  const app = new App({ outdir });
  buildExampleApp(app);
  return { outdir, findings: synthWithNag(app, outdir) };
}

let first: { outdir: string; findings: NagFinding[] };
let second: { outdir: string; findings: NagFinding[] };

beforeAll(() => {
  first = synthExample();
  second = synthExample();
});

afterAll(() => {
  for (const run of [first, second]) if (run) fs.rmSync(run.outdir, { recursive: true, force: true });
});

test('writes a template for every example stack', () => {
  expect(templatesIn(first.outdir).map((f) => path.basename(f, '.template.json'))).toEqual(EXPECTED_STACKS);
});

test('cdk-nag AwsSolutions reports no unacknowledged finding', () => {
  expect(formatNagFindings(first.findings)).toBe('');
});

test('every acknowledgement carries a reason', () => {
  // aws-cdk-lib records Validations.of(x).acknowledge() in each stack's metadata file as
  // { "<plugin>::<rule>": "<reason>" } under the type aws:cdk:acknowledged-rules.
  const acknowledged: Array<[string, string]> = [];
  for (const file of fs.readdirSync(first.outdir).filter((f) => f.endsWith('.metadata.json'))) {
    const metadata = JSON.parse(fs.readFileSync(path.join(first.outdir, file), 'utf8')) as Record<
      string,
      Array<{ type: string; data: unknown }>
    >;
    for (const entries of Object.values(metadata)) {
      for (const entry of entries) {
        if (entry.type !== 'aws:cdk:acknowledged-rules') continue;
        for (const [rule, reason] of Object.entries(entry.data as Record<string, string>)) acknowledged.push([rule, reason]);
      }
    }
  }
  const nagRules = acknowledged.filter(([rule]) => rule.includes('AwsSolutions-'));
  expect(nagRules.map(([rule]) => rule)).toEqual(expect.arrayContaining(['Annotation::AwsSolutions-AEC5', 'Annotation::AwsSolutions-SMG4']));
  for (const [rule, reason] of acknowledged) {
    expect({ rule, reasonLength: reason.trim().length > 30 }).toEqual({ rule, reasonLength: true });
  }
});

test('cfn-lint reports no errors, warnings or informational findings', () => {
  expect(formatFindings(cfnLint(templatesIn(first.outdir)))).toBe('');
});

test('synthesizing twice gives identical bytes', () => {
  for (const file of templatesIn(first.outdir)) {
    const again = path.join(second.outdir, path.basename(file));
    expect(fs.readFileSync(again, 'utf8')).toBe(fs.readFileSync(file, 'utf8'));
  }
});

test.each(EXPECTED_STACKS)('%s template matches its snapshot', (stack) => {
  const template = JSON.parse(fs.readFileSync(path.join(first.outdir, `${stack}.template.json`), 'utf8')) as unknown;
  expect(template).toMatchSnapshot();
});
