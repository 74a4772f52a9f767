/**
 * The ACL rule parser and permission model without a server: rules applied to users and
 * selectors, their errors, the descriptions ACL LIST prints, and the checks dispatch runs.
 * (Byte-for-byte agreement with redis-server is test/integration/differential-acl.test.ts.)
 */
import { AclCommandTable } from '../../../lib/server/acl/command-table';
import { commandChannels, commandKeys } from '../../../lib/server/acl/keys';
import { mergeSelectorArguments, ruleErrorMessage } from '../../../lib/server/acl/rule-errors';
import { KEY_READ, KEY_WRITE } from '../../../lib/server/acl/selector';
import { AclStore } from '../../../lib/server/acl/store';
import { hashPassword } from '../../../lib/server/acl/user';
import { allCommands } from '../../../lib/server/commands';

const table = new AclCommandTable(allCommands());
const args = (...a: string[]): Buffer[] => a.map((x) => Buffer.from(x, 'latin1'));

function userWith(...rules: string[]): ReturnType<AclStore['newUser']> {
  const store = new AclStore(table);
  const user = store.newUser('u');
  for (const rule of rules) expect(user.apply(rule)).toBeUndefined();
  return user;
}

function allowed(rules: string[], ...line: string[]): string {
  const store = new AclStore(table);
  const user = store.newUser('u');
  for (const rule of rules) user.apply(rule);
  const cmd = table.lookup(line[0].toLowerCase());
  const sub = cmd?.subcommands ? table.lookup(`${line[0]}|${line[1]}`) : cmd;
  if (sub === undefined) throw new Error(`no command ${line.join(' ')}`);
  const denied = store.check(user, sub, args(...line));
  return denied === undefined ? 'ok' : `${denied.denied}@${denied.pos}`;
}

describe('rules', () => {
  test('a new user is off with no passwords, keys, channels or commands', () => {
    expect(userWith().describe()).toBe('off resetchannels -@all');
  });

  test.each([
    [['on', '>p'], `on #${hashPassword('p')} resetchannels -@all`],
    [['on', 'nopass', '>p'], `on #${hashPassword('p')} resetchannels -@all`],
    [['>p', 'nopass'], 'off nopass resetchannels -@all'],
    [['>p', '>q', '<p'], `off #${hashPassword('q')} resetchannels -@all`],
    [['~a*', '%R~b', '%W~c', '%RW~d', '%R~a*'], 'off ~a* %R~b %W~c ~d resetchannels -@all'],
    [['allkeys', 'allchannels', 'allcommands'], 'off ~* &* +@all'],
    [['+@all', '-@dangerous'], 'off resetchannels +@all -@dangerous'],
    [['+@hash', '-hset'], 'off resetchannels -@all +@hash -hset'],
    [['+client|id', '+select|0'], 'off resetchannels -@all +select|0 +client|id'],
    [['on', 'reset'], 'off sanitize-payload resetchannels -@all'],
    [['(~x +get)'], 'off resetchannels -@all (~x resetchannels -@all +get)'],
  ])('%j is described as %s', (rules, description) => {
    expect(userWith(...rules).describe()).toBe(description);
  });

  test.each([
    ['bogus', 'syntax'],
    ['+nosuch', 'unknown-name'],
    ['+@nosuch', 'unknown-name'],
    ['-get|x', 'unknown-name'],
    ['+get|', 'syntax'],
    ['+client|id|x', 'subcommand-first-arg'],
    ['%X~x', 'syntax'],
    ['%~x', 'syntax'],
    ['~a b', 'syntax'],
    ['#abc', 'bad-hash'],
    ['<never-set', 'no-such-password'],
  ])('%s is refused as %s', (rule, error) => {
    expect(userWith().apply(rule)).toBe(error);
  });

  test('patterns after * are refused until reset', () => {
    const user = userWith('~*', '&*');
    expect(user.apply('~a')).toBe('key-after-all');
    expect(user.apply('&a')).toBe('channel-after-all');
    expect(ruleErrorMessage('key-after-all')).toContain("Try 'resetkeys'");
    expect(user.apply('resetkeys')).toBeUndefined();
    expect(user.apply('~a')).toBeUndefined();
  });

  test('Redis 7.0 commands this server lacks may be named in rules', () => {
    expect(userWith('+@read', '-georadius', '+xadd', '-cluster|info', '+eval|x').describe()).toContain('-@all +@read');
  });

  test('selectors spread over several arguments are joined; an unclosed one is reported', () => {
    expect(mergeSelectorArguments(['on', '(~x', '+get)', '(+set)'])).toEqual({ merged: ['on', '(~x +get)', '(+set)'] });
    expect(mergeSelectorArguments(['on', '(~x', '+get'])).toEqual({ unmatchedAt: 1 });
  });

  test('the default user is unrestricted; any narrowing makes it restricted', () => {
    const store = new AclStore(table);
    expect(store.defaultUser.unrestricted).toBe(true);
    store.defaultUser.apply('-flushall');
    expect(store.defaultUser.unrestricted).toBe(false);
  });
});

