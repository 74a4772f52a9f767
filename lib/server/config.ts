/**
 * Server configuration: every parameter with its type, default and bounds, as Redis's config.c
 * table. CONFIG GET matches names with globs, CONFIG SET validates all pairs before applying any
 * (Redis 7's atomic multi-set), and redis.conf files and `--name value` command lines are read
 * with the same rules. Error texts follow Redis 7.0.
 */
import { globMatch } from './util/glob';
import { splitInlineArgs } from './protocol/resp-parser';

type ParamType = 'bool' | 'int' | 'memory' | 'enum' | 'string' | 'special';

interface ParamDef {
  readonly name: string;
  readonly aliases?: readonly string[];
  readonly type: ParamType;
  readonly defaultValue: string;
  readonly min?: number;
  readonly max?: number;
  readonly values?: readonly string[];
  /** Cannot change at runtime (CONFIG SET refuses; config file and command line may set it). */
  readonly immutable?: boolean;
  /** Extra validation for 'special' and 'string' types; returns an error reason or undefined. */
  readonly validate?: (value: string) => string | undefined;
  /** Normalises the stored text (e.g. memory values print as bytes). */
  readonly normalize?: (value: string) => string;
}

const LLONG_MAX = 9223372036854775807;
const INT_MAX = 2147483647;

const MEMORY_UNITS: Record<string, number> = {
  '': 1,
  b: 1,
  k: 1000,
  kb: 1024,
  m: 1000 * 1000,
  mb: 1024 * 1024,
  g: 1000 * 1000 * 1000,
  gb: 1024 * 1024 * 1024,
};

/** Redis's memtoull: "100mb", "1gb", "512"; undefined when not a memory value. */
export function parseMemory(text: string): number | undefined {
  const m = /^(-?\d+)([a-zA-Z]*)$/.exec(text);
  if (!m) return undefined;
  const unit = MEMORY_UNITS[m[2].toLowerCase()];
  if (unit === undefined) return undefined;
  const n = Number(m[1]);
  if (n < 0) return undefined;
  return n * unit;
}

const POLICIES = [
  'volatile-lru',
  'volatile-lfu',
  'volatile-random',
  'volatile-ttl',
  'allkeys-lru',
  'allkeys-lfu',
  'allkeys-random',
  'noeviction',
] as const;
export type EvictionPolicy = (typeof POLICIES)[number];

function validateSave(value: string): string | undefined {
  const parts = value.split(' ').filter((p) => p.length > 0);
  if (parts.length % 2 !== 0) return 'Invalid save parameters';
  for (const p of parts) if (!/^\d+$/.test(p)) return 'Invalid save parameters';
  return undefined;
}

function validateOutputBufferLimit(value: string): string | undefined {
  const parts = value.split(' ').filter((p) => p.length > 0);
  if (parts.length % 4 !== 0) return 'Wrong number of arguments in buffer limit configuration.';
  for (let i = 0; i < parts.length; i += 4) {
    if (!['normal', 'replica', 'slave', 'pubsub'].includes(parts[i].toLowerCase())) return 'Invalid client class specified in buffer limit configuration.';
    if (parseMemory(parts[i + 1]) === undefined || parseMemory(parts[i + 2]) === undefined || !/^\d+$/.test(parts[i + 3])) {
      return 'Error in hard, soft or soft_seconds setting in buffer limit configuration.';
    }
  }
  return undefined;
}

function normalizeOutputBufferLimit(value: string): string {
  const classes: Record<string, string> = { normal: '0 0 0', slave: '268435456 67108864 60', pubsub: '33554432 8388608 60' };
  const parts = value.split(' ').filter((p) => p.length > 0);
  for (let i = 0; i + 3 < parts.length; i += 4) {
    let cls = parts[i].toLowerCase();
    if (cls === 'replica') cls = 'slave';
    classes[cls] = `${parseMemory(parts[i + 1])} ${parseMemory(parts[i + 2])} ${Number(parts[i + 3])}`;
  }
  return `normal ${classes.normal} slave ${classes.slave} pubsub ${classes.pubsub}`;
}

