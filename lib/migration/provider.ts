import { Duration, Stack, Validations } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import * as logs from 'aws-cdk-lib/aws-logs';
import * as sfn from 'aws-cdk-lib/aws-stepfunctions';
import * as cr from 'aws-cdk-lib/custom-resources';
import { Construct } from 'constructs';
import { acknowledgeWildcard, dropRedundantRoleDependencies } from './acknowledge';
// The construct imports the handler's constants only: constants.ts has no SDK imports.
import {
  MIGRATION_HANDLER_TIMEOUT_SECONDS,
  MIGRATION_IS_COMPLETE_HANDLER,
  MIGRATION_ON_EVENT_HANDLER,
  MIGRATION_QUERY_INTERVAL_SECONDS,
  MIGRATION_TOTAL_TIMEOUT_SECONDS,
  migrationHandlerBundleDir,
} from './handler/constants';

/** The id of the provider under its stack; one per stack. */
export const MIGRATION_PROVIDER_ID = 'CdkValkeyMigrationProvider';

/** Retention of every log group the provider creates. */
export const MIGRATION_LOG_RETENTION = logs.RetentionDays.ONE_MONTH;

/**
 * The migration custom resource provider: the onEvent and isComplete functions from the bundled
 * handler, each with its own role, log group and timeout, behind the Provider framework
 * (aws-cdk-lib/custom-resources). One per stack, shared by every ValkeyMigration in it; each
 * migration adds statements scoped to its own resources.
 */
export class MigrationProvider extends Construct {
  /** The provider of `scope`'s stack, created on first use. */
  public static of(scope: Construct): MigrationProvider {
    const stack = Stack.of(scope);
    const existing = stack.node.tryFindChild(MIGRATION_PROVIDER_ID);
    return existing instanceof MigrationProvider ? existing : new MigrationProvider(stack, MIGRATION_PROVIDER_ID);
  }

  public readonly onEventFunction: lambda.Function;
  public readonly isCompleteFunction: lambda.Function;
  public readonly provider: cr.Provider;

  private constructor(scope: Construct, id: string) {
    super(scope, id);
    // Only the bundle goes into the function: the ignore files beside it exist in a git checkout but
    // not in the installed package, and must not make the asset hash differ between the two.
    const code = lambda.Code.fromAsset(migrationHandlerBundleDir(), { exclude: ['.gitignore', '.npmignore'] });

    this.onEventFunction = this.handlerFunction('OnEvent', code, MIGRATION_ON_EVENT_HANDLER,
      'cdk-valkey migration: validates, runs pre-flight and starts one step (Redis OSS to Valkey)');
    this.isCompleteFunction = this.handlerFunction('IsComplete', code, MIGRATION_IS_COMPLETE_HANDLER,
      'cdk-valkey migration: reports progress and starts the next step (Redis OSS to Valkey)');

    // The framework's own functions: explicit roles (instead of the AWSLambdaBasicExecutionRole
    // managed policy), one log group with retention, and a logged waiter state machine.
    const frameworkLogGroup = new logs.LogGroup(this, 'FrameworkLogs', { retention: MIGRATION_LOG_RETENTION });
    const frameworkOnEventRole = this.frameworkRole('FrameworkOnEventRole', frameworkLogGroup);
    const frameworkCompleteAndTimeoutRole = this.frameworkRole('FrameworkCompleteAndTimeoutRole', frameworkLogGroup);
    this.provider = new cr.Provider(this, 'Provider', {
      onEventHandler: this.onEventFunction,
      isCompleteHandler: this.isCompleteFunction,
      // ≤ 1 hour: a CloudFormation custom resource cannot wait longer (ServiceTimeout ≤ 3600 s).
      // A migration that takes longer resumes on the next deployment; see handler/constants.ts.
      totalTimeout: Duration.seconds(MIGRATION_TOTAL_TIMEOUT_SECONDS),
      queryInterval: Duration.seconds(MIGRATION_QUERY_INTERVAL_SECONDS),
      logGroup: frameworkLogGroup,
      frameworkOnEventRole,
      frameworkCompleteAndTimeoutRole,
      disableWaiterStateMachineLogging: false,
      waiterStateMachineLogOptions: {
        destination: new logs.LogGroup(this, 'WaiterLogs', { retention: MIGRATION_LOG_RETENTION }),
        level: sfn.LogLevel.ALL,
        includeExecutionData: false,
      },
    });
    dropRedundantRoleDependencies(this);
    this.acknowledgeFrameworkFindings();
  }

