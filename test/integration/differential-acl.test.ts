/**
 * ACL, replayed on redis-server 7.0 and ours: the same users, rules and commands must give the
 * same replies byte for byte (known-differences.ts normalises rule order that follows Redis's
 * random dict seed, ACL LOG's clock and client lines, GENPASS's randomness).
 *
 * Both servers live for the whole file, so every case starts by deleting the users it makes and
 * emptying the ACL log, and a case that changes the default user puts it back.
 */
import { parseReply, RawClient, renderBytes, replyText, type RespValue } from '../support';
import { differentialSuite, useServerPair, type Step } from './differential-harness';

/** Steps that remove the case's users and empty the log, so cases do not see each other. */
function fresh(...users: string[]): Step[] {
  return [['ACL', 'DELUSER', ...users], ['ACL', 'LOG', 'RESET']];
}

differentialSuite('ACL: users, rules and their descriptions', {
  'SETUSER creates users; LIST, USERS and GETUSER describe them': [
    ...fresh('alice', 'bob'),
    ['ACL', 'SETUSER', 'alice'],
    ['ACL', 'LIST'],
    ['ACL', 'SETUSER', 'alice', 'on', '>secret', '~app:*', '+@read'],
    ['ACL', 'SETUSER', 'bob', 'reset', 'on', 'nopass', '~*', '&*', '+@all'],
    ['ACL', 'LIST'],
    ['ACL', 'USERS'],
    ['ACL', 'GETUSER', 'alice'],
    ['ACL', 'GETUSER', 'bob'],
    ['ACL', 'GETUSER', 'nosuch'],
    { cmd: ['HELLO', '3'] },
    ['ACL', 'GETUSER', 'alice'],
    ['HELLO', '2'],
  ],
  'command rules are described as Redis 7.0 describes them': [
    ...fresh('t'),
    ['ACL', 'SETUSER', 't', 'reset', '+@read', '+@write'],
    ['ACL', 'LIST'],
    ['ACL', 'SETUSER', 't', 'reset', '+@all', '-@dangerous'],
    ['ACL', 'LIST'],
    ['ACL', 'SETUSER', 't', 'reset', '+@hash', '+@string'],
    ['ACL', 'LIST'],
    ['ACL', 'SETUSER', 't', 'reset', '+@all', '-@admin', '-client|kill'],
    ['ACL', 'LIST'],
    ['ACL', 'SETUSER', 't', 'reset', '+@all', '-flushall', '-flushdb'],
    ['ACL', 'LIST'],
    ['ACL', 'SETUSER', 't', 'reset', '+@fast'],
    ['ACL', 'LIST'],
    ['ACL', 'SETUSER', 't', 'reset', '+@keyspace'],
    ['ACL', 'LIST'],
    ['ACL', 'SETUSER', 't', 'reset', '+@slow'],
    ['ACL', 'LIST'],
    ['ACL', 'SETUSER', 't', 'reset', '+@connection', '+@pubsub'],
    ['ACL', 'LIST'],
    ['ACL', 'SETUSER', 't', 'reset', '+@all', '-@keyspace'],
    ['ACL', 'LIST'],
    ['ACL', 'SETUSER', 't', 'reset', '+@read', '-@all'],
    ['ACL', 'LIST'],
    ['ACL', 'SETUSER', 't', 'reset', '-@all', '+@hash', '-hset'],
    ['ACL', 'LIST'],
    ['ACL', 'SETUSER', 't', 'reset', 'allcommands', '-get', 'nocommands', '+set'],
    ['ACL', 'LIST'],
  ],
  'containers, subcommands and first arguments': [
    ...fresh('t'),
    ['ACL', 'SETUSER', 't', 'reset', '+client', '-client|kill'],
    ['ACL', 'LIST'],
    ['ACL', 'SETUSER', 't', 'reset', '+client|id', '+config|get'],
    ['ACL', 'LIST'],
    ['ACL', 'SETUSER', 't', 'reset', '+get|x', '+get|y', '+get|X'],
    ['ACL', 'LIST'],
    ['ACL', 'SETUSER', 't', '+get'],
    ['ACL', 'LIST'],
    ['ACL', 'SETUSER', 't', 'reset', '+select|0', '-select'],
    ['ACL', 'LIST'],
    ['ACL', 'SETUSER', 't', '+CLIENT|ID', '+Config|Get'],
    ['ACL', 'GETUSER', 't'],
  ],
  'passwords: >, <, #, !, nopass, resetpass': [
    ...fresh('p'),
    ['ACL', 'SETUSER', 'p', 'on', '>p1', '>p2', '>p1'],
    ['ACL', 'LIST'],
    ['ACL', 'SETUSER', 'p', '<p1'],
    ['ACL', 'GETUSER', 'p'],
    ['ACL', 'SETUSER', 'p', '#5e884898da28047151d0e56f8dc6292773603d0d6aabbdd62a11ef721d1542d8'],
    ['ACL', 'SETUSER', 'p', '!5e884898da28047151d0e56f8dc6292773603d0d6aabbdd62a11ef721d1542d8'],
    ['ACL', 'SETUSER', 'p', '!5e884898da28047151d0e56f8dc6292773603d0d6aabbdd62a11ef721d1542d8'],
    ['ACL', 'SETUSER', 'p', '<nope'],
    ['ACL', 'SETUSER', 'p', '#ABC'],
    ['ACL', 'SETUSER', 'p', '#5E884898DA28047151D0E56F8DC6292773603D0D6AABBDD62A11EF721D1542D8'],
    ['ACL', 'SETUSER', 'p', 'nopass'],
    ['ACL', 'LIST'],
    ['ACL', 'SETUSER', 'p', '>again', 'resetpass'],
    ['ACL', 'LIST'],
    ['ACL', 'SETUSER', 'p', 'skip-sanitize-payload', 'off'],
    ['ACL', 'GETUSER', 'p'],
  ],
  'key and channel patterns': [
    ...fresh('k'),
    ['ACL', 'SETUSER', 'k', '~a*', '%R~b*', '%W~c*', '%RW~d*', '%R~a*', '%w~b*', '&x', '&y*', '&x'],
    ['ACL', 'LIST'],
    ['ACL', 'GETUSER', 'k'],
    ['ACL', 'SETUSER', 'k', 'allkeys', 'allchannels'],
    ['ACL', 'LIST'],
    ['ACL', 'SETUSER', 'k', '~more'],
    ['ACL', 'SETUSER', 'k', '&more'],
    ['ACL', 'SETUSER', 'k', 'resetkeys', '~one', 'resetchannels', '&two'],
    ['ACL', 'LIST'],
    ['ACL', 'SETUSER', 'k', '%RW~*'],
    ['ACL', 'LIST'],
  ],
  'selectors': [
    ...fresh('s'),
    ['ACL', 'SETUSER', 's', 'on', 'nopass', '(~x', '+get)', '(%R~y* +@read +@hash)'],
    ['ACL', 'LIST'],
    ['ACL', 'GETUSER', 's'],
    ['ACL', 'SETUSER', 's', '(~z +set &ch)'],
    ['ACL', 'LIST'],
    ['ACL', 'SETUSER', 's', 'clearselectors'],
    ['ACL', 'LIST'],
    ['ACL', 'SETUSER', 's', '(~x'],
    ['ACL', 'SETUSER', 's', 'on', '(~x', 'b'],
    ['ACL', 'SETUSER', 's', '(~x +nosuch)'],
    ['ACL', 'SETUSER', 's', '(bogus)'],
    ['ACL', 'LIST'],
  ],
  'rule errors name the modifier and change nothing': [
    ...fresh('e'),
    ['ACL', 'SETUSER', 'e', 'on', '~a*'],
    ['ACL', 'SETUSER', 'e', 'off', 'bogus'],
    ['ACL', 'SETUSER', 'e', '+nosuch'],
    ['ACL', 'SETUSER', 'e', '+@nosuch'],
    ['ACL', 'SETUSER', 'e', '-get|x'],
    ['ACL', 'SETUSER', 'e', '+get|'],
    ['ACL', 'SETUSER', 'e', '+client|id|x'],
    ['ACL', 'SETUSER', 'e', '+'],
    ['ACL', 'SETUSER', 'e', '%X~x'],
    ['ACL', 'SETUSER', 'e', '~a b'],
    ['ACL', 'SETUSER', 'e', ''],
    ['ACL', 'SETUSER', 'bad user', 'on'],
    ['ACL', 'SETUSER', 'e'],
    ['ACL', 'LIST'],
    ['ACL', 'SETUSER'],
    ['ACL', 'GETUSER'],
    ['ACL', 'NOSUCH'],
    ['ACL'],
  ],
  'DELUSER, WHOAMI, CAT, GENPASS, HELP, LOAD/SAVE without an aclfile': [
    ...fresh('d1', 'd2'),
    ['ACL', 'SETUSER', 'd1'],
    ['ACL', 'SETUSER', 'd2'],
    ['ACL', 'DELUSER', 'd1', 'd2', 'nosuch'],
    ['ACL', 'DELUSER', 'nosuch', 'default'],
    ['ACL', 'DELUSER', 'nosuch'],
    ['ACL', 'WHOAMI'],
    ['ACL', 'WHOAMI', 'x'],
    ['ACL', 'CAT'],
    ['ACL', 'CAT', 'hash'],
    ['ACL', 'CAT', 'BITMAP'],
    ['ACL', 'CAT', 'nosuch'],
    ['ACL', 'CAT', 'a', 'b'],
    ['ACL', 'GENPASS'],
    ['ACL', 'GENPASS', '5'],
    ['ACL', 'GENPASS', '4096'],
    ['ACL', 'GENPASS', '0'],
    ['ACL', 'GENPASS', '4097'],
    ['ACL', 'GENPASS', 'x'],
    ['ACL', 'HELP'],
    ['ACL', 'LOAD'],
    ['ACL', 'SAVE'],
  ],
});