describe('checks', () => {
  test('command bits, first arguments and no_auth commands', () => {
    expect(allowed(['+get', '~*'], 'GET', 'k')).toBe('ok');
    expect(allowed(['+get', '~*'], 'SET', 'k', 'v')).toBe('command@0');
    expect(allowed(['+select|0'], 'SELECT', '0')).toBe('ok');
    expect(allowed(['+select|0'], 'SELECT', '1')).toBe('command@0');
    expect(allowed([], 'AUTH', 'x')).toBe('ok');
  });

  test('key permissions follow what the command does to each key', () => {
    const rw = ['+@all', '%R~r*', '%W~w*'];
    expect(allowed(rw, 'GET', 'r1')).toBe('ok');
    expect(allowed(rw, 'GET', 'w1')).toBe('key@1');
    expect(allowed(rw, 'SET', 'w1', 'v')).toBe('ok');
    expect(allowed(rw, 'SET', 'w1', 'v', 'GET')).toBe('key@1');
    expect(allowed(rw, 'INCR', 'w1')).toBe('key@1');
    expect(allowed(rw, 'LMOVE', 'r1', 'w1', 'LEFT', 'LEFT')).toBe('key@1');
    expect(allowed(rw, 'COPY', 'r1', 'w1')).toBe('ok');
    expect(allowed(rw, 'MSET', 'w1', 'a', 'r1', 'b')).toBe('key@3');
  });

  test('the reported denial is the furthest one over all selectors', () => {
    expect(allowed(['+get', '~a', '(+get ~b)'], 'GET', 'c')).toBe('key@1');
    expect(allowed(['+get', '~a', '(+set ~c)'], 'GET', 'c')).toBe('key@1');
    expect(allowed(['+get', '~a', '(+set ~c)'], 'SET', 'c', 'v')).toBe('ok');
  });

  test('channels: names match patterns, PSUBSCRIBE patterns must match literally', () => {
    const rules = ['+@all', '~*', '&news.*'];
    expect(allowed(rules, 'PUBLISH', 'news.a', 'm')).toBe('ok');
    expect(allowed(rules, 'PUBLISH', 'sport', 'm')).toBe('channel@1');
    expect(allowed(rules, 'SUBSCRIBE', 'news.a', 'sport')).toBe('channel@2');
    expect(allowed(rules, 'PSUBSCRIBE', 'news.*')).toBe('ok');
    expect(allowed(rules, 'PSUBSCRIBE', 'news.a*')).toBe('channel@1');
    expect(allowed(rules, 'UNSUBSCRIBE', 'sport')).toBe('ok');
  });
});

describe('key and channel extraction', () => {
  test.each([
    ['get', ['GET', 'k'], [[1, KEY_READ]]],
    ['mset', ['MSET', 'a', '1', 'b', '2'], [[1, KEY_WRITE], [3, KEY_WRITE]]],
    ['zunionstore', ['ZUNIONSTORE', 'd', '2', 'a', 'b', 'WEIGHTS', '1', '2'], [[1, KEY_WRITE], [3, KEY_READ], [4, KEY_READ]]],
    ['zunionstore', ['ZUNIONSTORE', 'd', 'x', 'a'], []],
    ['lmpop', ['LMPOP', '2', 'a', 'b', 'LEFT'], [[2, KEY_READ | KEY_WRITE], [3, KEY_READ | KEY_WRITE]]],
    ['sort', ['SORT', 'k', 'LIMIT', '0', '1', 'GET', 'store', 'STORE', 'd'], [[1, KEY_READ], [8, KEY_WRITE]]],
    ['bitfield', ['BITFIELD', 'k', 'GET', 'u8', '0'], [[1, KEY_READ]]],
    ['bitfield', ['BITFIELD', 'k', 'INCRBY', 'u8', '0', '1'], [[1, KEY_READ | KEY_WRITE]]],
  ])('%s %j', (name, line, expected) => {
    expect(commandKeys(name, args(...line)).map((k) => [k.pos, k.access])).toEqual(expected);
  });

  test('channels of PUBLISH and (P)SUBSCRIBE', () => {
    expect(commandChannels('publish', args('PUBLISH', 'c', 'm'))).toEqual([{ pos: 1, access: 0 }]);
    expect(commandChannels('psubscribe', args('PSUBSCRIBE', 'a*', 'b*'))).toEqual([
      { pos: 1, access: 1 },
      { pos: 2, access: 1 },
    ]);
    expect(commandChannels('unsubscribe', args('UNSUBSCRIBE', 'a'))).toEqual([]);
  });
});
