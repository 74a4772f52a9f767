/**
 * Every shell script the instance runs parses (`bash -n`) and passes shellcheck, and the systemd
 * units point at the paths user data installs.
 */
import { execFileSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { instanceFile } from '../../lib/self-hosted/bundle-paths';

const DIR = path.dirname(instanceFile('cdk-valkey.sh'));
const SCRIPTS = fs.readdirSync(DIR).filter((f) => f.endsWith('.sh'));

function run(command: string, args: string[]): string {
  try {
    return execFileSync(command, args, { encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });
  } catch (err) {
    const e = err as { stdout?: string; stderr?: string; status?: number };
    throw new Error(`${command} ${args.join(' ')} exited ${e.status}:\n${e.stdout ?? ''}${e.stderr ?? ''}`);
  }
}

test('the instance files hold the boot script and the two units', () => {
  expect(fs.readdirSync(DIR).sort()).toEqual(['cdk-valkey-snapshot.service', 'cdk-valkey.service', 'cdk-valkey.sh']);
});

test.each(SCRIPTS)('%s parses with bash -n', (script) => {
  expect(run('bash', ['-n', path.join(DIR, script)])).toBe('');
});

test.each(SCRIPTS)('%s passes shellcheck', (script) => {
  expect(run('shellcheck', ['--shell=bash', '--severity=style', path.join(DIR, script)])).toBe('');
});

test('the server unit restarts on failure, runs unprivileged, reads its config from stdin and snapshots on stop', () => {
  const unit = fs.readFileSync(path.join(DIR, 'cdk-valkey.service'), 'utf8');
  const directives = unit.split('\n').filter((l) => /^[A-Za-z]+=/.test(l));
  expect(directives).toEqual(expect.arrayContaining([
    'Restart=on-failure',
    'User=cdk-valkey',
    'StandardInput=file:/etc/cdk-valkey/server.conf',
    'ExecStart=/opt/cdk-valkey/cdk-valkey.sh serve',
    'ExecStop=+/opt/cdk-valkey/cdk-valkey.sh snapshot',
    'ReadWritePaths=/var/lib/cdk-valkey',
  ]));
  const snapshotUnit = fs.readFileSync(path.join(DIR, 'cdk-valkey-snapshot.service'), 'utf8');
  expect(snapshotUnit).toContain('ExecStart=/opt/cdk-valkey/cdk-valkey.sh snapshot\n');
});
