/**
 * Start-up from a multi-part AOF (valkey src/aof.c loadAppendOnlyFiles / loadSingleAppendOnlyFile):
 * the BASE file (an RDB, or commands, possibly after an RDB preamble), then every INCR file in
 * manifest order, each command run through the dispatcher by a client of our own whose replies
 * are dropped.
 *
 * A file whose last command was cut short (a crash mid-write) loads up to its last whole command
 * and, with aof-load-truncated yes, is truncated there with a warning, as Redis does — only for
 * the last file, where a crash can cut. A MULTI without its EXEC at the end is rolled back the same
 * way. Anything else — bytes that are not a command, an unknown command, a bad RDB, a listed file
 * that is missing, truncation with aof-load-truncated no — stops start-up with an AofLoadError
 * saying which file, what and at which offset; no file is changed then.
 */
import { existsSync, readFileSync, statSync, truncateSync } from 'node:fs';
import * as path from 'node:path';
import { Client } from '../client';
import type { CommandEntry } from '../dispatch';
import type { ServerCore } from '../server';
import { registerClient } from '../services';
import { type AofManifest, filesToLoad } from './aof-manifest';
import { RdbError } from './format';
import { RdbInput } from './input';
import { loadRdb, loadRdbFile } from './load';

export class AofLoadError extends Error {}

export interface AofLoadResult {
  /** Commands replayed. */
  readonly commands: number;
  /** Bytes of every file loaded (INFO's aof_base_size starts from it). */
  readonly bytes: number;
  /** Keys that came from an RDB base or preamble. */
  readonly rdbKeys: number;
}

/** Why parsing stopped before the end of a file. */
type Stop = { kind: 'truncated'; validUpTo: number; inMulti: boolean } | { kind: 'corrupt'; at: number; what: string };

export function loadAofFiles(server: ServerCore, dir: string, manifest: AofManifest): AofLoadResult {
  const files = filesToLoad(manifest);
  const client = loaderClient(server);
  let commands = 0;
  let bytes = 0;
  let rdbKeys = 0;
  const config = (name: string): string | undefined => server.conf.get(name);
  for (let f = 0; f < files.length; f++) {
    const { name, kind } = files[f];
    const file = path.join(dir, name);
    const last = f === files.length - 1;
    if (!existsSync(file)) throw new AofLoadError(`The AOF file ${name} listed in the manifest doesn't exist in ${dir}`);
    const size = statSync(file).size;
    bytes += size;
    if (size === 0) continue;
    if (kind === 'base' && manifest.base?.format === 'rdb') {
      try {
        rdbKeys += loadRdbFile(file, server.keyspace, config, Date.now()).keys;
      } catch (err) {
        throw new AofLoadError(describe(name, err));
      }
      continue;
    }
    const data = readFileSync(file);
    let start = 0;
    if (data.subarray(0, 5).toString('latin1') === 'REDIS') {
      // An RDB preamble, then commands.
      try {
        const result = loadRdb(RdbInput.fromBuffer(data), server.keyspace, config, Date.now(), true);
        rdbKeys += result.keys;
        start = result.bytesRead;
      } catch (err) {
        throw new AofLoadError(describe(name, err));
      }
    }
    const { count, stop } = replay(server, client, data, start);
    commands += count;
    if (stop === undefined) continue;
    if (stop.kind === 'corrupt') {
      throw new AofLoadError(
        `Bad file format reading the append only file ${name} at offset ${stop.at}: ${stop.what}. The file was left untouched; make a backup of it, then fix it (redis-check-aof --fix) or move it away.`,
      );
    }
    const why = stop.inMulti ? 'a MULTI without its EXEC at the end' : 'the last command is cut short';
    if (!last) {
      throw new AofLoadError(`Unexpected end of file reading the append only file ${name} at offset ${stop.validUpTo} (${why}), and it is not the last file of the AOF. The file was left untouched.`);
    }
    if (server.conf.get('aof-load-truncated') !== 'yes') {
      throw new AofLoadError(
        `Unexpected end of file reading the append only file ${name} at offset ${stop.validUpTo} (${why}). The file was left untouched; set aof-load-truncated yes to load it up to its last whole command, or fix it with redis-check-aof --fix.`,
      );
    }
    server.log('warning', `!!! Warning: short read while loading the AOF file ${name}!!! (${why})`);
    server.log('warning', `!!! Truncating the AOF ${name} at offset ${stop.validUpTo} !!!`);
    truncateSync(file, stop.validUpTo);
    bytes -= size - stop.validUpTo;
    server.log('warning', `AOF ${name} loaded anyway because aof-load-truncated is enabled`);
  }
  return { commands, bytes, rdbKeys };
}

function describe(name: string, err: unknown): string {
  if (err instanceof RdbError) {
    return `Failed loading the AOF file ${name} (RDB ${err.unsupported ? 'content we cannot load' : 'corrupt or truncated'}): ${err.message}, at byte offset ${err.offset}. The file was left untouched.`;
  }
  return `Failed loading the AOF file ${name}: ${err instanceof Error ? err.message : String(err)}. The file was left untouched.`;
}