  /**
   * cdk-nag AwsSolutions findings that come with the Provider framework and our runtime choice,
   * acknowledged here once, each with its reason (and IAM5 for exactly the resources concerned).
   */
  private acknowledgeFrameworkFindings(): void {
    Validations.of(this).acknowledge({
      id: 'AwsSolutions-L1',
      reason:
        'The migration handler is bundled for node20 (scripts/bundle-handlers.js) and runs on Node.js 22, the newest runtime it is ' +
        'tested on; the Provider framework\'s functions run on the runtime aws-cdk-lib ships them with.',
    });
    Validations.of(this).acknowledge({
      id: 'AwsSolutions-SF2',
      reason:
        'The Provider framework\'s waiter state machine only calls isComplete on a timer; its executions are logged (level ALL) to a ' +
        'log group with retention, and the framework has no X-Ray setting.',
    });
    const invoked: lambda.IFunction[] = [this.onEventFunction, this.isCompleteFunction];
    for (const id of ['framework-isComplete', 'framework-onTimeout']) {
      const fn = this.provider.node.tryFindChild(id);
      if (fn instanceof lambda.Function) {
        invoked.push(fn);
      }
    }
    for (const fn of invoked) {
      acknowledgeWildcard(this, `${fn.functionArn}:*`,
        `The Provider framework invokes ${fn.node.id} and its versions (\`<function arn>:*\`), and nothing else.`);
    }
    const waiter = this.provider.node.tryFindChild('waiter-state-machine');
    if (waiter !== undefined) {
      acknowledgeWildcard(waiter, '*',
        'The waiter state machine\'s role delivers execution logs to CloudWatch Logs: the log delivery actions ' +
        '(logs:CreateLogDelivery, logs:DescribeResourcePolicies, …) have no resource-level permissions.');
    }
  }

  /** The service token of the custom resources. */
  public get serviceToken(): string {
    return this.provider.serviceToken;
  }

  /** The onEvent function's role, and isComplete's when `alsoIsComplete`. */
  public roles(alsoIsComplete: boolean): iam.IRole[] {
    const roles = [this.onEventFunction.role, ...(alsoIsComplete ? [this.isCompleteFunction.role] : [])];
    return roles.filter((role): role is iam.IRole => role !== undefined);
  }

  /** Adds `statement` to the onEvent function's role, and to isComplete's when `alsoIsComplete`. */
  public addStatement(statement: iam.PolicyStatement, alsoIsComplete: boolean): void {
    this.onEventFunction.addToRolePolicy(statement);
    if (alsoIsComplete) {
      this.isCompleteFunction.addToRolePolicy(statement.copy());
    }
  }

  private handlerFunction(id: string, code: lambda.Code, handler: string, description: string): lambda.Function {
    const logGroup = new logs.LogGroup(this, `${id}Logs`, { retention: MIGRATION_LOG_RETENTION });
    const role = new iam.Role(this, `${id}Role`, {
      assumedBy: new iam.ServicePrincipal('lambda.amazonaws.com'),
      description: `Role of the migration handler's ${id} function`,
    });
    addLogStatements(role, logGroup);
    return new lambda.Function(this, id, {
      code,
      handler,
      // The bundle targets node20 (scripts/bundle-handlers.js); 22 is the newest runtime it is
      // tested on, and the AWS SDK's own floor from 2027.
      runtime: lambda.Runtime.NODEJS_22_X,
      architecture: lambda.Architecture.ARM_64,
      memorySize: 256,
      timeout: Duration.seconds(MIGRATION_HANDLER_TIMEOUT_SECONDS),
      description,
      role,
      logGroup,
    });
  }

  private frameworkRole(id: string, logGroup: logs.ILogGroup): iam.Role {
    const role = new iam.Role(this, id, {
      assumedBy: new iam.ServicePrincipal('lambda.amazonaws.com'),
      description: 'Role of a custom resource provider framework function (migration)',
    });
    addLogStatements(role, logGroup);
    return role;
  }
}

/** Basic execution, as an explicit policy scoped to the function's own log group. */
function addLogStatements(role: iam.Role, logGroup: logs.ILogGroup): void {
  // Write the function's log streams (their names are chosen by Lambda, hence the log-stream wildcard).
  role.addToPolicy(new iam.PolicyStatement({ actions: ['logs:CreateLogStream'], resources: [logGroup.logGroupArn] }));
  // Write log events into those streams.
  role.addToPolicy(new iam.PolicyStatement({ actions: ['logs:PutLogEvents'], resources: [logGroup.logGroupArn] }));
}
