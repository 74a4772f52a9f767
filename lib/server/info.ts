/**
 * INFO's text, section by section, with the field names Redis 7 uses so that clients and
 * monitoring tools that parse INFO keep working. Values this server cannot know (allocator
 * internals, fork stats) are reported as Redis reports them when idle: zeros and "ok".
 */
import * as os from 'node:os';
import type { CommandEntry } from './dispatch';
import { persistenceInfo } from './persistence/manager';
import type { ServerCore } from './server';
import { SERVER_VERSION } from './version';

const DEFAULT_SECTIONS = ['server', 'clients', 'memory', 'persistence', 'stats', 'replication', 'cpu', 'module_list', 'errorstats', 'cluster', 'keyspace'];
const ALL_SECTIONS = [
  'server',
  'clients',
  'memory',
  'persistence',
  'stats',
  'replication',
  'cpu',
  'module_list',
  'commandstats',
  'errorstats',
  'latencystats',
  'cluster',
  'keyspace',
];

/** Redis's bytesToHuman. */
export function bytesToHuman(n: number): string {
  if (n < 1024) return `${n}B`;
  const units = ['K', 'M', 'G', 'T', 'P', 'E'];
  let value = n / 1024;
  let i = 0;
  while (value >= 1024 && i < units.length - 1) {
    value /= 1024;
    i++;
  }
  return `${value.toFixed(2)}${units[i]}`;
}

function section(title: string, fields: Array<[string, string | number]>): string {
  let out = `# ${title}\r\n`;
  for (const [k, v] of fields) out += `${k}:${v}\r\n`;
  return out;
}

function sectionServer(server: ServerCore): string {
  const uptime = Math.floor((Date.now() - server.startedAt) / 1000);
  const port = server.listening[0]?.port ?? server.conf.getNumber('port');
  return section('Server', [
    ['redis_version', SERVER_VERSION],
    ['redis_git_sha1', '00000000'],
    ['redis_git_dirty', 0],
    ['redis_build_id', 'cdk-valkey'],
    ['redis_mode', 'standalone'],
    ['os', `${os.type()} ${os.release()} ${os.arch()}`],
    ['arch_bits', 64],
    ['monotonic_clock', 'POSIX clock_gettime'],
    ['multiplexing_api', 'epoll'],
    ['atomicvar_api', 'c11-builtin'],
    ['gcc_version', '0.0.0'],
    ['process_id', process.pid],
    ['process_supervised', 'no'],
    ['run_id', server.runId],
    ['tcp_port', port],
    ['server_time_usec', Date.now() * 1000],
    ['uptime_in_seconds', uptime],
    ['uptime_in_days', Math.floor(uptime / 86400)],
    ['hz', server.conf.getNumber('hz')],
    ['configured_hz', server.conf.getNumber('hz')],
    ['lru_clock', Math.floor(Date.now() / 1000) & 0xffffff],
    ['executable', process.argv[1] ?? ''],
    ['config_file', server.conf.configFile],
    ['io_threads_active', 0],
    ['node_version', process.version],
  ]);
}

function sectionClients(server: ServerCore): string {
  let pubsubClients = 0;
  let watching = 0;
  let maxIn = 0;
  let maxOut = 0;
  for (const c of server.clients.values()) {
    if (c.subscriptionCount > 0) pubsubClients++;
    if (c.watched.length > 0) watching++;
    maxIn = Math.max(maxIn, c.parser.pendingBytes);
    maxOut = Math.max(maxOut, c.unsentOutput());
  }
  return section('Clients', [
    ['connected_clients', server.clients.size],
    ['cluster_connections', 0],
    ['maxclients', server.conf.getNumber('maxclients')],
    ['client_recent_max_input_buffer', maxIn],
    ['client_recent_max_output_buffer', maxOut],
    ['blocked_clients', server.blocking.blockedClients],
    ['tracking_clients', 0],
    ['pubsub_clients', pubsubClients],
    ['watching_clients', watching],
    ['clients_in_timeout_table', server.blocking.clientsWithTimeout],
    ['total_watched_keys', Array.from(server.clients.values()).reduce((n, c) => n + c.watched.length, 0)],
    ['total_blocking_keys', server.blocking.blockingKeys],
    ['total_blocking_keys_on_nokey', 0],
  ]);
}