function bool(name: string, defaultValue: 'yes' | 'no', extra: Partial<ParamDef> = {}): ParamDef {
  return { name, type: 'bool', defaultValue, ...extra };
}
function int(name: string, defaultValue: number, min: number, max: number, extra: Partial<ParamDef> = {}): ParamDef {
  return { name, type: 'int', defaultValue: String(defaultValue), min, max, ...extra };
}
function memory(name: string, defaultValue: number, min: number, max: number, extra: Partial<ParamDef> = {}): ParamDef {
  return { name, type: 'memory', defaultValue: String(defaultValue), min, max, ...extra };
}
function str(name: string, defaultValue: string, extra: Partial<ParamDef> = {}): ParamDef {
  return { name, type: 'string', defaultValue, ...extra };
}
function enumeration(name: string, defaultValue: string, values: readonly string[], extra: Partial<ParamDef> = {}): ParamDef {
  return { name, type: 'enum', defaultValue, values, ...extra };
}

const PARAMS: readonly ParamDef[] = [
  int('port', 6379, 0, 65535, { immutable: true }),
  str('bind', '* -::*', { immutable: true }),
  bool('protected-mode', 'yes'),
  int('tcp-backlog', 511, 0, INT_MAX, { immutable: true }),
  int('timeout', 0, 0, INT_MAX),
  int('tcp-keepalive', 300, 0, INT_MAX),
  int('databases', 16, 1, INT_MAX, { immutable: true }),
  int('hz', 10, 0, INT_MAX),
  bool('dynamic-hz', 'yes'),
  int('maxclients', 10000, 1, INT_MAX),
  str('requirepass', ''),
  str('aclfile', '', { immutable: true }),
  int('acllog-max-len', 128, 0, LLONG_MAX),
  enumeration('acl-pubsub-default', 'resetchannels', ['allchannels', 'resetchannels']),
  str('masterauth', ''),
  str('masteruser', ''),
  enumeration('loglevel', 'notice', ['debug', 'verbose', 'notice', 'warning']),
  str('logfile', '', { immutable: true }),
  str('pidfile', '', { immutable: true }),
  bool('daemonize', 'no', { immutable: true }),
  str('dir', process.cwd()),
  str('dbfilename', 'dump.rdb'),
  { name: 'save', type: 'special', defaultValue: '3600 1 300 100 60 10000', validate: validateSave },
  bool('appendonly', 'no'),
  str('appendfilename', 'appendonly.aof', { immutable: true }),
  str('appenddirname', 'appendonlydir', { immutable: true }),
  enumeration('appendfsync', 'everysec', ['always', 'everysec', 'no']),
  bool('aof-use-rdb-preamble', 'yes'),
  bool('aof-load-truncated', 'yes'),
  bool('aof-timestamp-enabled', 'no'),
  bool('no-appendfsync-on-rewrite', 'no'),
  bool('aof-rewrite-incremental-fsync', 'yes'),
  int('auto-aof-rewrite-percentage', 100, 0, INT_MAX),
  memory('auto-aof-rewrite-min-size', 64 * 1024 * 1024, 0, LLONG_MAX),
  bool('stop-writes-on-bgsave-error', 'yes'),
  bool('rdbcompression', 'yes'),
  bool('rdbchecksum', 'yes'),
  memory('maxmemory', 0, 0, LLONG_MAX),
  enumeration('maxmemory-policy', 'noeviction', POLICIES),
  int('maxmemory-samples', 5, 1, 64),
  int('maxmemory-eviction-tenacity', 10, 0, 100),
  int('active-expire-effort', 1, 1, 10),
  int('lfu-log-factor', 10, 0, INT_MAX),
  int('lfu-decay-time', 1, 0, INT_MAX),
  bool('lazyfree-lazy-eviction', 'no'),
  bool('lazyfree-lazy-expire', 'no'),
  bool('lazyfree-lazy-server-del', 'no'),
  bool('lazyfree-lazy-user-del', 'no'),
  bool('lazyfree-lazy-user-flush', 'no'),
  memory('proto-max-bulk-len', 512 * 1024 * 1024, 1024 * 1024, LLONG_MAX),
  memory('client-query-buffer-limit', 1024 * 1024 * 1024, 1024 * 1024, LLONG_MAX),
  { name: 'client-output-buffer-limit', type: 'special', defaultValue: 'normal 0 0 0 slave 268435456 67108864 60 pubsub 33554432 8388608 60', validate: validateOutputBufferLimit, normalize: normalizeOutputBufferLimit },
  int('slowlog-log-slower-than', 10000, -1, LLONG_MAX),
  int('slowlog-max-len', 128, 0, LLONG_MAX),
  int('latency-monitor-threshold', 0, 0, LLONG_MAX),
  bool('latency-tracking', 'yes'),
  str('notify-keyspace-events', ''),
  bool('activerehashing', 'yes'),
  int('hash-max-listpack-entries', 128, 0, LLONG_MAX, { aliases: ['hash-max-ziplist-entries'] }),
  int('hash-max-listpack-value', 64, 0, LLONG_MAX, { aliases: ['hash-max-ziplist-value'] }),
  int('list-max-listpack-size', -2, -5, INT_MAX, { aliases: ['list-max-ziplist-size'] }),
  int('list-compress-depth', 0, 0, INT_MAX),
  int('set-max-intset-entries', 512, 0, LLONG_MAX),
  int('set-max-listpack-entries', 128, 0, LLONG_MAX),
  int('set-max-listpack-value', 64, 0, LLONG_MAX),
  int('zset-max-listpack-entries', 128, 0, LLONG_MAX, { aliases: ['zset-max-ziplist-entries'] }),
  int('zset-max-listpack-value', 64, 0, LLONG_MAX, { aliases: ['zset-max-ziplist-value'] }),
  int('hll-sparse-max-bytes', 3000, 0, LLONG_MAX),
  int('stream-node-max-bytes', 4096, 0, LLONG_MAX),
  int('stream-node-max-entries', 100, 0, LLONG_MAX),
  int('busy-reply-threshold', 5000, 0, LLONG_MAX, { aliases: ['lua-time-limit'] }),
  bool('cluster-enabled', 'no', { immutable: true }),
  bool('replica-read-only', 'yes', { aliases: ['slave-read-only'] }),
  int('io-threads', 1, 1, 128, { immutable: true }),
  enumeration('enable-debug-command', 'no', ['no', 'yes', 'local'], { immutable: true }),
  enumeration('enable-protected-configs', 'no', ['no', 'yes', 'local'], { immutable: true }),
  str('unixsocket', '', { immutable: true }),
  // TLS (tls.ts): tls-port is bound at start-up; the context parameters reload on CONFIG SET.
  int('tls-port', 0, 0, 65535, { immutable: true }),
  str('tls-cert-file', ''),
  str('tls-key-file', ''),
  str('tls-key-file-pass', ''),
  str('tls-ca-cert-file', ''),
  str('tls-ca-cert-dir', ''),
  enumeration('tls-auth-clients', 'yes', ['no', 'yes', 'optional']),
  str('tls-protocols', ''),
  str('tls-ciphers', ''),
  str('tls-ciphersuites', ''),
  bool('tls-prefer-server-ciphers', 'no'),
];

