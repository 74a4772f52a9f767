/**
 * Writes refused while persistence fails (-MISCONF), differentially against redis-server 7.0.
 *
 * Each server gets its own small tmpfs as `dir`; a filler file then takes all its space, so the
 * next AOF write or RDB save fails with ENOSPC in both servers alike, and removing the filler lets
 * them write again. The same script of commands runs on both and the reply bytes must be equal:
 * a write on the general path (SET), writes that have fast handlers (INCR, LPUSH), a read (GET),
 * PING, MULTI/EXEC, INFO persistence's status fields, and recovery once the disk has room.
 */
import { execFileSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { RawClient, startOurServer, startRedisServer, waitUntil, type ServerHandle, type ServerKind } from '../support';

jest.setTimeout(120000);

/** A value larger than a page, so a write cannot fit in the slack of the AOF's last page. */
const BIG = 'v'.repeat(16 * 1024);

interface Disk {
  readonly dir: string;
  /** Takes all the free space. */
  fill(): void;
  /** Gives it back. */
  free(): void;
  release(): void;
}

const mounts: Disk[] = [];

function mountDisk(): Disk {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'cdk-valkey-misconf-'));
  try {
    execFileSync('mount', ['-t', 'tmpfs', '-o', 'size=1m', 'tmpfs', dir], { stdio: 'pipe' });
  } catch (err) {
    fs.rmSync(dir, { recursive: true, force: true });
    throw new Error(`this test needs to mount a small tmpfs (run as root): ${err instanceof Error ? err.message : String(err)}`);
  }
  const filler = path.join(dir, 'filler');
  const disk: Disk = {
    dir,
    fill: () => {
      try {
        fs.writeFileSync(filler, Buffer.alloc(4 * 1024 * 1024));
      } catch (err) {
        if ((err as NodeJS.ErrnoException).code !== 'ENOSPC') throw err;
      }
    },
    free: () => fs.rmSync(filler, { force: true }),
    release: () => {
      execFileSync('umount', [dir], { stdio: 'pipe' });
      fs.rmSync(dir, { recursive: true, force: true });
    },
  };
  mounts.push(disk);
  return disk;
}

afterAll(() => {
  for (const disk of mounts.splice(0)) disk.release();
});

function start(kind: ServerKind, config: Record<string, string>): Promise<ServerHandle> {
  if (kind === 'redis') return startRedisServer({ config });
  return startOurServer({ mode: 'child', args: Object.entries(config).flatMap(([name, value]) => [`--${name}`, value]) });
}

function infoField(info: string, name: string): string {
  const match = new RegExp(`^${name}:(.*)\\r?$`, 'm').exec(info);
  if (match === null) throw new Error(`INFO has no ${name}`);
  return match[1].trim();
}

/** One server on its own tmpfs through `script`; the transcript of commands and raw replies. */
async function run(kind: ServerKind, config: Record<string, string>, script: (s: Session) => Promise<void>): Promise<string[]> {
  const disk = mountDisk();
  const server = await start(kind, { dir: disk.dir, ...config });
  const session = new Session(disk, await RawClient.connect(server.port), await RawClient.connect(server.port));
  try {
    await script(session);
  } finally {
    await session.a.close();
    await session.b.close();
    await server.stop();
    disk.free();
  }
  return session.transcript;
}

class Session {
  public readonly transcript: string[] = [];
  constructor(
    public readonly disk: Disk,
    public readonly a: RawClient,
    public readonly b: RawClient,
  ) {}

  /** Sends on connection a (or b) and records the reply bytes. */
  public async send(args: string[], on: 'a' | 'b' = 'a'): Promise<string> {
    const reply = (await (on === 'a' ? this.a : this.b).call(...args)).toString('latin1');
    const shown = args.map((x) => (x.length > 32 ? `<${x.length} bytes>` : x)).join(' ');
    this.transcript.push(`${on}> ${shown}`, reply);
    return reply;
  }

  public async persistence(field: string): Promise<string> {
    return infoField((await this.a.call('INFO', 'persistence')).toString('latin1'), field);
  }

  /** Waits until INFO persistence shows `field` as `value`, then records it. */
  public async awaitInfo(field: string, value: string): Promise<void> {
    await waitUntil(async () => (await this.persistence(field)) === value, { intervalMs: 50 });
    this.transcript.push(`INFO ${field}`, await this.persistence(field));
  }
}

/** The commands asked while writes are refused: a write of each path, a read, PING, a transaction. */
async function whileRefused(s: Session): Promise<void> {
  await s.send(['SET', 'k', 'v2']);
  await s.send(['INCR', 'counter']);
  await s.send(['LPUSH', 'list', 'x']);
  await s.send(['GET', 'k']);
  await s.send(['LRANGE', 'list', '0', '-1']);
  await s.send(['PING']);
  await s.send(['MULTI']);
  await s.send(['GET', 'k']);
  await s.send(['SET', 'k', 'v3']);
  await s.send(['EXEC']);
  await s.send(['MULTI']);
  await s.send(['GET', 'k']);
  await s.send(['EXEC']);
}