/** Redis's fake client for AOF loading: no socket, every command allowed (an unrestricted user outside the user list), replies dropped. */
function loaderClient(server: ServerCore): Client {
  const client = new Client(0, undefined, 'aof-loader', '', { maxBulkLen: Infinity, queryBufferLimit: Infinity }, server, server.keyspace.databases[0], () => false, server.acl.createDefault());
  registerClient(client);
  return client;
}

/** Runs the commands in data[start..]; stops at the end, at a cut-short command or at bad bytes. */
function replay(server: ServerCore, client: Client, data: Buffer, start: number): { count: number; stop: Stop | undefined } {
  const dispatcher = server.dispatcher;
  let pos = start;
  let count = 0;
  let multi: Array<{ entry: CommandEntry; args: Buffer[] }> | undefined;
  let multiStart = 0;
  while (pos < data.length) {
    const cmdStart = pos;
    const parsed = parseCommand(data, pos);
    if (parsed.kind === 'truncated') {
      return { count, stop: { kind: 'truncated', validUpTo: multi ? multiStart : cmdStart, inMulti: multi !== undefined } };
    }
    if (parsed.kind === 'corrupt') return { count, stop: { kind: 'corrupt', at: parsed.at, what: parsed.what } };
    pos = parsed.next;
    const args = parsed.args;
    const entry = dispatcher.resolve(args);
    const name = args[0].toString('latin1');
    if (entry === undefined) return { count, stop: { kind: 'corrupt', at: cmdStart, what: `unknown command '${name}'` } };
    const arity = entry.spec.arity;
    if ((arity > 0 && arity !== args.length) || args.length < -arity) {
      return { count, stop: { kind: 'corrupt', at: cmdStart, what: `wrong number of arguments for '${entry.fullName}'` } };
    }
    if (entry.fullName === 'multi') {
      if (multi !== undefined) return { count, stop: { kind: 'corrupt', at: cmdStart, what: 'nested MULTI' } };
      multi = [];
      multiStart = cmdStart;
      continue;
    }
    if (entry.fullName === 'exec') {
      if (multi === undefined) return { count, stop: { kind: 'corrupt', at: cmdStart, what: 'EXEC without MULTI' } };
      for (const q of multi) run(server, client, q.entry, q.args);
      count += multi.length;
      multi = undefined;
      continue;
    }
    if (multi !== undefined) {
      multi.push({ entry, args });
      continue;
    }
    run(server, client, entry, args);
    count++;
  }
  if (multi !== undefined) return { count, stop: { kind: 'truncated', validUpTo: multiStart, inMulti: true } };
  return { count, stop: undefined };
}

function run(server: ServerCore, client: Client, entry: CommandEntry, args: Buffer[]): void {
  server.dispatcher.resetClock();
  server.dispatcher.call(client, entry, args);
  client.reply.truncate(0);
}

type Parsed = { kind: 'ok'; args: Buffer[]; next: number } | { kind: 'truncated' } | { kind: 'corrupt'; at: number; what: string };

/** One `*<argc>\r\n($<len>\r\n<bytes>\r\n)*` command at `pos`. */
export function parseCommand(data: Buffer, pos: number): Parsed {
  if (data[pos] !== 0x2a /* * */) return { kind: 'corrupt', at: pos, what: `expected '*' (the start of a command), found byte 0x${data[pos].toString(16).padStart(2, '0')}` };
  const head = readNumberLine(data, pos + 1);
  if (head.kind !== 'ok') return head.kind === 'truncated' ? head : { kind: 'corrupt', at: pos, what: 'bad argument count' };
  if (head.value < 1) return { kind: 'corrupt', at: pos, what: `bad argument count ${head.value}` };
  let at = head.next;
  const args: Buffer[] = [];
  for (let i = 0; i < head.value; i++) {
    if (at >= data.length) return { kind: 'truncated' };
    if (data[at] !== 0x24 /* $ */) return { kind: 'corrupt', at, what: `expected '$' (an argument), found byte 0x${data[at].toString(16).padStart(2, '0')}` };
    const len = readNumberLine(data, at + 1);
    if (len.kind !== 'ok') return len.kind === 'truncated' ? len : { kind: 'corrupt', at, what: 'bad argument length' };
    const end = len.next + len.value;
    if (end + 2 > data.length) return { kind: 'truncated' };
    if (data[end] !== 13 || data[end + 1] !== 10) return { kind: 'corrupt', at: end, what: 'argument not followed by CRLF' };
    args.push(Buffer.from(data.subarray(len.next, end)));
    at = end + 2;
  }
  return { kind: 'ok', args, next: at };
}

function readNumberLine(data: Buffer, pos: number): { kind: 'ok'; value: number; next: number } | { kind: 'truncated' } | { kind: 'bad' } {
  let value = 0;
  let i = pos;
  for (; i < data.length && i - pos < 20; i++) {
    const c = data[i];
    if (c === 13) break;
    if (c < 0x30 || c > 0x39) return { kind: 'bad' };
    value = value * 10 + (c - 0x30);
  }
  if (i >= data.length || i + 1 >= data.length) return { kind: 'truncated' };
  if (i === pos || data[i] !== 13 || data[i + 1] !== 10) return { kind: 'bad' };
  return { kind: 'ok', value, next: i + 2 };
}
