import { validateAccessString } from '../../lib/elasticache';
import { CacheConfigurationError } from '../../lib/errors';
import { RawClient } from '../support';
import { type ServerHandle, startRedisServer, stopAll } from '../support/servers';

/**
 * The validator against the real thing: every access string it accepts, redis-server 7.0's
 * ACL SETUSER accepts too, and the grammar errors it refuses (not the ElastiCache-only rules such
 * as passwords and reset) redis-server refuses as well.
 */
describe('access strings, checked against redis-server 7.0 ACL SETUSER', () => {
  // The first three are the examples of https://docs.aws.amazon.com/AmazonElastiCache/latest/dg/Clusters.RBAC.html
  const accepted = [
    'on ~* +@all',
    'on ~* -@all +@read',
    'on ~app::* -@all +@read +@hash +@bitmap +@geo -setbit -bitfield -hset -hsetnx -hmset -hincrby -hincrbyfloat -hdel -bitop -geoadd -georadius -georadiusbymember',
    'off ~keys* -@all +get',
    'on ~* &* +@all -flushall -flushdb',
    'on %R~read:* %W~write:* -@all +@read +@write',
    'on ~* +@all (~other:* +get)',
    'on ~* -@all +client|setname +ping',
    'ON ~* +@ALL allchannels',
  ];
  const grammarErrors = ['on ~* +@reads', 'on ~* all', 'on ~* +@all (~x:* +get', 'on ~* +get|'];
  let redis: ServerHandle | undefined;
  let client: RawClient | undefined;
  beforeAll(async () => {
    redis = await startRedisServer();
    client = await RawClient.connect(redis.port);
  }, 120_000);
  afterAll(async () => {
    await client?.close();
    await stopAll([redis]);
  });
  const setuser = async (accessString: string): Promise<string> =>
    (await client!.call('ACL', 'SETUSER', 'probe', 'reset', ...splitForSetuser(accessString))).toString('latin1');

  test.each(accepted)('accepted by both: %s', async (accessString) => {
    expect(() => validateAccessString('accessString', accessString)).not.toThrow();
    expect(await setuser(accessString)).toBe('+OK\r\n');
  });

  test.each(grammarErrors)('refused by both: %s', async (accessString) => {
    expect(() => validateAccessString('accessString', accessString)).toThrow(CacheConfigurationError);
    expect(await setuser(accessString)).toMatch(/^-ERR /);
  });
});

/** ACL SETUSER takes one rule per argument, a selector's parentheses and all as one. */
function splitForSetuser(accessString: string): string[] {
  return accessString.match(/\([^)]*\)?|[^\s(]+/g) ?? [];
}