differentialSuite('ACL: authentication', {
  'AUTH and HELLO AUTH as a user; WHOAMI; WRONGPASS for bad, unknown and disabled users': [
    ...fresh('alice', 'off1'),
    ['ACL', 'SETUSER', 'alice', 'on', '>pw', '+@all', '~*'],
    ['ACL', 'SETUSER', 'off1', 'off', '>pw', '+@all', '~*'],
    { on: 'b', cmd: ['AUTH', 'alice', 'bad'] },
    { on: 'b', cmd: ['AUTH', 'nosuch', 'pw'] },
    { on: 'b', cmd: ['AUTH', 'off1', 'pw'] },
    { on: 'b', cmd: ['AUTH', 'pw'] },
    { on: 'b', cmd: ['AUTH', 'alice', 'pw'] },
    { on: 'b', cmd: ['ACL', 'WHOAMI'] },
    { on: 'b', cmd: ['CLIENT', 'INFO'] },
    { on: 'c', cmd: ['HELLO', '2', 'AUTH', 'alice', 'nope'] },
    { on: 'c', cmd: ['HELLO', '2', 'AUTH', 'alice', 'pw', 'SETNAME', 'conn-c'] },
    { on: 'c', cmd: ['ACL', 'WHOAMI'] },
    { on: 'c', cmd: ['AUTH', 'a', 'b', 'c'] },
    { on: 'b', cmd: ['RESET'] },
    { on: 'b', cmd: ['ACL', 'WHOAMI'] },
    ['ACL', 'SETUSER', 'alice', 'nopass'],
    { on: 'd', cmd: ['AUTH', 'alice', 'anything'] },
    { on: 'd', cmd: ['ACL', 'WHOAMI'] },
  ],
  'requirepass is the default user\'s password': [
    ...fresh(),
    ['CONFIG', 'SET', 'requirepass', 'sekret'],
    ['ACL', 'LIST'],
    { on: 'b', cmd: ['GET', 'k'] },
    { on: 'b', cmd: ['ACL', 'WHOAMI'] },
    { on: 'b', cmd: ['AUTH', 'wrong'] },
    { on: 'b', cmd: ['AUTH', 'sekret'] },
    { on: 'b', cmd: ['ACL', 'WHOAMI'] },
    { on: 'c', cmd: ['HELLO', '3'] },
    { on: 'c', cmd: ['AUTH', 'default', 'sekret'] },
    ['ACL', 'SETUSER', 'default', '>second'],
    { on: 'd', cmd: ['AUTH', 'second'] },
    ['CONFIG', 'GET', 'requirepass'],
    ['CONFIG', 'SET', 'requirepass', ''],
    ['ACL', 'LIST'],
    ['AUTH', 'x'],
  ],
  'the default user switched off or given a password': [
    ...fresh(),
    ['ACL', 'SETUSER', 'default', 'off'],
    { on: 'b', cmd: ['PING'] },
    { on: 'b', cmd: ['AUTH', 'default', 'x'] },
    ['ACL', 'SETUSER', 'default', 'on', 'resetpass', '>pw'],
    { on: 'c', cmd: ['PING'] },
    { on: 'c', cmd: ['AUTH', 'pw'] },
    { on: 'c', cmd: ['PING'] },
    ['ACL', 'SETUSER', 'default', 'nopass'],
    ['ACL', 'LIST'],
  ],
});

