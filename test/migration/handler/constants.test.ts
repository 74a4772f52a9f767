import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import {
  MIGRATION_HANDLER_TIMEOUT_SECONDS,
  MIGRATION_QUERY_INTERVAL_SECONDS,
  MIGRATION_TOTAL_TIMEOUT_SECONDS,
  migrationHandlerBundleDir,
} from '../../../lib/migration/handler/constants';

test('the total timeout fits CloudFormation\'s one-hour custom resource limit and the framework\'s interval rule', () => {
  expect(MIGRATION_TOTAL_TIMEOUT_SECONDS).toBeLessThan(3600);
  expect(MIGRATION_TOTAL_TIMEOUT_SECONDS % MIGRATION_QUERY_INTERVAL_SECONDS).toBe(0);
  expect(MIGRATION_HANDLER_TIMEOUT_SECONDS).toBeLessThanOrEqual(900);
});

test('the bundle directory is found by walking up to the package root', () => {
  const root = fs.mkdtempSync(path.join(os.tmpdir(), 'bundle-dir-'));
  try {
    fs.writeFileSync(path.join(root, 'package.json'), '{}');
    const bundle = path.join(root, 'lib', 'migration', 'handler-bundle');
    fs.mkdirSync(bundle, { recursive: true });
    const deep = path.join(root, 'dist', 'lib', 'migration', 'handler');
    fs.mkdirSync(deep, { recursive: true });
    expect(() => migrationHandlerBundleDir(deep)).toThrow(/was not found above/);
    fs.writeFileSync(path.join(bundle, 'index.js'), '');
    expect(migrationHandlerBundleDir(deep)).toBe(bundle);
  } finally {
    fs.rmSync(root, { recursive: true, force: true });
  }
});
