/**
 * Redis 7.0 commands this server does not implement (streams, GEO, scripting, cluster,
 * replication, …), with the ACL categories Redis 7.0 gives them (its COMMAND reply). The ACL
 * command table carries them as commands that can never run: ElastiCache access strings name
 * them freely ("+@read -georadius"), Redis accepts such rules, and with them ACL CAT and ACL
 * LIST's best-fit description (which counts every command of a category) come out as Redis's.
 * A command that gets implemented is taken from the real table instead.
 */
import type { AclCategory } from '../commands/command';

/** Name, categories, and 'sub:categories' for each subcommand. */
type Phantom = readonly [name: string, categories: string, subcommands?: readonly string[]];

export const ABSENT_COMMANDS: readonly Phantom[] = [
  ['asking', 'fast connection'],
  ['bgrewriteaof', 'admin slow dangerous'],
  ['cluster', 'slow', ['addslotsrange:admin slow dangerous', 'forget:admin slow dangerous', 'help:slow', 'replicas:admin slow dangerous', 'flushslots:admin slow dangerous', 'bumpepoch:admin slow dangerous', 'setslot:admin slow dangerous', 'links:slow', 'count-failure-reports:admin slow dangerous', 'getkeysinslot:slow', 'slaves:admin slow dangerous', 'keyslot:slow', 'myid:slow', 'delslots:admin slow dangerous', 'countkeysinslot:slow', 'saveconfig:admin slow dangerous', 'replicate:admin slow dangerous', 'set-config-epoch:admin slow dangerous', 'meet:admin slow dangerous', 'delslotsrange:admin slow dangerous', 'nodes:slow', 'info:slow', 'failover:admin slow dangerous', 'shards:slow', 'addslots:admin slow dangerous', 'slots:slow', 'reset:admin slow dangerous']],
  ['eval', 'slow scripting'],
  ['eval_ro', 'slow scripting'],
  ['evalsha', 'slow scripting'],
  ['evalsha_ro', 'slow scripting'],
  ['failover', 'admin slow dangerous'],
  ['fcall', 'slow scripting'],
  ['fcall_ro', 'slow scripting'],
  ['function', 'slow', ['load:write slow scripting', 'help:slow scripting', 'kill:slow scripting', 'list:slow scripting', 'restore:write slow scripting', 'delete:write slow scripting', 'dump:slow scripting', 'flush:write slow scripting', 'stats:slow scripting']],
  ['geoadd', 'write geo slow'],
  ['geodist', 'read geo slow'],
  ['geohash', 'read geo slow'],
  ['geopos', 'read geo slow'],
  ['georadius', 'write geo slow'],
  ['georadius_ro', 'read geo slow'],
  ['georadiusbymember', 'write geo slow'],
  ['georadiusbymember_ro', 'read geo slow'],
  ['geosearch', 'read geo slow'],
  ['geosearchstore', 'write geo slow'],
  ['latency', 'slow', ['latest:admin slow dangerous', 'doctor:admin slow dangerous', 'help:slow', 'history:admin slow dangerous', 'reset:admin slow dangerous', 'graph:admin slow dangerous', 'histogram:admin slow dangerous']],
  ['lolwut', 'read fast'],
  ['migrate', 'keyspace write slow dangerous'],
  ['module', 'slow', ['loadex:admin slow dangerous', 'load:admin slow dangerous', 'help:slow', 'list:admin slow dangerous', 'unload:admin slow dangerous']],
  ['pfselftest', 'hyperloglog admin slow dangerous'],
  ['psync', 'admin slow dangerous'],
  ['readonly', 'fast connection'],
  ['readwrite', 'fast connection'],
  ['replconf', 'admin slow dangerous'],
  ['replicaof', 'admin slow dangerous'],
  ['restore-asking', 'keyspace write slow dangerous'],
  ['script', 'slow', ['debug:slow scripting', 'load:slow scripting', 'exists:slow scripting', 'help:slow scripting', 'kill:slow scripting', 'flush:slow scripting']],
  ['slaveof', 'admin slow dangerous'],
  ['sync', 'admin slow dangerous'],
  ['wait', 'slow connection'],
  ['xack', 'write stream fast'],
  ['xadd', 'write stream fast'],
  ['xautoclaim', 'write stream fast'],
  ['xclaim', 'write stream fast'],
  ['xdel', 'write stream fast'],
  ['xgroup', 'slow', ['create:write stream slow', 'delconsumer:write stream slow', 'destroy:write stream slow', 'help:stream slow', 'createconsumer:write stream slow', 'setid:write stream slow']],
  ['xinfo', 'slow', ['stream:read stream slow', 'consumers:read stream slow', 'help:stream slow', 'groups:read stream slow']],
  ['xlen', 'read stream fast'],
  ['xpending', 'read stream slow'],
  ['xrange', 'read stream slow'],
  ['xread', 'read stream slow blocking'],
  ['xreadgroup', 'write stream slow blocking'],
  ['xrevrange', 'read stream slow'],
  ['xsetid', 'write stream fast'],
  ['xtrim', 'write stream slow'],
];

/** Subcommands Redis 7.0 has under containers this server does implement. */
export const ABSENT_SUBCOMMANDS: readonly Phantom[] = [
  ['client', 'slow connection', ['caching:slow connection', 'tracking:slow connection', 'trackinginfo:slow connection']],
];

export function categories(text: string): AclCategory[] {
  return text.split(' ').filter((c) => c.length > 0) as AclCategory[];
}