const restricted = ['ACL', 'SETUSER', 'r', 'reset', 'on', '>pw', '~app:*', '%R~ro:*', '%W~wo:*', '&news.*', '-@all', '+@read', '+@write', '+publish', '+subscribe', '+psubscribe', '+ping', '+multi', '+exec', '+acl|whoami'];

differentialSuite('ACL: permission checks', {
  'commands, keys (read and write patterns) and channels': [
    ...fresh('r'),
    restricted,
    { on: 'b', cmd: ['AUTH', 'r', 'pw'] },
    { on: 'b', cmd: ['GET', 'app:1'] },
    { on: 'b', cmd: ['GET', 'other'] },
    { on: 'b', cmd: ['SET', 'app:1', 'v'] },
    { on: 'b', cmd: ['SET', 'ro:1', 'v'] },
    { on: 'b', cmd: ['GET', 'ro:1'] },
    { on: 'b', cmd: ['SET', 'wo:1', 'v'] },
    { on: 'b', cmd: ['GET', 'wo:1'] },
    { on: 'b', cmd: ['SET', 'wo:1', 'v', 'GET'] },
    { on: 'b', cmd: ['INCR', 'wo:2'] },
    { on: 'b', cmd: ['APPEND', 'wo:3', 'x'] },
    { on: 'b', cmd: ['LPUSH', 'wo:4', 'x'] },
    { on: 'b', cmd: ['LPOP', 'wo:4'] },
    { on: 'b', cmd: ['DEL', 'wo:4'] },
    { on: 'b', cmd: ['MGET', 'app:1', 'ro:1', 'wo:1'] },
    { on: 'b', cmd: ['MSET', 'app:1', 'a', 'wo:1', 'b'] },
    { on: 'b', cmd: ['MSET', 'app:1', 'a', 'other', 'b'] },
    { on: 'b', cmd: ['BITFIELD', 'wo:5', 'GET', 'u8', '0'] },
    { on: 'b', cmd: ['BITFIELD', 'wo:5', 'SET', 'u8', '0', '1'] },
    { on: 'b', cmd: ['BITFIELD', 'ro:5', 'GET', 'u8', '0'] },
    { on: 'b', cmd: ['ZUNIONSTORE', 'app:d', '2', 'app:a', 'other'] },
    { on: 'b', cmd: ['ZUNIONSTORE', 'app:d', '2', 'app:a', 'ro:b'] },
    { on: 'b', cmd: ['ZUNIONSTORE', 'ro:d', '1', 'app:a'] },
    { on: 'b', cmd: ['LMOVE', 'app:l', 'wo:l', 'LEFT', 'RIGHT'] },
    { on: 'b', cmd: ['SORT', 'app:1', 'STORE', 'other'] },
    { on: 'b', cmd: ['SORT', 'app:l', 'BY', 'nosort', 'STORE', 'app:2'] },
    { on: 'b', cmd: ['RENAME', 'app:1', 'ro:9'] },
    { on: 'b', cmd: ['FLUSHALL'] },
    { on: 'b', cmd: ['KEYS', '*'] },
    { on: 'b', cmd: ['CLIENT', 'ID'] },
    { on: 'b', cmd: ['CONFIG', 'GET', 'x'] },
    { on: 'b', cmd: ['ACL', 'LIST'] },
    { on: 'b', cmd: ['ACL', 'WHOAMI'] },
    { on: 'b', cmd: ['PUBLISH', 'news.a', 'm'] },
    { on: 'b', cmd: ['PUBLISH', 'sport', 'm'] },
    { on: 'b', cmd: ['NOSUCHCOMMAND'] },
    { on: 'b', cmd: ['GET'] },
    { on: 'c', cmd: ['AUTH', 'r', 'pw'] },
    { on: 'c', cmd: ['SUBSCRIBE', 'news.a', 'sport'] },
    { on: 'c', cmd: ['SUBSCRIBE', 'news.a', 'news.b'], replies: 2 },
    { on: 'c', cmd: ['PSUBSCRIBE', 'news.*'] },
    { on: 'c', cmd: ['PSUBSCRIBE', 'news.x*'] },
    { on: 'c', cmd: ['GET', 'app:1'] },
  ],
  'first-argument rules and selectors widen what a user may run': [
    ...fresh('f'),
    ['ACL', 'SETUSER', 'f', 'reset', 'on', 'nopass', '~app:*', '+select|0', '+client|id', '(~other:* +set)', '(%R~shared:* +get)'],
    { on: 'b', cmd: ['AUTH', 'f', 'x'] },
    { on: 'b', cmd: ['SELECT', '0'] },
    { on: 'b', cmd: ['SELECT', '1'] },
    { on: 'b', cmd: ['CLIENT', 'ID'] },
    { on: 'b', cmd: ['CLIENT', 'GETNAME'] },
    { on: 'b', cmd: ['SET', 'other:1', 'v'] },
    { on: 'b', cmd: ['SET', 'app:1', 'v'] },
    { on: 'b', cmd: ['GET', 'shared:1'] },
    { on: 'b', cmd: ['GET', 'other:1'] },
    { on: 'b', cmd: ['SET', 'shared:1', 'v'] },
    { on: 'b', cmd: ['DEL', 'other:1'] },
  ],
  'a refused command inside MULTI aborts EXEC': [
    ...fresh('m'),
    ['ACL', 'SETUSER', 'm', 'reset', 'on', 'nopass', '~app:*', '+multi', '+exec', '+discard', '+set', '+get'],
    { on: 'b', cmd: ['AUTH', 'm', 'x'] },
    { on: 'b', cmd: ['MULTI'] },
    { on: 'b', cmd: ['SET', 'app:1', 'v'] },
    { on: 'b', cmd: ['SET', 'other', 'v'] },
    { on: 'b', cmd: ['INCR', 'app:1'] },
    { on: 'b', cmd: ['EXEC'] },
    { on: 'b', cmd: ['GET', 'app:1'] },
    ['ACL', 'LOG'],
  ],
  'rules changed while a transaction was queued: EXEC refuses those commands': [
    ...fresh('m'),
    ['ACL', 'SETUSER', 'm', 'reset', 'on', 'nopass', '~app:*', '&ch', '+multi', '+exec', '+set', '+get', '+publish', '+incr'],
    { on: 'b', cmd: ['AUTH', 'm', 'x'] },
    { on: 'b', cmd: ['MULTI'] },
    { on: 'b', cmd: ['SET', 'app:1', 'v'] },
    { on: 'b', cmd: ['GET', 'app:1'] },
    { on: 'b', cmd: ['PUBLISH', 'ch', 'm'] },
    { on: 'b', cmd: ['INCR', 'app:2'] },
    ['ACL', 'SETUSER', 'm', 'resetkeys', '~other', 'resetchannels', '-incr'],
    { on: 'b', cmd: ['EXEC'] },
    // Not compared here: ACL LOG's client-info, which redis-server writes with flags=x multi=4 while EXEC
    // runs and ours with flags=N multi=-1 (our EXEC clears the queue before running it).
    ['ACL', 'LOG', 'RESET'],
  ],
  'ACL LOG records denials, groups repeats and resets': [
    ...fresh('r'),
    restricted,
    { on: 'b', cmd: ['AUTH', 'r', 'bad'] },
    { on: 'b', cmd: ['auth', 'r', 'bad'] },
    { on: 'b', cmd: ['AUTH', 'r', 'pw'] },
    { on: 'b', cmd: ['GET', 'other'] },
    { on: 'b', cmd: ['GET', 'other'] },
    { on: 'b', cmd: ['CLIENT', 'ID'] },
    { on: 'b', cmd: ['PUBLISH', 'sport', 'm'] },
    { on: 'b', cmd: ['MULTI'] },
    { on: 'b', cmd: ['GET', 'other2'] },
    ['ACL', 'LOG'],
    ['ACL', 'LOG', '2'],
    ['ACL', 'LOG', '0'],
    ['ACL', 'LOG', '-1'],
    ['ACL', 'LOG', 'x'],
    ['ACL', 'LOG', 'RESET'],
    ['ACL', 'LOG'],
  ],
  'DRYRUN': [
    ...fresh('d'),
    ['ACL', 'SETUSER', 'd', 'on', 'nopass', '~a*', '+get', '&c*', '+publish', '+psubscribe', '(~b* +set)'],
    ['ACL', 'DRYRUN', 'd', 'get', 'a1'],
    ['ACL', 'DRYRUN', 'd', 'GET', 'b1'],
    ['ACL', 'DRYRUN', 'd', 'set', 'a1', 'v'],
    ['ACL', 'DRYRUN', 'd', 'set', 'b1', 'v'],
    ['ACL', 'DRYRUN', 'd', 'publish', 'c1', 'm'],
    ['ACL', 'DRYRUN', 'd', 'publish', 'x1', 'm'],
    ['ACL', 'DRYRUN', 'd', 'psubscribe', 'c*'],
    ['ACL', 'DRYRUN', 'd', 'psubscribe', 'c1*'],
    ['ACL', 'DRYRUN', 'd', 'client', 'id'],
    ['ACL', 'DRYRUN', 'd', 'nosuchcmd', 'a1'],
    ['ACL', 'DRYRUN', 'd', 'get'],
    ['ACL', 'DRYRUN', 'nosuch', 'get', 'x'],
    ['ACL', 'DRYRUN', 'd'],
  ],
});