/** Error text after "ERR CONFIG SET failed (possibly related to argument '<name>') - ". */
function checkValue(def: ParamDef, value: string): string | undefined {
  switch (def.type) {
    case 'bool':
      return /^(yes|no)$/i.test(value) ? undefined : "argument must be 'yes' or 'no'";
    case 'int': {
      if (!/^-?\d+$/.test(value)) return "argument couldn't be parsed into an integer";
      const n = Number(value);
      if (n < (def.min as number) || n > (def.max as number)) return `argument must be between ${def.min} and ${def.max} inclusive`;
      return undefined;
    }
    case 'memory': {
      const n = parseMemory(value);
      if (n === undefined) return 'argument must be a memory value';
      if (n < (def.min as number) || n > (def.max as number)) return `argument must be between ${def.min} and ${def.max} inclusive`;
      return undefined;
    }
    case 'enum':
      return (def.values as readonly string[]).includes(value.toLowerCase())
        ? undefined
        : `argument(s) must be one of the following: ${(def.values as readonly string[]).join(', ')}`;
    default:
      return def.validate ? def.validate(value) : undefined;
  }
}

function normalizeValue(def: ParamDef, value: string): string {
  switch (def.type) {
    case 'bool':
    case 'enum':
      return value.toLowerCase();
    case 'int':
      return String(Number(value));
    case 'memory':
      return String(parseMemory(value));
    default:
      return def.normalize ? def.normalize(value) : value;
  }
}

export type ConfigListener = (name: string, value: string) => void;