const aofScript = async (s: Session): Promise<void> => {
  await s.send(['SET', 'k', 'v1']);
  await s.send(['RPUSH', 'list', 'a']);
  await s.disk.fill();
  // Acknowledged (the reply was made before the write), but the write fails: from now on writes are refused.
  await s.send(['SET', 'big', BIG]);
  await s.awaitInfo('aof_last_write_status', 'err');
  await whileRefused(s);
  s.disk.free();
  // The cron's retry writes the pending data; writes are accepted again.
  await s.awaitInfo('aof_last_write_status', 'ok');
  await s.send(['SET', 'k', 'v4']);
  await s.send(['INCR', 'counter']);
  await s.send(['LPUSH', 'list', 'y']);
  await s.send(['PING']);
  await s.send(['MGET', 'k', 'counter']);
  await s.send(['STRLEN', 'big']);
};

const rdbScript = async (s: Session): Promise<void> => {
  await s.send(['SET', 'k', 'v1']);
  await s.send(['RPUSH', 'list', 'a']);
  // A transaction queued before the failure: its EXEC is refused afterwards.
  await s.send(['MULTI'], 'b');
  await s.send(['SET', 'queued', '1'], 'b');
  await s.disk.fill();
  await s.send(['BGSAVE']);
  await s.awaitInfo('rdb_bgsave_in_progress', '0');
  await s.awaitInfo('rdb_last_bgsave_status', 'err');
  await whileRefused(s);
  await s.send(['EXEC'], 'b');
  // A failed SAVE leaves the status as it is.
  await s.send(['SAVE']);
  await s.send(['SET', 'k', 'v5']);
  // Without save points, or with stop-writes-on-bgsave-error no, a failed BGSAVE refuses nothing.
  await s.send(['CONFIG', 'SET', 'save', '']);
  await s.send(['INCR', 'counter']);
  await s.send(['CONFIG', 'SET', 'save', '3600 1']);
  await s.send(['INCR', 'counter']);
  await s.send(['CONFIG', 'SET', 'stop-writes-on-bgsave-error', 'no']);
  await s.send(['LPUSH', 'list', 'z']);
  await s.send(['CONFIG', 'SET', 'stop-writes-on-bgsave-error', 'yes']);
  await s.send(['LPUSH', 'list', 'z']);
  s.disk.free();
  // A save that succeeds accepts writes again.
  await s.send(['SAVE']);
  await s.awaitInfo('rdb_last_bgsave_status', 'ok');
  await s.send(['SET', 'k', 'v6']);
  await s.send(['INCR', 'counter']);
  await s.send(['LPUSH', 'list', 'w']);
  await s.send(['PING']);
  await s.send(['MGET', 'k', 'counter']);
  await s.send(['LRANGE', 'list', '0', '-1']);
};

const AOF_MISCONF = '-MISCONF Errors writing to the AOF file: No space left on device\r\n';
const RDB_MISCONF_PREFIX = "-MISCONF Redis is configured to save RDB snapshots, but it's currently unable to persist to disk.";

describe('MISCONF: writes refused while persistence fails, as redis-server 7.0', () => {
  test('AOF write fails (ENOSPC): writes and PING refused, reads served, recovery when the disk has room', async () => {
    const config = { appendonly: 'yes', appendfsync: 'everysec' };
    const redis = await run('redis', config, aofScript);
    const ours = await run('ours', config, aofScript);
    // The oracle did refuse writes with the AOF error (the disk trick worked).
    expect(redis).toContain(AOF_MISCONF);
    expect(redis.filter((r) => r === AOF_MISCONF).length).toBeGreaterThanOrEqual(4);
    expect(ours).toEqual(redis);
  });

  test('AOF write fails with appendfsync always: the server process exits before acknowledging the write', async () => {
    for (const kind of ['redis', 'ours'] as const) {
      const disk = mountDisk();
      const server = await start(kind, { dir: disk.dir, appendonly: 'yes', appendfsync: 'always' });
      const client = await RawClient.connect(server.port);
      try {
        expect((await client.call('SET', 'k', 'v1')).toString('latin1')).toBe('+OK\r\n');
        disk.fill();
        await client.send('SET', 'big', BIG);
        const seen = await client.readUntilClosed();
        expect({ kind, closed: seen.closed, reply: seen.bytes.toString('latin1') }).toEqual({ kind, closed: true, reply: '' });
        const pid = server.pid as number;
        const gone = await waitUntil(() => {
          try {
            process.kill(pid, 0);
            return false;
          } catch {
            return true;
          }
        });
        expect({ kind, gone }).toEqual({ kind, gone: true });
        expect(server.output()).toContain("Can't recover from AOF write error when the AOF fsync policy is 'always'. Exiting...");
      } finally {
        await client.close();
        await server.stop();
        disk.free();
      }
    }
  });

  test('BGSAVE fails (ENOSPC): writes and EXEC refused until a save succeeds; save points and stop-writes-on-bgsave-error respected', async () => {
    const config = { save: '3600 1' };
    const redis = await run('redis', config, rdbScript);
    const ours = await run('ours', config, rdbScript);
    expect(redis.some((r) => r.startsWith(RDB_MISCONF_PREFIX))).toBe(true);
    expect(redis.some((r) => r.startsWith('-EXECABORT Transaction discarded because of: MISCONF Redis is configured'))).toBe(true);
    expect(ours).toEqual(redis);
  });
});