differentialSuite('ACL: what a change means for live connections', {
  'DELUSER closes the user\'s connections': [
    ...fresh('gone'),
    ['ACL', 'SETUSER', 'gone', 'on', 'nopass', '+@all', '~*'],
    { on: 'b', cmd: ['AUTH', 'gone', 'x'] },
    { on: 'b', cmd: ['PING'] },
    ['CLIENT', 'KILL', 'USER', 'nosuch'],
    ['ACL', 'DELUSER', 'gone'],
    { on: 'b', cmd: ['PING'] },
  ],
  'deleting one\'s own user answers, then closes': [
    ...fresh('self'),
    ['ACL', 'SETUSER', 'self', 'on', 'nopass', '+@all', '~*'],
    { on: 'b', cmd: ['AUTH', 'self', 'x'] },
    { on: 'b', cmd: ['ACL', 'DELUSER', 'self'] },
    { on: 'b', read: 1 },
  ],
  'CLIENT KILL USER and CLIENT LIST user=': [
    ...fresh('k1'),
    ['ACL', 'SETUSER', 'k1', 'on', 'nopass', '+@all', '~*'],
    { on: 'b', cmd: ['AUTH', 'k1', 'x'] },
    { on: 'b', cmd: ['CLIENT', 'SETNAME', 'bee'] },
    ['CLIENT', 'LIST', 'TYPE', 'normal'],
    ['CLIENT', 'KILL', 'USER', 'k1'],
    { on: 'b', cmd: ['PING'] },
  ],
  'revoking a subscribed channel closes the subscriber; a covered change does not': [
    ...fresh('sub'),
    ['ACL', 'SETUSER', 'sub', 'on', 'nopass', '+@all', '~*', 'resetchannels', '&news.*', '&sport'],
    { on: 'b', cmd: ['AUTH', 'sub', 'x'] },
    { on: 'b', cmd: ['SUBSCRIBE', 'news.a'] },
    { on: 'c', cmd: ['AUTH', 'sub', 'x'] },
    { on: 'c', cmd: ['PSUBSCRIBE', 'news.*'] },
    ['ACL', 'SETUSER', 'sub', '&more'],
    ['PUBLISH', 'news.a', 'hello'],
    { on: 'b', read: 1 },
    { on: 'c', read: 1 },
    ['ACL', 'SETUSER', 'sub', 'resetchannels', '&news.a', '&more'],
    ['PUBLISH', 'news.a', 'again'],
    { on: 'b', read: 1 },
    { on: 'c', read: 1 },
    ['ACL', 'SETUSER', 'sub', 'resetchannels'],
    { on: 'b', read: 1 },
  ],
});

