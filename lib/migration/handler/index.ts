/**
 * Lambda entry points for the Provider framework (aws-cdk-lib/custom-resources):
 * `index.onEvent` and `index.isComplete`. The logic lives in handler.ts over injected clients; this
 * file only builds the clients once per container.
 */
import { createContext } from './clients';
import { handleIsComplete, handleOnEvent } from './handler';
import type { IsCompleteEvent, OnEventResult } from './handler';
import type { HandlerContext, IsCompleteResponse, MigrationEvent } from './types';

export * from './constants';
export { handleIsComplete, handleOnEvent } from './handler';
export type { IsCompleteEvent, OnEventResult } from './handler';
export { MigrationError } from './errors';
export type { MigrationErrorCode } from './errors';
export { PROPERTY } from './properties';
export type { MigrationData, MigrationEvent, MigrationProperties, MigrationStrategy } from './types';

let context: HandlerContext | undefined;

function lambdaContext(): HandlerContext {
  context ??= createContext();
  return context;
}

export async function onEvent(event: MigrationEvent): Promise<OnEventResult> {
  return handleOnEvent(event, lambdaContext());
}

export async function isComplete(event: IsCompleteEvent): Promise<IsCompleteResponse> {
  return handleIsComplete(event, lambdaContext());
}
