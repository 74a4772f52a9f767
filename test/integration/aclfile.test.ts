/**
 * The aclfile, against redis-server 7.0: ACL SAVE writes the same file, ACL LOAD reads it back
 * (and refuses a bad one with the same words, changing nothing), users survive a restart, and a
 * bad or missing file stops start-up with Redis's message. Each server gets its own folder and
 * the same relative file name, so messages that name the file are byte-for-byte comparable.
 */
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { OUR_CLI, freePort, RawClient, startOurServer, startRedisServer, stopAll, type ServerHandle } from '../support';
import { expectSameReplies, type ServerPair } from './differential-harness';

const FILE = 'users.acl';

function folderWith(text: string): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'cdk-valkey-aclfile-'));
  fs.writeFileSync(path.join(dir, FILE), text);
  return dir;
}

/** The file with each run of single-command rules sorted (Redis orders them by its random dict seed). */
function comparableFile(text: string): string {
  return text
    .split('\n')
    .map((line) => {
      const out: string[] = [];
      let run: string[] = [];
      for (const token of line.split(' ')) {
        if (/^[+-][^@]/.test(token)) {
          run.push(token);
          continue;
        }
        out.push(...run.sort(), token);
        run = [];
      }
      return [...out, ...run.sort()].join(' ');
    })
    .join('\n');
}

describe('aclfile, against redis-server 7.0', () => {
  let pair: ServerPair | undefined;
  const dirs: string[] = [];

  beforeAll(async () => {
    const start = 'user default on nopass ~* &* +@all\nuser reader on #5e884898da28047151d0e56f8dc6292773603d0d6aabbdd62a11ef721d1542d8 ~app:* -@all +@read\n';
    dirs.push(folderWith(start), folderWith(start));
    const started = await Promise.allSettled([
      startRedisServer({ config: { dir: dirs[0], aclfile: FILE } }),
      startOurServer({ args: ['--dir', dirs[1], '--aclfile', FILE] }),
    ]);
    const handles = started.map((s) => (s.status === 'fulfilled' ? s.value : undefined));
    const failed = started.find((s): s is PromiseRejectedResult => s.status === 'rejected');
    if (failed) {
      await stopAll(handles);
      throw failed.reason;
    }
    pair = { redis: handles[0] as ServerHandle, ours: handles[1] as ServerHandle };
  }, 120_000);

  afterAll(async () => {
    await stopAll([pair?.redis, pair?.ours]);
    for (const dir of dirs) fs.rmSync(dir, { recursive: true, force: true });
  });

  const servers = (): ServerPair => {
    if (pair === undefined) throw new Error('servers did not start');
    return pair;
  };

  test('users from the file at start-up; SAVE writes the same file as redis-server', async () => {
    await expectSameReplies(servers(), [
      ['ACL', 'LIST'],
      { on: 'b', cmd: ['AUTH', 'reader', 'password'] },
      { on: 'b', cmd: ['GET', 'app:1'] },
      { on: 'b', cmd: ['SET', 'app:1', 'v'] },
      ['ACL', 'SETUSER', 'writer', 'on', '>w', '%W~logs:*', '&events', '+@write', '+@hash', '-hdel', '(~cache:* +get)'],
      ['ACL', 'SETUSER', 'default', '>changed'],
      ['ACL', 'SAVE'],
    ]);
    const [theirs, mine] = dirs.map((dir) => fs.readFileSync(path.join(dir, FILE), 'latin1'));
    expect(mine).toContain('user writer on #');
    expect(comparableFile(mine)).toBe(comparableFile(theirs));
  });

  test('LOAD restores the file\'s users, closes connections of replaced users, and refuses a bad file without changing anything', async () => {
    await expectSameReplies(servers(), [
      ['AUTH', 'changed'],
      ['ACL', 'DELUSER', 'writer'],
      ['ACL', 'SETUSER', 'temp', 'on', 'nopass', '+@all', '~*'],
      { on: 'b', cmd: ['AUTH', 'temp', 'x'] },
      ['ACL', 'LOAD'],
      ['ACL', 'USERS'],
      { on: 'b', cmd: ['PING'] },
      ['ACL', 'WHOAMI'],
    ]);
    for (const dir of dirs) fs.writeFileSync(path.join(dir, FILE), 'user alice on >pw ~* +@all\nuser bob bogus +nosuch\nuser alice on\nnotuser x\nuser "bad name\n');
    await expectSameReplies(servers(), [['AUTH', 'changed'], ['ACL', 'LOAD'], ['ACL', 'USERS']]);
    for (const dir of dirs) fs.writeFileSync(path.join(dir, FILE), '\n  user alice on >pw ~* +@all  \n\nuser  default  on nopass ~* &* +@all\n');
    await expectSameReplies(servers(), [['AUTH', 'changed'], ['ACL', 'LOAD'], ['ACL', 'LIST']]);
    for (const dir of dirs) fs.rmSync(path.join(dir, FILE));
    await expectSameReplies(servers(), [['ACL', 'LOAD'], ['ACL', 'USERS']]);
  });
});

