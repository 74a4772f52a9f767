/**
 * One empty folder per test process, removed when the process exits: the `dir` of every in-process
 * server a test starts, so none writes into, or loads a dump.rdb from, the checkout.
 */
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';

let dir: string | undefined;

export function serverScratchDir(): string {
  if (dir === undefined) {
    const created = fs.mkdtempSync(path.join(os.tmpdir(), 'cdk-valkey-test-'));
    dir = created;
    process.once('exit', () => fs.rmSync(created, { recursive: true, force: true }));
  }
  return dir;
}

/** Config for a test server: persistence off, files (if a test saves) in the scratch folder. */
export function testServerConfig(extra: Record<string, string> = {}): Record<string, string> {
  return { save: '', dir: serverScratchDir(), ...extra };
}