/** Each command and subcommand of a COMMAND reply: name → [arity, "@cat @cat"]. */
function commandTable(reply: RespValue): Map<string, { arity: number; categories: string }> {
  const out = new Map<string, { arity: number; categories: string }>();
  const walk = (list: RespValue | undefined): void => {
    if (list === undefined || list.kind !== '*' || list.items === null) return;
    for (const doc of list.items) {
      if (doc.kind !== '*' || doc.items === null) continue;
      const arity = doc.items[1];
      const cats = doc.items[6];
      out.set(replyText(doc.items[0]) ?? '', {
        arity: arity.kind === ':' ? Number(arity.text) : 0,
        categories: (cats.kind === '*' || cats.kind === '~') && cats.items !== null ? cats.items.map((c) => replyText(c)).join(' ') : '?',
      });
      walk(doc.items[9]);
    }
  };
  walk(reply);
  return out;
}

/** Sends the commands in one write and returns each reply, rendered as bytes. */
async function pipeline(port: number, commands: readonly (readonly string[])[]): Promise<string[]> {
  const client = await RawClient.connect(port);
  try {
    await client.sendMany(commands);
    const replies: string[] = [];
    for (let i = 0; i < commands.length; i++) replies.push(renderBytes(await client.readBytes(), 2000));
    return replies;
  } finally {
    await client.close();
  }
}

