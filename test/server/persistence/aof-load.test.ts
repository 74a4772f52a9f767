/**
 * Start-up from an AOF that a crash or a bad disk left damaged, as redis-server 7.0 handles it:
 * a last command cut short loads up to the last whole command, with a warning, and the file is
 * truncated there (aof-load-truncated yes) or start-up is refused (no); a MULTI without its EXEC
 * at the end is rolled back the same way; bad bytes in the middle, a bad manifest, a corrupt RDB
 * BASE or a listed file that is missing stop start-up with a message naming the file, what is
 * wrong and where — and every file is left byte for byte as it was.
 */
import { appendFileSync, readdirSync, readFileSync, statSync, unlinkSync, writeFileSync } from 'node:fs';
import * as path from 'node:path';
import { startServer, type CacheServer } from '../../../lib/server';
import { TestClient } from '../support/resp-client';
import { datasetOf, pipeline, tempDir } from './aof-support';

jest.setTimeout(60000);

const INCR = 'appendonly.aof.1.incr.aof';
const BASE = 'appendonly.aof.1.base.rdb';

interface Started {
  server: CacheServer;
  logs: string[];
}

async function start(dir: string, extra: Record<string, string> = {}): Promise<Started> {
  const logs: string[] = [];
  const server = await startServer({ port: 0, bind: '127.0.0.1', logger: (line) => logs.push(line), config: { dir, appendonly: 'yes', save: '', ...extra } });
  return { server, logs };
}

async function startFails(dir: string, extra: Record<string, string> = {}): Promise<string> {
  try {
    const { server } = await start(dir, extra);
    await server.close();
  } catch (err) {
    return err instanceof Error ? err.message : String(err);
  }
  throw new Error('start-up succeeded');
}

/** Every file of the AOF folder with its bytes. */
function snapshotFiles(dir: string): Map<string, Buffer> {
  const aofDir = path.join(dir, 'appendonlydir');
  return new Map(readdirSync(aofDir).map((f) => [f, readFileSync(path.join(aofDir, f))]));
}

/** A folder whose AOF holds the empty BASE made at first start and an INCR with writes in DBs 0 and 1. */
async function writtenAof(): Promise<{ dir: string; remove: () => void; expected: Map<string, unknown> }> {
  const t = tempDir('load');
  const { server } = await start(t.dir);
  const c = await TestClient.connect(server.port);
  await pipeline(c, [['SET', 'a', '1'], ['RPUSH', 'l', 'x', 'y'], ['SET', 'b', '2', 'EX', '1000'], ['HSET', 'h', 'f', 'v'], ['SELECT', '1'], ['SADD', 's', 'm']]);
  const expected = await datasetOf(c, [0, 1]);
  c.close();
  await server.close();
  return { ...t, expected };
}

const incrPath = (dir: string): string => path.join(dir, 'appendonlydir', INCR);

test('a cut-short last command: loads up to the last whole one, warns, truncates the file there', async () => {
  const { dir, remove, expected } = await writtenAof();
  try {
    const goodSize = statSync(incrPath(dir)).size;
    appendFileSync(incrPath(dir), '*3\r\n$3\r\nSET\r\n$4\r\nlost\r\n$10\r\nhalf');
    const { server, logs } = await start(dir);
    try {
      const c = await TestClient.connect(server.port);
      expect(await datasetOf(c, [0, 1])).toEqual(expected);
      expect(await c.call('EXISTS', 'lost')).toBe(0);
      // The file goes on from the last whole command: later writes load too.
      expect(await c.call('SET', 'after', 'restart')).toBe('OK');
      c.close();
    } finally {
      await server.close();
    }
    expect(logs.join('\n')).toContain(`!!! Warning: short read while loading the AOF file ${INCR}!!!`);
    expect(logs.join('\n')).toContain(`!!! Truncating the AOF ${INCR} at offset ${goodSize} !!!`);
    const again = await start(dir);
    const c = await TestClient.connect(again.server.port);
    expect(await c.call('GET', 'after')).toBe('restart');
    c.close();
    await again.server.close();
  } finally {
    remove();
  }
});

test('a MULTI without its EXEC at the end is rolled back', async () => {
  const { dir, remove, expected } = await writtenAof();
  try {
    const goodSize = statSync(incrPath(dir)).size;
    appendFileSync(incrPath(dir), '*1\r\n$5\r\nMULTI\r\n*3\r\n$3\r\nSET\r\n$2\r\ntx\r\n$1\r\n1\r\n');
    const { server, logs } = await start(dir);
    const c = await TestClient.connect(server.port);
    expect(await datasetOf(c, [0, 1])).toEqual(expected);
    c.close();
    await server.close();
    expect(logs.join('\n')).toContain('a MULTI without its EXEC');
    expect(statSync(incrPath(dir)).size).toBe(goodSize);
  } finally {
    remove();
  }
});

