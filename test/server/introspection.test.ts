import { allCommands } from '../../lib/server/commands';
import { ErrorReply, MapReply, useTestServer } from './support/resp-client';

const { connect } = useTestServer();

test('COMMAND COUNT and COMMAND answer from the dispatch table', async () => {
  const c = await connect();
  const count = await c.call('command', 'count');
  expect(count).toBe(allCommands().length);
  const all = (await c.call('command')) as unknown[][];
  expect(all.length).toBe(count);
  expect(all.map((e) => e[0])).toContain('get');
});

test('COMMAND INFO in Redis 7 shape', async () => {
  const c = await connect();
  const [get, missing] = (await c.call('command', 'info', 'GET', 'nosuch')) as unknown[][];
  expect(get.slice(0, 7)).toEqual(['get', 2, ['readonly', 'fast'], 1, 1, 1, ['@read', '@string', '@fast']]);
  expect(get.length).toBe(10);
  expect(missing).toBeNull();
  const [client] = (await c.call('command', 'info', 'client')) as unknown[][];
  const subs = client[9] as unknown[][];
  expect(subs.map((s) => s[0])).toContain('client|setname');
  const [configGet] = (await c.call('command', 'info', 'config|get')) as unknown[][];
  expect(configGet[0]).toBe('config|get');
  expect(configGet[1]).toBe(-3);
});

test('COMMAND DOCS', async () => {
  const c = await connect();
  await c.call('hello', '3');
  const docs = (await c.call('command', 'docs', 'get')) as MapReply;
  const [name, body] = docs.entries[0];
  expect(name).toBe('get');
  const fields = new Map((body as MapReply).entries);
  expect(fields.get('group')).toBe('string');
  expect(typeof fields.get('summary')).toBe('string');
  expect(fields.get('since')).toBe('1.0.0');
});

test('COMMAND LIST with FILTERBY', async () => {
  const c = await connect();
  const all = (await c.call('command', 'list')) as string[];
  expect(all).toContain('client|list');
  expect(all).toContain('ping');
  const pubsub = (await c.call('command', 'list', 'filterby', 'aclcat', 'pubsub')) as string[];
  expect(pubsub).toContain('publish');
  expect(pubsub).not.toContain('get');
  expect(((await c.call('command', 'list', 'filterby', 'pattern', 'CLIENT|*')) as string[]).every((n) => n.startsWith('client|'))).toBe(true);
  expect(await c.call('command', 'list', 'filterby', 'module', 'x')).toEqual([]);
  expect(await c.call('command', 'list', 'filterby', 'bogus', 'x')).toEqual(new ErrorReply('ERR syntax error'));
});

test('COMMAND GETKEYS', async () => {
  const c = await connect();
  expect(await c.call('command', 'getkeys', 'get', 'k1')).toEqual(['k1']);
  expect(await c.call('command', 'getkeys', 'mset', 'a', '1', 'b', '2')).toEqual(['a', 'b']);
  expect(await c.call('command', 'getkeys', 'ping', 'x')).toEqual(new ErrorReply('ERR The command has no key arguments'));
  expect(await c.call('command', 'getkeys', 'nosuch', 'x')).toEqual(new ErrorReply('ERR Invalid command specified'));
  expect(await c.call('command', 'getkeys', 'get', 'a', 'b')).toEqual(new ErrorReply('ERR Invalid number of arguments specified for command'));
  expect(await c.call('command', 'getkeys', 'get')).toEqual(new ErrorReply("ERR wrong number of arguments for 'command|getkeys' command"));
});