async function commandsOf(port: number): Promise<Map<string, { arity: number; categories: string }>> {
  const client = await RawClient.connect(port);
  try {
    return commandTable(parseReply(await client.call('COMMAND')));
  } finally {
    await client.close();
  }
}

/** A command line of the command's minimum arity, the arguments after the name all `fill`. */
function lineFor(fullName: string, arity: number, fill: string): string[] {
  const line = fullName.split('|');
  while (line.length < Math.abs(arity)) line.push(fill);
  return line;
}

/**
 * ElastiCache user access strings as AWS documents them: each must work unchanged as ACL SETUSER
 * rules and give the user the same effective permissions here as on redis-server.
 */
const ELASTICACHE_ACCESS_STRINGS: readonly string[] = [
  // ElastiCache RBAC guide (CreateUser examples) and CDK's AccessControl.fromAccessString example: everything.
  'on ~* +@all',
  // RBAC guide: read-only access to the keys under app::.
  'on ~app::* -@all +@read',
  // The example, with a single-colon prefix.
  'on ~app:* -@all +@read',
  // RBAC guide: a user without "on" is off.
  'off',
  '~* +@all',
  // The aws_elasticache_user example of the AWS provider docs (Terraform / Pulumi): names GEO commands this server lacks.
  'on ~app::* -@all +@read +@hash +@bitmap +@geo -setbit -bitfield -hset -hsetnx -hmset -hincrby -hincrbyfloat -hdel -bitop -geoadd -georadius -georadiusbymember',
  'on ~* &* +@all -@dangerous',
];

