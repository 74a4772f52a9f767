import { App, Stack } from 'aws-cdk-lib';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import { Template } from 'aws-cdk-lib/assertions';

export const ACCOUNT = '123456789012';
export const REGION = 'us-east-1';

/** `arn:<AWS::Partition>:elasticache:us-east-1:123456789012:<resource>:<name>`, as {@link joined} writes it. */
export function ecArn(resource: string, name: string): string {
  return `arn:<AWS::Partition>:elasticache:${REGION}:${ACCOUNT}:${resource}:${name}`;
}

/** A stack with a fixed environment (literal ARNs) and a VPC with isolated subnets. */
export function migrationStack(): { app: App; stack: Stack; vpc: ec2.Vpc } {
  const app = new App();
  const stack = new Stack(app, 'Stack', { env: { account: ACCOUNT, region: REGION } });
  const vpc = new ec2.Vpc(stack, 'Vpc', {
    maxAzs: 2,
    natGateways: 0,
    subnetConfiguration: [{ name: 'cache', subnetType: ec2.SubnetType.PRIVATE_ISOLATED }],
  });
  return { app, stack, vpc };
}

interface Statement {
  readonly Action: string | string[];
  readonly Resource: unknown;
  readonly Effect: string;
  readonly Condition?: unknown;
}

/**
 * Statements of the role policy whose logical id starts with `prefix`, as `{ action: resources }`
 * with every resource flattened by {@link joined}, without the log statements.
 */
export function statementsOf(template: Template, prefix: string): Record<string, unknown> {
  const policies = template.findResources('AWS::IAM::Policy');
  const id = Object.keys(policies).find((k) => k.startsWith(prefix));
  if (id === undefined) {
    throw new Error(`no policy ${prefix}… among ${Object.keys(policies).join(', ')}`);
  }
  const statements = (policies[id].Properties as { PolicyDocument: { Statement: Statement[] } }).PolicyDocument.Statement;
  const out: Record<string, unknown> = {};
  for (const statement of statements) {
    const action = Array.isArray(statement.Action) ? statement.Action.join(',') : statement.Action;
    if (action.startsWith('logs:')) continue;
    if (out[action] !== undefined) throw new Error(`two statements for ${action}`);
    const resource = Array.isArray(statement.Resource) ? statement.Resource.map(joined) : joined(statement.Resource);
    out[action] = statement.Condition === undefined ? resource : { Resource: resource, Condition: statement.Condition };
  }
  return out;
}

/** The single custom resource's properties. */
export function migrationProperties(template: Template): Record<string, unknown> {
  const resources = Object.values(template.findResources('Custom::ValkeyMigration'));
  if (resources.length !== 1) throw new Error(`expected one migration, found ${resources.length}`);
  return resources[0].Properties as Record<string, unknown>;
}

/** `{ Fn::Join: ['', parts] }` → one string, references written `<LogicalId>` / `<LogicalId.Attr>`. */
export function joined(value: unknown): string {
  if (typeof value === 'string') return value;
  const record = value as Record<string, unknown>;
  if (record['Fn::Join'] !== undefined) {
    const [delimiter, parts] = record['Fn::Join'] as [string, unknown[]];
    return parts.map(joined).join(delimiter);
  }
  if (record.Ref !== undefined) return `<${String(record.Ref)}>`;
  if (record['Fn::GetAtt'] !== undefined) {
    const [id, attr] = record['Fn::GetAtt'] as [string, string];
    return `<${id}.${attr}>`;
  }
  return JSON.stringify(value);
}
