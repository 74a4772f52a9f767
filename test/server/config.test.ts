import { Config, ConfigError, applyConfigDirectives, parseCommandLine, parseConfigText, parseMemory } from '../../lib/server/config';
import { configFromOptions } from '../../lib/server';

test('parseMemory follows memtoull units', () => {
  expect(parseMemory('100')).toBe(100);
  expect(parseMemory('1k')).toBe(1000);
  expect(parseMemory('1kb')).toBe(1024);
  expect(parseMemory('2MB')).toBe(2 * 1024 * 1024);
  expect(parseMemory('1g')).toBe(1e9);
  expect(parseMemory('1x')).toBeUndefined();
  expect(parseMemory('-1')).toBeUndefined();
});

test('defaults and aliases', () => {
  const c = new Config();
  expect(c.get('databases')).toBe('16');
  expect(c.get('proto-max-bulk-len')).toBe('536870912');
  expect(c.get('hash-max-ziplist-entries')).toBe('128');
  expect(c.match(['hash-max-zip*']).map(([n]) => n)).toEqual(['hash-max-ziplist-entries', 'hash-max-ziplist-value']);
});

test('the command line turns into directives, as redis-server reads it', () => {
  expect(parseCommandLine(['/etc/redis.conf', '--port', '7000', '--save', '', '--bind', '127.0.0.1', '::1'])).toEqual({
    configFile: '/etc/redis.conf',
    text: 'port 7000\nsave ""\nbind 127.0.0.1 ::1',
  });
  expect(() => parseCommandLine(['--port', '1', 'x', '--'])).not.toThrow();
});

test('config text: comments, quotes, repeated save lines', () => {
  const c = new Config();
  applyConfigDirectives(c, parseConfigText('# comment\n\nport 7001\nsave 900 1\nsave 300 10\nmaxmemory 100mb\nrequirepass "p w"\n'));
  expect(c.get('port')).toBe('7001');
  expect(c.get('save')).toBe('900 1 300 10');
  expect(c.get('maxmemory')).toBe(String(100 * 1024 * 1024));
  expect(c.get('requirepass')).toBe('p w');
  applyConfigDirectives(c, parseConfigText('save ""'));
  expect(c.get('save')).toBe('');
});

test('config file errors name the line', () => {
  const c = new Config();
  expect(() => applyConfigDirectives(c, parseConfigText('port 1\nnosuch 2\n'))).toThrow(new ConfigError('Bad directive or wrong number of arguments|2|nosuch 2'));
  expect(() => applyConfigDirectives(c, parseConfigText('maxmemory lots'))).toThrow(ConfigError);
});

test('server options map onto parameters and are validated', () => {
  const c = configFromOptions({ port: 0, maxmemory: '1mb', databases: 4, config: { 'maxmemory-policy': 'allkeys-lru' } });
  expect(c.get('maxmemory')).toBe('1048576');
  expect(c.get('databases')).toBe('4');
  expect(c.get('maxmemory-policy')).toBe('allkeys-lru');
  expect(() => configFromOptions({ config: { nosuch: '1' } })).toThrow(/Invalid server option 'nosuch'/);
});
