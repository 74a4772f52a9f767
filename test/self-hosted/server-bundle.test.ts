/**
 * The server bundle the EC2 instance runs: one file, node's built-ins only. Copied alone into an
 * empty folder (no node_modules above it) and started with `node`, it answers redis-cli.
 */
import * as fs from 'node:fs';
import { builtinModules } from 'node:module';
import * as os from 'node:os';
import * as path from 'node:path';
import { freePort } from '../support/ports';
import { redisCli, RunningProcess, spawnProcess, waitForPort } from './processes';
import { serverBundleFile } from '../../lib/self-hosted/bundle-paths';

let scratch: string;
let server: RunningProcess | undefined;

beforeAll(() => {
  scratch = fs.mkdtempSync(path.join(os.tmpdir(), 'cdk-valkey-bundle-'));
});

afterAll(async () => {
  await server?.stop();
  fs.rmSync(scratch, { recursive: true, force: true });
});

test('the bundle is one file that requires nothing but node built-ins', () => {
  const source = fs.readFileSync(serverBundleFile(), 'utf8');
  const required = [...source.matchAll(/\brequire\("([^"]+)"\)/g)].map((m) => m[1]);
  const builtins = new Set(builtinModules);
  expect(required.filter((name) => !name.startsWith('node:') && !builtins.has(name))).toEqual([]);
});

test('copied alone into an empty folder, `node server.js` answers PING, SET and GET from redis-cli', async () => {
  fs.copyFileSync(serverBundleFile(), path.join(scratch, 'server.js'));
  expect(fs.readdirSync(scratch)).toEqual(['server.js']);
  const port = await freePort();
  // NODE_PATH cleared and cwd in the empty folder: nothing but the file itself can be loaded.
  const env = { PATH: process.env.PATH ?? '', HOME: scratch };
  server = spawnProcess(process.execPath, ['server.js', '--port', String(port), '--bind', '127.0.0.1', '--save', ''], { cwd: scratch, env });
  await waitForPort(server, port, 180_000);
  expect(await redisCli(port, ['PING'])).toBe('PONG');
  expect(await redisCli(port, ['SET', 'greeting', 'hello from the bundle'])).toBe('OK');
  expect(await redisCli(port, ['GET', 'greeting'])).toBe('hello from the bundle');
  expect(server.output()).toContain('Ready to accept connections');
});