function sectionMemory(server: ServerCore): string {
  const used = server.usedMemory();
  server.notePeakMemory(used);
  const peak = server.peakMemory;
  const rss = process.memoryUsage.rss();
  const dataset = server.datasetMemory();
  const max = server.maxmemory;
  return section('Memory', [
    ['used_memory', used],
    ['used_memory_human', bytesToHuman(used)],
    ['used_memory_rss', rss],
    ['used_memory_rss_human', bytesToHuman(rss)],
    ['used_memory_peak', peak],
    ['used_memory_peak_human', bytesToHuman(peak)],
    ['used_memory_peak_perc', `${((used / peak) * 100).toFixed(2)}%`],
    ['used_memory_overhead', used - dataset],
    ['used_memory_startup', used - dataset],
    ['used_memory_dataset', dataset],
    ['used_memory_dataset_perc', `${used > 0 ? ((dataset / used) * 100).toFixed(2) : '0.00'}%`],
    ['total_system_memory', os.totalmem()],
    ['total_system_memory_human', bytesToHuman(os.totalmem())],
    ['used_memory_lua', 0],
    ['used_memory_scripts', 0],
    ['number_of_cached_scripts', 0],
    ['maxmemory', max],
    ['maxmemory_human', bytesToHuman(max)],
    ['maxmemory_policy', server.conf.get('maxmemory-policy') as string],
    ['mem_fragmentation_ratio', (rss / Math.max(1, used)).toFixed(2)],
    ['mem_fragmentation_bytes', rss - used],
    ['mem_not_counted_for_evict', 0],
    ['mem_clients_normal', 0],
    ['mem_allocator', 'v8'],
    ['v8_heap_used', process.memoryUsage().heapUsed],
    ['lazyfree_pending_objects', 0],
    ['lazyfreed_objects', 0],
  ]);
}

function sectionPersistence(server: ServerCore): string {
  return section('Persistence', [
    ...persistenceInfo(server),
  ]);
}

function sectionStats(server: ServerCore): string {
  const s = server.stats;
  return section('Stats', [
    ['total_connections_received', s.connectionsReceived],
    ['total_commands_processed', s.commandsProcessed],
    ['instantaneous_ops_per_sec', server.opsPerSecond()],
    ['total_net_input_bytes', s.netInputBytes],
    ['total_net_output_bytes', s.netOutputBytes],
    ['total_net_repl_input_bytes', 0],
    ['total_net_repl_output_bytes', 0],
    ['instantaneous_input_kbps', '0.00'],
    ['instantaneous_output_kbps', '0.00'],
    ['rejected_connections', s.rejectedConnections],
    ['sync_full', 0],
    ['sync_partial_ok', 0],
    ['sync_partial_err', 0],
    ['expired_keys', server.keyspace.expiredKeys() - s.expiredKeysAtReset],
    ['expired_stale_perc', '0.00'],
    ['expired_time_cap_reached_count', 0],
    ['evicted_keys', s.evictedKeys],
    ['evicted_clients', 0],
    ['total_eviction_exceeded_time', 0],
    ['current_eviction_exceeded_time', 0],
    ['keyspace_hits', s.keyspaceHits],
    ['keyspace_misses', s.keyspaceMisses],
    ['pubsub_channels', server.pubsub.channels.size],
    ['pubsub_patterns', server.pubsub.patterns.size],
    ['pubsubshard_channels', server.pubsub.shardChannels.size],
    ['latest_fork_usec', s.latestForkUsec],
    ['total_forks', s.totalForks],
    ['migrate_cached_sockets', 0],
    ['tracking_total_keys', 0],
    ['tracking_total_items', 0],
    ['tracking_total_prefixes', 0],
    ['unexpected_error_replies', 0],
    ['total_error_replies', s.errorReplies],
    ['dump_payload_sanitizations', 0],
    ['total_reads_processed', s.readsProcessed],
    ['total_writes_processed', s.writesProcessed],
    ['io_threaded_reads_processed', 0],
    ['io_threaded_writes_processed', 0],
  ]);
}

function sectionReplication(server: ServerCore): string {
  return section('Replication', [
    ['role', 'master'],
    ['connected_slaves', 0],
    ['master_failover_state', 'no-failover'],
    ['master_replid', server.runId],
    ['master_replid2', '0000000000000000000000000000000000000000'],
    ['master_repl_offset', 0],
    ['second_repl_offset', -1],
    ['repl_backlog_active', 0],
    ['repl_backlog_size', 1048576],
    ['repl_backlog_first_byte_offset', 0],
    ['repl_backlog_histlen', 0],
  ]);
}

