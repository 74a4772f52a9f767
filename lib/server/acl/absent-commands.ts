/**
 * Redis 7.0 commands this server does not implement (streams, GEO, scripting, cluster,
 * replication, …). ElastiCache access strings name them freely ("+@read -georadius"), so a rule
 * naming one is accepted, as Redis accepts it; since the command can never run here, the rule
 * changes nothing. A command that gets implemented is found in the command table first.
 */
const ABSENT = new Set(
  (
    'asking bgrewriteaof client|caching client|tracking client|trackinginfo cluster cluster|addslots ' +
    'cluster|addslotsrange cluster|bumpepoch cluster|count-failure-reports cluster|countkeysinslot ' +
    'cluster|delslots cluster|delslotsrange cluster|failover cluster|flushslots cluster|forget ' +
    'cluster|getkeysinslot cluster|help cluster|info cluster|keyslot cluster|links cluster|meet ' +
    'cluster|myid cluster|nodes cluster|replicas cluster|replicate cluster|reset cluster|saveconfig ' +
    'cluster|set-config-epoch cluster|setslot cluster|shards cluster|slaves cluster|slots eval eval_ro ' +
    'evalsha evalsha_ro failover fcall fcall_ro function function|delete function|dump function|flush ' +
    'function|help function|kill function|list function|load function|restore function|stats geoadd ' +
    'geodist geohash geopos georadius georadius_ro georadiusbymember georadiusbymember_ro geosearch ' +
    'geosearchstore latency latency|doctor latency|graph latency|help latency|histogram latency|history ' +
    'latency|latest latency|reset lolwut migrate module module|help module|list module|load ' +
    'module|loadex module|unload pfselftest psync readonly readwrite replconf replicaof restore-asking ' +
    'script script|debug script|exists script|flush script|help script|kill script|load slaveof sync ' +
    'wait xack xadd xautoclaim xclaim xdel xgroup xgroup|create xgroup|createconsumer xgroup|delconsumer ' +
    'xgroup|destroy xgroup|help xgroup|setid xinfo xinfo|consumers xinfo|groups xinfo|help xinfo|stream ' +
    'xlen xpending xrange xread xreadgroup xrevrange xsetid xtrim'
  ).split(' '),
);

/** Whether `name` ('cmd' or 'container|sub', any case) is a Redis 7.0 command absent here. */
export function isAbsentRedisCommand(name: string): boolean {
  return ABSENT.has(name.toLowerCase());
}

/** Whether `name` is an absent Redis 7.0 command without subcommands (so "+name|arg" is a first-arg rule). */
export function isAbsentPlainCommand(name: string): boolean {
  const lower = name.toLowerCase();
  if (!ABSENT.has(lower)) return false;
  for (const n of ABSENT) if (n.startsWith(`${lower}|`)) return false;
  return true;
}
