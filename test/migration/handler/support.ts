import type { HandlerContext, MigrationClients, MigrationEvent, RawProperties } from '../../../lib/migration/handler/types';

export const STACK_ID = 'arn:aws:cloudformation:us-east-1:123456789012:stack/app/0f6b6a40-0000-11ef-8000-0a0b0c0d0e0f';
export const LOGICAL_ID = 'Migration1A2B3C4D';

export interface LogLine {
  readonly step: string;
  readonly fields: Record<string, unknown>;
}

/** A context over the given clients that records log lines and sleeps, and never waits. */
export function testContext(clients: MigrationClients): HandlerContext & { lines: LogLine[]; sleeps: number[] } {
  const lines: LogLine[] = [];
  const sleeps: number[] = [];
  return {
    ...clients,
    lines,
    sleeps,
    log: (step, fields = {}) => {
      lines.push({ step, fields });
    },
    sleep: async ms => {
      sleeps.push(ms);
    },
    random: () => 0.5,
  };
}

export function event(
  requestType: MigrationEvent['RequestType'],
  properties: RawProperties,
  extra: Partial<MigrationEvent> & Record<string, unknown> = {},
): MigrationEvent {
  return {
    RequestType: requestType,
    RequestId: `req-${Math.random().toString(16).slice(2)}`,
    StackId: STACK_ID,
    LogicalResourceId: LOGICAL_ID,
    ResourceType: 'Custom::ValkeyMigration',
    ServiceToken: 'arn:aws:lambda:us-east-1:123456789012:function:provider',
    ResponseURL: 'https://cloudformation-custom-resource-response-useast1.s3.amazonaws.com/x',
    ResourceProperties: { ServiceToken: 'arn:aws:lambda:us-east-1:123456789012:function:provider', ...properties },
    ...extra,
  };
}

/** An error as the SDK raises it for a service error code without a modelled exception class. */
export function serviceError(name: string, message = name): Error {
  return Object.assign(new Error(message), { name, $metadata: {} });
}
