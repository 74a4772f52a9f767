/**
 * Numbers and names the migration construct shares with its handler.
 *
 * This module imports nothing from the AWS SDK, so the construct can import it at synth time
 * without pulling the handler's dependencies into the CDK app.
 */
import * as fs from 'fs';
import * as path from 'path';

/**
 * How long the Provider framework keeps calling isComplete before it gives up (its `totalTimeout`).
 *
 * A CloudFormation custom resource operation cannot outlive its ServiceTimeout, which is at most
 * 3600 s (AWS::CloudFormation::CustomResource, "ServiceTimeout … an integer from 1 to 3600"), so a
 * six-hour wait inside one deployment is not possible. We stop five minutes earlier than
 * CloudFormation would, so the stack event carries the framework's timeout message rather than a
 * bare CloudFormation timeout.
 *
 * A snapshot export of a large cache can take longer than this. The handler keeps no state of its
 * own — every step is derived from what exists (snapshot, exported objects, target group, tagged with
 * the migration id) — so running `cdk deploy` again after a timeout resumes where the last run
 * stopped instead of starting over, and the rollback's Delete leaves every artifact in place.
 */
export const MIGRATION_TOTAL_TIMEOUT_SECONDS = 55 * 60;

/**
 * Seconds between isComplete calls (the Provider framework's `queryInterval`). Snapshot, export and
 * replication group creation take minutes; polling faster only spends DescribeXxx quota.
 * MIGRATION_TOTAL_TIMEOUT_SECONDS must stay an integer multiple of it (the framework checks).
 */
export const MIGRATION_QUERY_INTERVAL_SECONDS = 30;

/**
 * Lambda timeout for the onEvent and isComplete functions. onEvent retries throttling and
 * "invalid state" answers with backoff for up to about a minute (see retry.ts); each isComplete call
 * is a handful of describe calls.
 */
export const MIGRATION_HANDLER_TIMEOUT_SECONDS = 120;

/** Handler names inside the bundle, for lambda.Function `handler`. */
export const MIGRATION_ON_EVENT_HANDLER = 'index.onEvent';
export const MIGRATION_IS_COMPLETE_HANDLER = 'index.isComplete';

/** Tag the handler puts on the target replication group; its value is the physical resource id. */
export const MIGRATION_TAG_KEY = 'cdk-valkey:migration';

/** Where `node scripts/bundle-handlers.js` writes the bundle, relative to the package root. */
export const MIGRATION_HANDLER_BUNDLE_RELATIVE_DIR = path.join('lib', 'migration', 'handler-bundle');

/**
 * The directory holding the bundled handler (index.js), for `lambda.Code.fromAsset`.
 *
 * Found by walking up to the package root, so it resolves the same from the TypeScript sources
 * (ts-jest, lib/migration/handler), from the compiled package (dist/lib/migration/handler) and from
 * node_modules/cdk-valkey.
 */
export function migrationHandlerBundleDir(from: string = __dirname): string {
  let dir = path.resolve(from);
  for (;;) {
    const candidate = path.join(dir, MIGRATION_HANDLER_BUNDLE_RELATIVE_DIR);
    if (fs.existsSync(path.join(dir, 'package.json')) && fs.existsSync(path.join(candidate, 'index.js'))) {
      return candidate;
    }
    const parent = path.dirname(dir);
    if (parent === dir) {
      throw new Error(
        `The migration handler bundle (${path.join(MIGRATION_HANDLER_BUNDLE_RELATIVE_DIR, 'index.js')}) was not found above ${from}; ` +
        'run `node scripts/bundle-handlers.js` (part of `npm run build`).',
      );
    }
    dir = parent;
  }
}
