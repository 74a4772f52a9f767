/**
 * RDB save and load time for the same dataset on each server.
 *
 * Save: a synchronous SAVE, timed by the client from sending it to the +OK.
 * Load: the server is stopped and started again on the same dir; both servers log
 * "DB loaded from disk: S seconds" (timed inside the server from opening the file to the last
 * key), which is what is reported — process start-up (Node's own ~50 ms) is not counted.
 */
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { performance } from 'node:perf_hooks';
import { LOOPBACK, RawClient, startOurServer, startRedisServer, type ServerHandle, type ServerKind } from '../test/support';
import { loadCommands } from './pipelined-load';
import { trackServer } from './processes';

export interface RdbTiming {
  readonly keys: number;
  readonly fileBytes: number;
  readonly saveSeconds: number;
  readonly loadSeconds: number;
}

const DBFILENAME = 'bench.rdb';

function start(kind: ServerKind, dir: string): Promise<ServerHandle> {
  if (kind === 'redis') return startRedisServer({ config: { dir, dbfilename: DBFILENAME } });
  // Given after startOurServer's own --dir, so ours wins (the last directive counts, as in Redis).
  return startOurServer({ mode: 'child', args: ['--dir', dir, '--dbfilename', DBFILENAME] });
}

async function command(port: number, timeoutMs: number, ...args: string[]): Promise<string> {
  const client = await RawClient.connect(port, LOOPBACK);
  try {
    await client.send(...args);
    const reply = await client.read(timeoutMs);
    if (reply.kind !== 'reply') throw new Error(`${args.join(' ')}: ${reply.kind} after ${timeoutMs} ms`);
    return reply.bytes.toString('latin1');
  } finally {
    await client.close();
  }
}

/** Loads `keys` keys with `command(i)`, SAVEs, restarts and reads the load time from the log. */
export async function timeRdb(kind: ServerKind, keys: number, load: (i: number) => string): Promise<RdbTiming> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), `bench-rdb-${kind}-`));
  try {
    const first = trackServer(await start(kind, dir));
    let saveSeconds: number;
    try {
      await loadCommands(first.port, keys, load);
      const t0 = performance.now();
      const reply = await command(first.port, 600_000, 'SAVE');
      saveSeconds = (performance.now() - t0) / 1000;
      if (reply !== '+OK\r\n') throw new Error(`${kind}: SAVE replied ${reply.trim()}`);
    } finally {
      await first.stop();
    }
    const fileBytes = fs.statSync(path.join(dir, DBFILENAME)).size;
    const second = trackServer(await start(kind, dir));
    try {
      const size = Number((await command(second.port, 10_000, 'DBSIZE')).slice(1));
      if (size !== keys) throw new Error(`${kind}: DBSIZE ${size} after loading an RDB of ${keys} keys`);
      const logged = /DB loaded from disk: ([\d.]+) seconds/.exec(second.output());
      if (logged === null) throw new Error(`${kind}: no "DB loaded from disk" line in the log:\n${second.output().slice(-2000)}`);
      return { keys, fileBytes, saveSeconds, loadSeconds: Number(logged[1]) };
    } finally {
      await second.stop();
    }
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
}