describe('aclfile across a restart of our server', () => {
  test('users saved by ACL SAVE authenticate after a restart', async () => {
    const dir = folderWith('');
    let server: ServerHandle | undefined;
    try {
      server = await startOurServer({ args: ['--dir', dir, '--aclfile', FILE] });
      let client = await RawClient.connect(server.port);
      expect(await client.callText('ACL', 'SETUSER', 'kept', 'on', '>pw', '~k:*', '+get', '+set')).toBe('+OK\r\n');
      const before = (await client.call('ACL', 'LIST')).toString('latin1');
      expect(await client.callText('ACL', 'SAVE')).toBe('+OK\r\n');
      await client.close();
      await server.stop();

      server = await startOurServer({ args: ['--dir', dir, '--aclfile', FILE] });
      client = await RawClient.connect(server.port);
      expect((await client.call('ACL', 'LIST')).toString('latin1')).toBe(before);
      expect(await client.callText('AUTH', 'kept', 'pw')).toBe('+OK\r\n');
      expect(await client.callText('SET', 'k:1', 'v')).toBe('+OK\r\n');
      expect(await client.callText('SET', 'other', 'v')).toBe('-NOPERM this user has no permissions to access one of the keys used as arguments\r\n');
      await client.close();
    } finally {
      await server?.stop();
      fs.rmSync(dir, { recursive: true, force: true });
    }
  }, 60000);

  test('`user` lines in the config file create the users redis-server creates from the same rules', async () => {
    let ours: ServerHandle | undefined;
    let redis: ServerHandle | undefined;
    try {
      ours = await startOurServer({ args: ['--user', 'alice', 'on', '>pw', '~app:*', '+@read', '--user', 'default', 'on', 'nopass', '~*', '&*', '+@all', '-flushall'] });
      redis = await startRedisServer();
      const mine = await RawClient.connect(ours.port);
      const theirs = await RawClient.connect(redis.port);
      try {
        // Redis resets the default user before applying its config line (ACLLoadConfiguredUsers).
        await theirs.call('ACL', 'SETUSER', 'alice', 'on', '>pw', '~app:*', '+@read');
        await theirs.call('ACL', 'SETUSER', 'default', 'reset', 'on', 'nopass', '~*', '&*', '+@all', '-flushall');
        const list = async (c: RawClient): Promise<string> => comparableFile((await c.call('ACL', 'LIST')).toString('latin1'));
        expect(await list(mine)).toBe(await list(theirs));
        expect(await mine.callText('AUTH', 'alice', 'pw')).toBe('+OK\r\n');
      } finally {
        await mine.close();
        await theirs.close();
      }
    } finally {
      await stopAll([ours, redis]);
    }
  }, 60000);
});

/** Runs a server that must refuse to start; returns its last log line without the pid/time prefix. */
function failedStart(command: string, args: string[]): string {
  const run = spawnSync(command, args, { encoding: 'utf8', timeout: 20000, cwd: os.tmpdir() });
  expect(run.status).toBe(1);
  const lines = `${run.stdout}${run.stderr}`.trim().split('\n');
  return lines[lines.length - 1].replace(/^\d+:[A-Z] \d+ \w+ \d+ [\d:.]+ . /, '');
}

describe('aclfile start-up errors, against redis-server 7.0', () => {
  const cases: Record<string, (dir: string) => string[]> = {
    'a missing aclfile': (dir) => ['--dir', dir, '--aclfile', 'missing.acl'],
    'an aclfile with bad lines': (dir) => {
      fs.writeFileSync(path.join(dir, FILE), 'user alice on >pw ~* +@all\nuser bob bogus\nuser alice on\nnotuser x\n');
      return ['--dir', dir, '--aclfile', FILE];
    },
    'an aclfile and user lines together': (dir) => {
      fs.writeFileSync(path.join(dir, FILE), '');
      return ['--dir', dir, '--aclfile', FILE, '--user', 'x', 'on'];
    },
    'a bad rule in a user line': () => ['--user', 'x', 'on', '+nosuchcommand', '~*'],
  };

  test.each(Object.keys(cases))('%s stops start-up with the same message', async (name) => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'cdk-valkey-aclstart-'));
    try {
      const port = String(await freePort());
      const args = cases[name](dir);
      const theirs = failedStart('redis-server', ['--port', port, '--save', '', ...args]);
      const mine = failedStart(process.execPath, [OUR_CLI, '--port', port, '--save', '', ...args]);
      expect(mine).toBe(theirs);
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  }, 60000);
});
