import { CfnResource, Lazy, Stack, Validations } from 'aws-cdk-lib';
import { IConstruct } from 'constructs';

/**
 * cdk-nag's id of an AwsSolutions-IAM5 finding for one resource of a statement:
 * `AwsSolutions-IAM5[Resource::<flattened resource>]`, flattened the way cdk-nag 3 does it
 * (`{Ref: X}` → `<X>`, `{Fn::GetAtt: [X, Arn]}` → `<X.Arn>`, Fn::Join concatenated).
 */
export function wildcardFindingId(scope: IConstruct, resource: string): string {
  return `AwsSolutions-IAM5[Resource::${flatten(Stack.of(scope).resolve(resource))}]`;
}

/** Acknowledges exactly the IAM5 finding for `resource` on `scope` and below, with `reason`. */
export function acknowledgeWildcard(scope: IConstruct, resource: string, reason: string): void {
  Validations.of(scope).acknowledge({ id: wildcardFindingId(scope, resource), reason });
}

function flatten(node: unknown): string {
  if (node === undefined) {
    return '';
  }
  if (typeof node === 'string') {
    return node.replace(/\$\{/g, '<').replace(/\}/g, '>');
  }
  if (typeof node === 'object' && node !== null) {
    const record = node as Record<string, unknown>;
    const join = record['Fn::Join'];
    if (Array.isArray(join)) {
      const [delimiter, items] = join as [string, unknown[]];
      return items.map(flatten).join(delimiter);
    }
    if (record['Fn::Sub'] !== undefined) {
      return flatten(record['Fn::Sub']);
    }
    const getAtt = record['Fn::GetAtt'];
    if (Array.isArray(getAtt)) {
      return `<${flatten(getAtt[0])}.${flatten(getAtt[1])}>`;
    }
    if (record['Fn::ImportValue'] !== undefined) {
      return flatten(record['Fn::ImportValue']);
    }
    if (record.Ref !== undefined) {
      return `<${flatten(record.Ref)}>`;
    }
  }
  return JSON.stringify(node);
}

/**
 * aws-cdk-lib makes every Lambda function and state machine depend on its role, though the Role
 * (RoleArn) property already orders them; cfn-lint reports that as W3005. Renders DependsOn
 * without the roles, keeping every other dependency (the role's policies above all).
 */
export function dropRedundantRoleDependencies(scope: IConstruct): void {
  const types = new Set(['AWS::Lambda::Function', 'AWS::StepFunctions::StateMachine']);
  for (const child of scope.node.findAll()) {
    if (!(child instanceof CfnResource) || !types.has(child.cfnResourceType)) {
      continue;
    }
    const resource = child;
    resource.addOverride('DependsOn', Lazy.any({
      produce: () => {
        const stack = Stack.of(resource);
        const ids = resource.obtainDependencies()
          .filter((dep): dep is CfnResource => dep instanceof CfnResource && dep.cfnResourceType !== 'AWS::IAM::Role')
          .filter((dep) => Stack.of(dep) === stack)
          .map((dep) => stack.resolve(dep.logicalId) as string)
          .sort();
        return ids.length > 0 ? [...new Set(ids)] : undefined;
      },
    }));
  }
}