describe('ACL: command categories and ElastiCache access strings, against redis-server 7.0', () => {
  const servers = useServerPair();

  test('every command both servers have carries the ACL categories Redis 7.0 gives it (COMMAND)', async () => {
    const { redis, ours } = servers();
    const [theirs, mine] = await Promise.all([commandsOf(redis.port), commandsOf(ours.port)]);
    const shared = [...mine.keys()].filter((name) => theirs.has(name));
    expect(shared.length).toBeGreaterThan(200);
    const differing = shared.filter((n) => theirs.get(n)?.categories !== mine.get(n)?.categories).map((n) => `${n}: ${theirs.get(n)?.categories} vs ${mine.get(n)?.categories}`);
    expect(differing).toEqual([]);
  });

  test.each(ELASTICACHE_ACCESS_STRINGS)('"%s" is accepted and allows exactly what redis-server allows', async (access) => {
    const { redis, ours } = servers();
    const setup = [['ACL', 'DELUSER', 'ec'], ['ACL', 'SETUSER', 'ec', ...access.split(' ')], ['ACL', 'GETUSER', 'ec']];
    const [theirSetup, mySetup] = await Promise.all([pipeline(redis.port, setup), pipeline(ours.port, setup)]);
    expect(theirSetup[1]).toBe('+OK\\r\\n');
    expect(mySetup[1]).toBe('+OK\\r\\n');
    // Flags, passwords, keys and channels agree as text; the command rules are compared by what they allow.
    const withoutCommands = (rendered: string): string => rendered.replace(/commands\\r\\n\$\d+\\r\\n.*?\\r\\n/, '');
    expect(withoutCommands(mySetup[2])).toBe(withoutCommands(theirSetup[2]));

    const [theirs, mine] = await Promise.all([commandsOf(redis.port), commandsOf(ours.port)]);
    const dryruns: string[][] = [];
    for (const [name, { arity }] of mine) {
      const container = [...mine.keys()].some((n) => n.startsWith(`${name}|`));
      if (!theirs.has(name) || container) continue;
      for (const fill of ['app::k', 'app:k', 'other']) dryruns.push(['ACL', 'DRYRUN', 'ec', ...lineFor(name, arity, fill)]);
    }
    expect(dryruns.length).toBeGreaterThan(600);
    const [theirReplies, myReplies] = await Promise.all([pipeline(redis.port, dryruns), pipeline(ours.port, dryruns)]);
    const differing = dryruns.flatMap((cmd, i) => (theirReplies[i] === myReplies[i] ? [] : [`${cmd.slice(3).join(' ')}: ${theirReplies[i]} vs ${myReplies[i]}`]));
    expect(differing).toEqual([]);
    // Something is allowed and something refused, unless the string allows everything or nothing.
    expect(new Set(myReplies).size).toBeGreaterThan(access.includes('+@all') && !access.includes('-@') ? 0 : 1);
    await Promise.all([pipeline(redis.port, [['ACL', 'DELUSER', 'ec']]), pipeline(ours.port, [['ACL', 'DELUSER', 'ec']])]);
  });
});
