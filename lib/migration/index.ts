// The migration room: the Redis OSS → Valkey construct and what it takes. The handler (plain SDK
// code, bundled for Lambda) is not part of the API; only its constants are imported here.
export { CutoverTarget, MIGRATION_RESOURCE_TYPE, MigrationStrategy, ValkeyMigration } from './valkey-migration';
export type { ExportBucketAccessLogs, MigrationCutoverOptions, ValkeyMigrationProps } from './valkey-migration';
export { MigrationSource } from './source';
export type { MigrationSourceKind, MigrationSourceOptions } from './source';
export type { ValkeyMigrationTargetProps } from './target';
export { MIGRATION_TOTAL_TIMEOUT_SECONDS } from './handler/constants';