test('aof-load-truncated no: a cut-short file stops start-up and stays as it was', async () => {
  const { dir, remove } = await writtenAof();
  try {
    const goodSize = statSync(incrPath(dir)).size;
    appendFileSync(incrPath(dir), '*2\r\n$3\r\nDEL\r\n$1');
    const before = snapshotFiles(dir);
    const message = await startFails(dir, { 'aof-load-truncated': 'no' });
    expect(message).toContain(`Unexpected end of file reading the append only file ${INCR} at offset ${goodSize}`);
    expect(message).toContain('aof-load-truncated');
    expect(snapshotFiles(dir)).toEqual(before);
  } finally {
    remove();
  }
});

const spoilers: Array<[string, (dir: string) => void, RegExp]> = [
  [
    'bad bytes in the middle of an INCR file',
    (dir) => {
      const data = readFileSync(incrPath(dir));
      const second = data.indexOf('*', 1);
      data[second] = 0x23; // '#'
      writeFileSync(incrPath(dir), data);
    },
    new RegExp(`Bad file format reading the append only file ${INCR.replace(/\./g, '\\.')} at offset \\d+: expected '\\*' \\(the start of a command\\), found byte 0x23`),
  ],
  [
    'an unknown command',
    (dir) => appendFileSync(incrPath(dir), '*1\r\n$7\r\nNOTACMD\r\n'),
    /Bad file format reading the append only file appendonly\.aof\.1\.incr\.aof at offset \d+: unknown command 'NOTACMD'/,
  ],
  [
    'a manifest that is not one',
    (dir) => writeFileSync(path.join(dir, 'appendonlydir', 'appendonly.aof.manifest'), 'this is not a manifest\n'),
    /Failed loading the AOF manifest .*appendonly\.aof\.manifest at line 1: invalid AOF manifest file format/,
  ],
  [
    'a corrupt RDB BASE',
    (dir) => {
      const file = path.join(dir, 'appendonlydir', BASE);
      const data = readFileSync(file);
      data[data.length - 3] ^= 0xff;
      writeFileSync(file, data);
    },
    /Failed loading the AOF file appendonly\.aof\.1\.base\.rdb \(RDB corrupt or truncated\): wrong RDB checksum.*at byte offset \d+/,
  ],
];

test.each(spoilers)('%s stops start-up, says what and where, and leaves every file as it was', async (_name, spoil, message) => {
  const { dir, remove } = await writtenAof();
  try {
    spoil(dir);
    const before = snapshotFiles(dir);
    expect(await startFails(dir)).toMatch(message);
    expect(snapshotFiles(dir)).toEqual(before);
  } finally {
    remove();
  }
});

test('an INCR file listed in the manifest but missing stops start-up', async () => {
  const { dir, remove } = await writtenAof();
  try {
    unlinkSync(incrPath(dir));
    const before = snapshotFiles(dir);
    expect(await startFails(dir)).toContain(`The AOF file ${INCR} listed in the manifest doesn't exist`);
    expect(snapshotFiles(dir)).toEqual(before);
  } finally {
    remove();
  }
});

test('appendonly yes without an AOF starts empty even beside a dump.rdb, and creates BASE, INCR and manifest', async () => {
  const { dir, remove } = tempDir('fresh');
  try {
    const rdbServer = await startServer({ port: 0, bind: '127.0.0.1', config: { dir, save: '' } });
    const c0 = await TestClient.connect(rdbServer.port);
    await c0.call('SET', 'in-rdb', '1');
    expect(await c0.call('SAVE')).toBe('OK');
    c0.close();
    await rdbServer.close();
    const { server, logs } = await start(dir);
    const c = await TestClient.connect(server.port);
    expect(await c.call('DBSIZE')).toBe(0);
    c.close();
    await server.close();
    expect(readdirSync(path.join(dir, 'appendonlydir')).sort()).toEqual([BASE, INCR, 'appendonly.aof.manifest']);
    expect(readFileSync(path.join(dir, 'appendonlydir', 'appendonly.aof.manifest'), 'latin1')).toBe(`file ${BASE} seq 1 type b\nfile ${INCR} seq 1 type i\n`);
    expect(logs.join('\n')).toContain(`Creating AOF base file ${BASE} on server start`);
  } finally {
    remove();
  }
});
