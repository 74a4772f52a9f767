/** Stable codes, so the construct's docs and the tests can name a failure without matching prose. */
export type MigrationErrorCode =
  | 'INVALID_PROPERTIES'
  | 'SOURCE_NOT_FOUND'
  | 'SOURCE_IS_SINGLE_NODE'
  | 'SOURCE_NOT_AVAILABLE'
  | 'SOURCE_ENGINE'
  | 'DOWNGRADE'
  | 'PARAMETER_GROUP_REQUIRED'
  | 'DATA_TIERING'
  | 'CLUSTER_MODE_MISMATCH'
  | 'TARGET_EXISTS'
  | 'TARGET_MISSING'
  | 'TARGET_FAILED'
  | 'SNAPSHOT_FOREIGN'
  | 'SNAPSHOT_FAILED'
  | 'SNAPSHOT_QUOTA'
  | 'AUTH_TOKEN_UNAVAILABLE'
  | 'RETRIES_EXHAUSTED';

/** The one error the handler throws on purpose; its message is what the stack event shows. */
export class MigrationError extends Error {
  public readonly code: MigrationErrorCode;

  constructor(code: MigrationErrorCode, message: string) {
    super(message);
    this.name = 'MigrationError';
    this.code = code;
  }
}

/** The service's error name (`ThrottlingException`, `SnapshotNotFoundFault` …), or '' for a non-error. */
export function errorName(error: unknown): string {
  return error instanceof Error ? error.name : '';
}

export function errorMessage(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
