/**
 * Redis 7's multi-part AOF manifest (valkey src/aof.c aofInfo / aofLoadManifestFromFile): the
 * file `<appendfilename>.manifest` in `appenddirname` lists the BASE file (type b), the INCR files
 * in the order they are replayed (type i) and files left over from a rewrite (type h, history):
 *
 *     file appendonly.aof.1.base.rdb seq 1 type b
 *     file appendonly.aof.1.incr.aof seq 1 type i
 *
 * The manifest is the truth: a file not listed in it is never loaded, so every change of the
 * set of files is one atomic rewrite of the manifest (through sink.ts FileSink: temp, fsync, rename).
 */
import * as path from 'node:path';

export interface AofFileInfo {
  readonly name: string;
  readonly seq: number;
}

export interface AofManifest {
  base: (AofFileInfo & { readonly format: 'rdb' | 'aof' }) | undefined;
  incrs: AofFileInfo[];
  history: string[];
}

/** A manifest that cannot be used: which line and what is wrong with it. */
export class AofManifestError extends Error {
  constructor(
    message: string,
    public readonly line: number,
  ) {
    super(message);
  }
}

export function emptyManifest(): AofManifest {
  return { base: undefined, incrs: [], history: [] };
}

export function manifestName(appendfilename: string): string {
  return `${appendfilename}.manifest`;
}

export function baseName(appendfilename: string, seq: number, format: 'rdb' | 'aof'): string {
  return `${appendfilename}.${seq}.base.${format}`;
}

export function incrName(appendfilename: string, seq: number): string {
  return `${appendfilename}.${seq}.incr.aof`;
}

/** The next sequence numbers a rewrite or a new INCR file takes. */
export function nextBaseSeq(m: AofManifest): number {
  return (m.base?.seq ?? 0) + 1;
}

export function nextIncrSeq(m: AofManifest): number {
  return m.incrs.length > 0 ? m.incrs[m.incrs.length - 1].seq + 1 : 1;
}

/** The files a load replays, in order. */
export function filesToLoad(m: AofManifest): Array<{ name: string; kind: 'base' | 'incr' }> {
  const out: Array<{ name: string; kind: 'base' | 'incr' }> = [];
  if (m.base) out.push({ name: m.base.name, kind: 'base' });
  for (const incr of m.incrs) out.push({ name: incr.name, kind: 'incr' });
  return out;
}

/** Parses manifest text; throws AofManifestError naming the line and the problem. */
export function parseManifest(text: string): AofManifest {
  const m = emptyManifest();
  const lines = text.split('\n');
  let lastIncrSeq = 0;
  let sawAny = false;
  for (let i = 0; i < lines.length; i++) {
    const lineNo = i + 1;
    let line = lines[i];
    if (line.endsWith('\r')) line = line.slice(0, -1);
    if (line.trim().length === 0 && i === lines.length - 1) break;
    if (line.startsWith('#')) continue;
    let words: string[];
    try {
      words = splitArgs(line);
    } catch (err) {
      throw new AofManifestError(err instanceof Error ? err.message : String(err), lineNo);
    }
    if (words.length === 0 || words.length % 2 !== 0) throw new AofManifestError('invalid AOF manifest file format (expected key value pairs)', lineNo);
    let name: string | undefined;
    let seq: number | undefined;
    let type: string | undefined;
    for (let j = 0; j < words.length; j += 2) {
      const key = words[j];
      const value = words[j + 1];
      if (key === 'file') name = value;
      else if (key === 'seq') {
        if (!/^[0-9]+$/.test(value)) throw new AofManifestError(`invalid seq '${value}'`, lineNo);
        seq = Number(value);
      } else if (key === 'type') type = value;
      // Unknown keys are skipped, as Redis does, so newer manifests still load.
    }
    if (name === undefined || seq === undefined || type === undefined) {
      throw new AofManifestError('invalid AOF manifest file format (a line needs file, seq and type)', lineNo);
    }
    if (name.includes('/') || name === '..' || name === '.') throw new AofManifestError(`file name '${name}' must not contain a path`, lineNo);
    sawAny = true;
    if (type === 'b') {
      if (m.base !== undefined) throw new AofManifestError('found duplicate base file information', lineNo);
      const ext = path.extname(name);
      m.base = { name, seq, format: ext === '.rdb' ? 'rdb' : 'aof' };
    } else if (type === 'i') {
      if (seq <= lastIncrSeq) throw new AofManifestError(`found a non-monotonic sequence number ${seq} after ${lastIncrSeq}`, lineNo);
      lastIncrSeq = seq;
      m.incrs.push({ name, seq });
    } else if (type === 'h') {
      m.history.push(name);
    } else {
      throw new AofManifestError(`unknown AOF file type '${type}'`, lineNo);
    }
  }
  if (!sawAny) throw new AofManifestError('the manifest lists no files', 1);
  return m;
}