/**
 * Judges a CONFIG SET whose new values are valid one by one but must work together (e.g. the
 * TLS files): sees the proposed values and the first parameter named, returns the reason to
 * refuse, or undefined to go ahead.
 */
export type ConfigCheck = (proposed: (name: string) => string, touched: string) => string | undefined;

export class ConfigError extends Error {}

export class Config {
  private readonly values = new Map<string, string>();
  private readonly byName = new Map<string, ParamDef>();
  private readonly listeners: ConfigListener[] = [];
  private readonly checks: Array<{ names: ReadonlySet<string>; check: ConfigCheck }> = [];
  /** `user <name> <rules…>` directives, in file order: the ACL loads them at start-up (acl/startup.ts). */
  public readonly users: string[][] = [];
  /** The config file this server was started with, for CONFIG REWRITE and INFO config_file. */
  public configFile = '';
  /** Bumped by every change to any parameter, so hot paths may cache what they derive from it. */
  public version = 0;

  constructor() {
    for (const def of PARAMS) {
      this.byName.set(def.name, def);
      for (const alias of def.aliases ?? []) this.byName.set(alias, def);
      this.values.set(def.name, normalizeValue(def, def.defaultValue));
    }
  }

  public onChange(listener: ConfigListener): void {
    this.listeners.push(listener);
  }

  /** Runs `check` before any CONFIG SET touching one of `names` is applied; its refusal leaves everything unchanged. */
  public addCheck(names: ReadonlySet<string>, check: ConfigCheck): void {
    this.checks.push({ names, check });
  }

  public get(name: string): string | undefined {
    // Commands read their parameters by canonical name on every call (list-max-listpack-size on
    // each LPUSH): one lookup then, without lowercasing or resolving an alias.
    const value = this.values.get(name);
    if (value !== undefined) return value;
    const def = this.byName.get(name.toLowerCase());
    return def ? this.values.get(def.name) : undefined;
  }

  public getNumber(name: string): number {
    return Number(this.get(name));
  }

  public getBool(name: string): boolean {
    return this.get(name) === 'yes';
  }