function sectionCpu(): string {
  const u = process.resourceUsage();
  const sys = (u.systemCPUTime / 1e6).toFixed(6);
  const user = (u.userCPUTime / 1e6).toFixed(6);
  return section('CPU', [
    ['used_cpu_sys', sys],
    ['used_cpu_user', user],
    ['used_cpu_sys_children', '0.000000'],
    ['used_cpu_user_children', '0.000000'],
    ['used_cpu_sys_main_thread', sys],
    ['used_cpu_user_main_thread', user],
  ]);
}

function allEntries(server: ServerCore): CommandEntry[] {
  const out: CommandEntry[] = [];
  for (const e of server.dispatcher.table.values()) {
    if (e.subcommands) for (const s of e.subcommands.values()) out.push(s);
    else out.push(e);
  }
  return out;
}

function sectionCommandstats(server: ServerCore): string {
  const fields: Array<[string, string]> = [];
  for (const e of allEntries(server)) {
    const s = e.stats;
    if (s.calls === 0 && s.rejectedCalls === 0 && s.failedCalls === 0) continue;
    const per = s.calls > 0 ? (s.usec / s.calls).toFixed(2) : '0.00';
    fields.push([`cmdstat_${e.fullName}`, `calls=${s.calls},usec=${s.usec},usec_per_call=${per},rejected_calls=${s.rejectedCalls},failed_calls=${s.failedCalls}`]);
  }
  return section('Commandstats', fields);
}

function sectionErrorstats(server: ServerCore): string {
  return section(
    'Errorstats',
    Array.from(server.errorStats.entries()).map(([prefix, count]) => [`errorstat_${prefix}`, `count=${count}`]),
  );
}

function sectionKeyspace(server: ServerCore): string {
  const fields: Array<[string, string]> = [];
  const now = Date.now();
  for (const db of server.keyspace.databases) {
    if (db.size === 0) continue;
    let ttlSum = 0;
    let ttlCount = 0;
    for (const at of db.expires.values()) {
      if (at > now) {
        ttlSum += at - now;
        ttlCount++;
      }
      if (ttlCount >= 1000) break;
    }
    fields.push([`db${db.id}`, `keys=${db.size},expires=${db.expires.size},avg_ttl=${ttlCount > 0 ? Math.floor(ttlSum / ttlCount) : 0}`]);
  }
  return section('Keyspace', fields);
}

function render(server: ServerCore, name: string): string | undefined {
  switch (name) {
    case 'server':
      return sectionServer(server);
    case 'clients':
      return sectionClients(server);
    case 'memory':
      return sectionMemory(server);
    case 'persistence':
      return sectionPersistence(server);
    case 'stats':
      return sectionStats(server);
    case 'replication':
      return sectionReplication(server);
    case 'cpu':
      return sectionCpu();
    case 'module_list':
    case 'modules':
      return '# Modules\r\n';
    case 'commandstats':
      return sectionCommandstats(server);
    case 'errorstats':
      return sectionErrorstats(server);
    case 'latencystats':
      return '# Latencystats\r\n';
    case 'cluster':
      return section('Cluster', [['cluster_enabled', 0]]);
    case 'keyspace':
      return sectionKeyspace(server);
    default:
      return undefined;
  }
}

/** INFO [section ...]: 'default', 'all', 'everything' or section names (case-insensitive). */
export function renderInfo(server: ServerCore, requested: readonly string[]): string {
  let names: string[];
  if (requested.length === 0) {
    names = DEFAULT_SECTIONS;
  } else {
    const wanted = new Set<string>();
    for (const raw of requested) {
      const r = raw.toLowerCase();
      if (r === 'default') DEFAULT_SECTIONS.forEach((s) => wanted.add(s));
      else if (r === 'all' || r === 'everything') ALL_SECTIONS.forEach((s) => wanted.add(s));
      else wanted.add(r === 'modules' ? 'module_list' : r);
    }
    names = ALL_SECTIONS.filter((s) => wanted.has(s));
  }
  const parts: string[] = [];
  for (const name of names) {
    const text = render(server, name);
    if (text !== undefined) parts.push(text);
  }
  return parts.join('\r\n');
}