export function formatManifest(m: AofManifest): string {
  let out = '';
  if (m.base) out += `file ${quoted(m.base.name)} seq ${m.base.seq} type b\n`;
  for (const name of m.history) out += `file ${quoted(name)} seq 0 type h\n`;
  for (const incr of m.incrs) out += `file ${quoted(incr.name)} seq ${incr.seq} type i\n`;
  return out;
}

/** Redis writes a name that needs it as a quoted C string (sdscatrepr). */
function quoted(name: string): string {
  if (/^[\x21-\x7e]+$/.test(name) && !name.includes('"') && !name.includes("'") && !name.includes('\\')) return name;
  let out = '"';
  for (const ch of Buffer.from(name, 'latin1')) {
    if (ch === 0x22 || ch === 0x5c) out += `\\${String.fromCharCode(ch)}`;
    else if (ch === 0x0a) out += '\\n';
    else if (ch === 0x0d) out += '\\r';
    else if (ch === 0x09) out += '\\t';
    else if (ch >= 0x20 && ch <= 0x7e) out += String.fromCharCode(ch);
    else out += `\\x${ch.toString(16).padStart(2, '0')}`;
  }
  return `${out}"`;
}

/** sdssplitargs: words separated by spaces, "double" (with \\ escapes) or 'single' quoted. */
export function splitArgs(line: string): string[] {
  const out: string[] = [];
  let i = 0;
  while (i < line.length) {
    while (i < line.length && /\s/.test(line[i])) i++;
    if (i >= line.length) break;
    let word = '';
    if (line[i] === '"') {
      i++;
      for (;;) {
        if (i >= line.length) throw new Error('unbalanced quotes');
        const c = line[i];
        if (c === '"') {
          i++;
          break;
        }
        if (c === '\\' && i + 1 < line.length) {
          const n = line[i + 1];
          if (n === 'x' && /^[0-9a-fA-F]{2}$/.test(line.slice(i + 2, i + 4))) {
            word += String.fromCharCode(parseInt(line.slice(i + 2, i + 4), 16));
            i += 4;
            continue;
          }
          word += n === 'n' ? '\n' : n === 'r' ? '\r' : n === 't' ? '\t' : n === 'b' ? '\b' : n === 'a' ? '\x07' : n;
          i += 2;
          continue;
        }
        word += c;
        i++;
      }
      if (i < line.length && !/\s/.test(line[i])) throw new Error('closing quote must be followed by a space');
    } else if (line[i] === "'") {
      i++;
      for (;;) {
        if (i >= line.length) throw new Error('unbalanced quotes');
        const c = line[i];
        if (c === "'") {
          i++;
          break;
        }
        if (c === '\\' && line[i + 1] === "'") {
          word += "'";
          i += 2;
          continue;
        }
        word += c;
        i++;
      }
      if (i < line.length && !/\s/.test(line[i])) throw new Error('closing quote must be followed by a space');
    } else {
      while (i < line.length && !/\s/.test(line[i])) word += line[i++];
    }
    out.push(word);
  }
  return out;
}