  /** CONFIG GET: every (name, value) whose name or alias matches one of the patterns. */
  public match(patterns: readonly string[]): Array<[string, string]> {
    const out = new Map<string, string>();
    for (const pattern of patterns) {
      const lower = pattern.toLowerCase();
      const exact = this.byName.get(lower);
      if (exact && !/[*?[\\]/.test(lower)) {
        out.set(lower, this.values.get(exact.name) as string);
        continue;
      }
      for (const [name, def] of this.byName) {
        if (globMatch(lower, name, true)) out.set(name, this.values.get(def.name) as string);
      }
    }
    return Array.from(out.entries());
  }

  /**
   * CONFIG SET name value [name value …]: validates everything first; returns an error reply
   * text, or undefined after applying all pairs.
   */
  public setMany(pairs: ReadonlyArray<[string, string]>): string | undefined {
    const seen = new Set<string>();
    const resolved: Array<[ParamDef, string]> = [];
    for (const [rawName, value] of pairs) {
      const def = this.byName.get(rawName.toLowerCase());
      if (!def) return `ERR Unknown option or number of arguments for CONFIG SET - '${rawName}'`;
      if (def.immutable) return `ERR CONFIG SET failed (possibly related to argument '${rawName}') - can't set immutable config`;
      if (seen.has(def.name)) return `ERR CONFIG SET failed (possibly related to argument '${rawName}') - duplicate parameter`;
      seen.add(def.name);
      const problem = checkValue(def, value);
      if (problem) return `ERR CONFIG SET failed (possibly related to argument '${rawName}') - ${problem}`;
      resolved.push([def, value]);
    }
    for (const { names, check } of this.checks) {
      const touched = pairs.find(([rawName]) => names.has((this.byName.get(rawName.toLowerCase()) as ParamDef).name));
      if (touched === undefined) continue;
      const proposed = new Map(resolved.map(([def, value]) => [def.name, normalizeValue(def, value)]));
      const problem = check((name) => proposed.get(name) ?? (this.get(name) as string), touched[0]);
      if (problem) return `ERR CONFIG SET failed (possibly related to argument '${touched[0]}') - ${problem}`;
    }
    for (const [def, value] of resolved) this.apply(def, value);
    return undefined;
  }

  /** Sets one parameter at startup (file or command line): immutable ones are allowed. Throws ConfigError. */
  public setInitial(name: string, value: string): void {
    const def = this.byName.get(name.toLowerCase());
    if (!def) throw new ConfigError('Bad directive or wrong number of arguments');
    const problem = checkValue(def, value);
    if (problem) throw new ConfigError(problem);
    this.apply(def, value);
  }

  /** Every parameter with its default value. */
  public defaults(): Array<[string, string]> {
    return PARAMS.map((def) => [def.name, normalizeValue(def, def.defaultValue)]);
  }

  /** Every parameter with its current value (CONFIG REWRITE, INFO). */
  public entries(): Array<[string, string]> {
    return PARAMS.map((def) => [def.name, this.values.get(def.name) as string]);
  }

  private apply(def: ParamDef, value: string): void {
    const normalized = normalizeValue(def, value);
    this.values.set(def.name, normalized);
    this.version++;
    for (const l of this.listeners) l(def.name, normalized);
  }
}

/**
 * Parses redis.conf text into (name, args) directives, as loadServerConfigFromString:
 * one directive per line, '#' comments, arguments split like inline commands.
 */
export function parseConfigText(text: string): Array<{ line: number; text: string; name: string; args: string[] }> {
  const out: Array<{ line: number; text: string; name: string; args: string[] }> = [];
  const lines = text.split('\n');
  for (let i = 0; i < lines.length; i++) {
    const raw = lines[i].trim();
    if (raw.length === 0 || raw.startsWith('#')) continue;
    const parts = splitInlineArgs(Buffer.from(raw, 'latin1'));
    if (parts === undefined) throw new ConfigError(`Unbalanced quotes in configuration line|${i + 1}|${raw}`);
    if (parts.length === 0) continue;
    out.push({ line: i + 1, text: raw, name: parts[0].toString('latin1').toLowerCase(), args: parts.slice(1).map((p) => p.toString('latin1')) });
  }
  return out;
}

/** Applies parsed directives; multi-argument directives (save, client-output-buffer-limit) join their arguments. */
export function applyConfigDirectives(config: Config, directives: ReturnType<typeof parseConfigText>): void {
  const saves: string[] = [];
  for (const d of directives) {
    try {
      if (d.name === 'save') {
        // Several `save` lines accumulate; `save ""` resets.
        const value = d.args.join(' ');
        if (value === '') saves.length = 0;
        else saves.push(value);
        config.setInitial('save', saves.join(' '));
        continue;
      }
      if (d.name === 'user') {
        config.users.push(d.args);
        continue;
      }
      if (d.name === 'include' || d.name === 'rename-command' || d.name === 'loadmodule') continue;
      if (d.args.length === 0) throw new ConfigError('wrong number of arguments');
      config.setInitial(d.name, d.args.join(' '));
    } catch (err) {
      const reason = err instanceof Error ? err.message : String(err);
      throw new ConfigError(`${reason}|${d.line}|${d.text}`);
    }
  }
}

/**
 * Turns redis-server's command line (`[config-file] [--name value ...]`) into a config file
 * path and directive text, exactly as redis-server appends options to the file's contents.
 */
export function parseCommandLine(argv: readonly string[]): { configFile?: string; text: string } {
  let i = 0;
  let configFile: string | undefined;
  if (argv.length > 0 && !argv[0].startsWith('--')) {
    configFile = argv[0];
    i = 1;
  }
  const lines: string[] = [];
  let current: string[] | undefined;
  for (; i < argv.length; i++) {
    const arg = argv[i];
    if (arg.startsWith('--') && arg.length > 2 && !/^--\d/.test(arg)) {
      if (current) lines.push(current.join(' '));
      current = [arg.slice(2)];
    } else if (current) {
      current.push(quoteArg(arg));
    } else {
      throw new ConfigError(`Invalid argument '${arg}'`);
    }
  }
  if (current) lines.push(current.join(' '));
  return { configFile, text: lines.join('\n') };
}

function quoteArg(arg: string): string {
  if (arg.length > 0 && !/[\s"'\\]/.test(arg)) return arg;
  return `"${arg.replace(/\\/g, '\\\\').replace(/"/g, '\\"').replace(/\n/g, '\\n').replace(/\r/g, '\\r')}"`;
}
