/**
 * Blocking commands with several real connections at once, against redis-server 7.0 and ours:
 * each scenario runs on both servers and the transcripts (who received which reply bytes, in
 * which order) must be identical. Ordering never depends on sleeps: a scenario waits until the
 * server reports the expected number of blocked clients (INFO clients) before it writes.
 */
import { testServerConfig } from '../support/scratch-dir';
import { type CacheServer, startServer } from '../../../lib/server';
import { LOOPBACK, RawClient, type ServerHandle, startRedisServer } from '../../support';
import type { CommandArg } from '../../support/resp';

interface Ports {
  redis: number;
  ours: number;
}

let redisHandle: ServerHandle | undefined;
let ours: CacheServer | undefined;
let ports: Ports | undefined;

beforeAll(async () => {
  redisHandle = await startRedisServer();
  ours = await startServer({ port: 0, bind: LOOPBACK, logger: () => undefined, config: testServerConfig() });
  ports = { redis: redisHandle.port, ours: ours.port };
}, 120_000);

afterAll(async () => {
  await ours?.close();
  await redisHandle?.stop();
});

/** One scenario's connections on one server, and the transcript of what each received. */
class Session {
  public readonly transcript: string[] = [];
  private readonly clients = new Map<string, RawClient>();
  private readonly ids = new Map<string, string>();

  constructor(private readonly port: number) {}

  /** Opens a named connection and remembers its CLIENT ID. */
  public async open(...names: string[]): Promise<void> {
    for (const name of names) {
      const client = await RawClient.connect(this.port, LOOPBACK);
      this.clients.set(name, client);
      this.ids.set(name, (await client.callText('CLIENT', 'ID')).slice(1, -2));
    }
  }

  public id(name: string): string {
    return this.ids.get(name) as string;
  }

  public client(name: string): RawClient {
    const client = this.clients.get(name);
    if (client === undefined) throw new Error(`no connection ${name}`);
    return client;
  }

  public async send(name: string, ...args: CommandArg[]): Promise<void> {
    // Client ids differ between the servers: the transcript names them instead.
    const label = args.map((a) => {
      for (const [who, id] of this.ids) if (String(a) === id) return `<id of ${who}>`;
      return String(a);
    });
    this.transcript.push(`${name} -> ${label.join(' ')}`);
    await this.client(name).send(...args);
  }

  /** Reads the next reply of a connection into the transcript. */
  public async read(name: string): Promise<void> {
    const result = await this.client(name).read();
    const text = result.kind === 'reply' ? result.bytes.toString('latin1') : `<${result.kind}>`;
    this.transcript.push(`${name} <- ${JSON.stringify(text)}`);
  }

  public async call(name: string, ...args: CommandArg[]): Promise<void> {
    await this.send(name, ...args);
    await this.read(name);
  }

  /** Sends a command whose reply is not compared (it names the server version or an id). */
  public async quiet(name: string, ...args: CommandArg[]): Promise<void> {
    await this.client(name).call(...args);
  }

  /** Waits until INFO reports `count` blocked clients (recorded, so a mismatch shows in the diff). */
  public async waitBlocked(count: number): Promise<void> {
    const probe = await RawClient.connect(this.port, LOOPBACK);
    let seen = -1;
    try {
      // A hang bound only: a loaded machine can take seconds to get a client blocked.
      const deadline = Date.now() + 30000;
      while (Date.now() < deadline) {
        const info = await probe.callText('INFO', 'clients');
        seen = Number(/blocked_clients:(\d+)/.exec(info)?.[1] ?? -1);
        if (seen === count) break;
        await new Promise((r) => setTimeout(r, 5));
      }
    } finally {
      await probe.close();
    }
    this.transcript.push(`blocked_clients: ${seen}`);
  }

  public async close(): Promise<void> {
    for (const client of this.clients.values()) await client.close();
  }
}

type Scenario = (s: Session) => Promise<void>;

/** Runs a scenario on both servers and expects identical transcripts. */
async function sameOnBoth(scenario: Scenario): Promise<string[]> {
  if (ports === undefined) throw new Error('servers not started');
  const results: string[][] = [];
  for (const port of [ports.redis, ports.ours]) {
    const session = new Session(port);
    try {
      await scenario(session);
    } finally {
      await session.close();
    }
    results.push(session.transcript);
  }
  expect(results[1]).toEqual(results[0]);
  return results[1];
}

describe('blocking list commands on redis-server and ours', () => {
  test('three clients blocked on one key are served first blocked, first served', async () => {
    const transcript = await sameOnBoth(async (s) => {
      await s.open('c1', 'c2', 'c3', 'w');
      await s.call('w', 'DEL', 'b:fifo');
      await s.send('c1', 'BLPOP', 'b:fifo', '0');
      await s.waitBlocked(1);
      await s.send('c2', 'BRPOP', 'b:fifo', '0');
      await s.waitBlocked(2);
      await s.send('c3', 'BLPOP', 'b:other', 'b:fifo', '0');
      await s.waitBlocked(3);
      await s.call('w', 'RPUSH', 'b:fifo', 'a');
      await s.read('c1');
      await s.waitBlocked(2);
      await s.call('w', 'RPUSH', 'b:fifo', 'b', 'c', 'd');
      await s.read('c2');
      await s.read('c3');
      await s.waitBlocked(0);
      await s.call('w', 'LRANGE', 'b:fifo', '0', '-1');
    });
    expect(transcript).toContain('c1 <- "*2\\r\\n$6\\r\\nb:fifo\\r\\n$1\\r\\na\\r\\n"');
  });

  test('timeouts reply a null array (RESP2 *-1, RESP3 _) for every blocking list command', async () => {
    const transcript = await sameOnBoth(async (s) => {
      await s.open('c1', 'c3');
      await s.call('c1', 'BLPOP', 'b:t1', 'b:t2', '0.05');
      await s.call('c1', 'BRPOP', 'b:t1', '0.05');
      await s.call('c1', 'BLMOVE', 'b:t1', 'b:t2', 'LEFT', 'RIGHT', '0.05');
      await s.call('c1', 'BRPOPLPUSH', 'b:t1', 'b:t2', '0.05');
      await s.call('c1', 'BLMPOP', '0.05', '2', 'b:t1', 'b:t2', 'LEFT', 'COUNT', '3');
      await s.quiet('c3', 'HELLO', '3');
      await s.call('c3', 'BLPOP', 'b:t1', '0.05');
      await s.call('c3', 'BLMOVE', 'b:t1', 'b:t2', 'LEFT', 'RIGHT', '0.05');
      await s.call('c1', 'EXISTS', 'b:t1', 'b:t2');
    });
    expect(transcript.filter((line) => line === 'c1 <- "*-1\\r\\n"')).toHaveLength(5);
  });

  test('a push inside MULTI wakes the waiter only after EXEC, which sees the transaction\'s end state', async () => {
    await sameOnBoth(async (s) => {
      await s.open('c1', 'w');
      await s.call('w', 'DEL', 'b:tx');
      await s.send('c1', 'BLPOP', 'b:tx', '0');
      await s.waitBlocked(1);
      // The transaction pushes and pops again: at EXEC's end the list is empty, so nobody is served.
      await s.call('w', 'MULTI');
      await s.call('w', 'RPUSH', 'b:tx', 'gone');
      await s.call('w', 'LPOP', 'b:tx');
      await s.call('w', 'EXEC');
      await s.waitBlocked(1);
      // Two pushes in one transaction: served once, after EXEC, with the head at that point.
      await s.call('w', 'MULTI');
      await s.call('w', 'RPUSH', 'b:tx', 'x');
      await s.call('w', 'LPUSH', 'b:tx', 'y');
      await s.call('w', 'EXEC');
      await s.read('c1');
      await s.waitBlocked(0);
      await s.call('w', 'LRANGE', 'b:tx', '0', '-1');
    });
  });

  test('BLMOVE chains: one push travels through two blocked BLMOVEs to a BLPOP', async () => {
    await sameOnBoth(async (s) => {
      await s.open('c1', 'c2', 'c3', 'w');
      await s.call('w', 'DEL', 'b:k1', 'b:k2', 'b:k3');
      await s.send('c1', 'BLMOVE', 'b:k1', 'b:k2', 'LEFT', 'RIGHT', '0');
      await s.waitBlocked(1);
      await s.send('c2', 'BRPOPLPUSH', 'b:k2', 'b:k3', '0');
      await s.waitBlocked(2);
      await s.send('c3', 'BLPOP', 'b:k3', '0');
      await s.waitBlocked(3);
      await s.call('w', 'RPUSH', 'b:k1', 'token');
      await s.read('c1');
      await s.read('c2');
      await s.read('c3');
      await s.waitBlocked(0);
      await s.call('w', 'EXISTS', 'b:k1', 'b:k2', 'b:k3');
    });
  });

  test('a blocked client killed or disconnected leaves the queue; the push goes to the next waiter', async () => {
    await sameOnBoth(async (s) => {
      await s.open('c1', 'c2', 'c3', 'w');
      await s.call('w', 'DEL', 'b:kill');
      await s.send('c1', 'BLPOP', 'b:kill', '0');
      await s.waitBlocked(1);
      await s.send('c2', 'BLPOP', 'b:kill', '0');
      await s.waitBlocked(2);
      await s.send('c3', 'BLPOP', 'b:kill', '0');
      await s.waitBlocked(3);
      await s.call('w', 'CLIENT', 'KILL', 'ID', s.id('c1'));
      await s.read('c1');
      await s.waitBlocked(2);
      await s.client('c2').close();
      await s.waitBlocked(1);
      await s.call('w', 'RPUSH', 'b:kill', 'v1', 'v2');
      await s.read('c3');
      await s.waitBlocked(0);
      await s.call('w', 'LRANGE', 'b:kill', '0', '-1');
    });
  });

  test('CLIENT UNBLOCK: TIMEOUT replies null, ERROR replies UNBLOCKED, a client not blocked gives 0', async () => {
    const transcript = await sameOnBoth(async (s) => {
      await s.open('c1', 'c2', 'w');
      await s.send('c1', 'BLPOP', 'b:unblock', '0');
      await s.waitBlocked(1);
      await s.send('c2', 'BLMOVE', 'b:unblock', 'b:x', 'LEFT', 'LEFT', '0');
      await s.waitBlocked(2);
      await s.call('w', 'CLIENT', 'UNBLOCK', s.id('c1'));
      await s.read('c1');
      await s.call('w', 'CLIENT', 'UNBLOCK', s.id('c2'), 'ERROR');
      await s.read('c2');
      await s.waitBlocked(0);
      await s.call('w', 'CLIENT', 'UNBLOCK', s.id('c1'));
      await s.call('w', 'CLIENT', 'UNBLOCK', '999999', 'TIMEOUT');
      await s.call('w', 'CLIENT', 'UNBLOCK', s.id('c1'), 'MAYBE');
      await s.call('c1', 'PING');
    });
    expect(transcript).toContain('c2 <- "-UNBLOCKED client unblocked via CLIENT UNBLOCK\\r\\n"');
  });

  test('input pipelined behind a blocked command waits until it is served', async () => {
    await sameOnBoth(async (s) => {
      await s.open('c1', 'w');
      await s.call('w', 'DEL', 'b:pipe');
      await s.client('c1').sendMany([['BLPOP', 'b:pipe', '0'], ['RPUSH', 'b:pipe', 'own'], ['LLEN', 'b:pipe']]);
      await s.waitBlocked(1);
      await s.call('w', 'LLEN', 'b:pipe');
      await s.call('w', 'RPUSH', 'b:pipe', 'first');
      await s.read('c1');
      await s.read('c1');
      await s.read('c1');
    });
  });

  test('the waited-for type is checked when served; RENAME, MOVE and multi-key waits wake clients', async () => {
    await sameOnBoth(async (s) => {
      await s.open('c1', 'c2', 'w');
      await s.call('w', 'DEL', 'b:ty', 'b:src', 'b:k2');
      await s.send('c1', 'BLPOP', 'b:ty', '0');
      await s.waitBlocked(1);
      await s.call('w', 'SET', 'b:ty', 'a string');
      await s.waitBlocked(1);
      await s.call('w', 'DEL', 'b:ty');
      await s.call('w', 'RPUSH', 'b:src', 'renamed');
      await s.call('w', 'RENAME', 'b:src', 'b:ty');
      await s.read('c1');
      await s.send('c2', 'BRPOP', 'b:none', 'b:k2', '0');
      await s.waitBlocked(1);
      await s.call('w', 'SELECT', '1');
      await s.call('w', 'RPUSH', 'b:k2', 'moved');
      await s.call('w', 'MOVE', 'b:k2', '0');
      await s.read('c2');
      await s.waitBlocked(0);
      await s.call('w', 'SELECT', '0');
      await s.call('w', 'EXISTS', 'b:k2', 'b:ty');
    });
  });

  test('BLMPOP with COUNT, and BRPOPLPUSH whose destination became a string when served', async () => {
    await sameOnBoth(async (s) => {
      await s.open('c1', 'c2', 'w');
      await s.call('w', 'DEL', 'b:mp', 'b:src2', 'b:dst2');
      await s.send('c1', 'BLMPOP', '0', '2', 'b:none', 'b:mp', 'RIGHT', 'COUNT', '2');
      await s.waitBlocked(1);
      await s.call('w', 'RPUSH', 'b:mp', 'a', 'b', 'c');
      await s.read('c1');
      await s.send('c2', 'BRPOPLPUSH', 'b:src2', 'b:dst2', '0');
      await s.waitBlocked(1);
      await s.call('w', 'SET', 'b:dst2', 'string');
      await s.call('w', 'RPUSH', 'b:src2', 'kept');
      await s.read('c2');
      await s.waitBlocked(0);
      await s.call('w', 'LRANGE', 'b:src2', '0', '-1');
      await s.call('w', 'LRANGE', 'b:mp', '0', '-1');
    });
  });

  test('SWAPDB brings a list into a blocked client\'s database', async () => {
    await sameOnBoth(async (s) => {
      await s.open('c1', 'w');
      await s.call('w', 'SELECT', '2');
      await s.call('w', 'FLUSHDB');
      await s.call('w', 'RPUSH', 'b:swap', 'from-db-2');
      await s.call('w', 'SELECT', '3');
      await s.call('w', 'FLUSHDB');
      await s.call('c1', 'SELECT', '3');
      await s.send('c1', 'BLPOP', 'b:swap', '0');
      await s.waitBlocked(1);
      await s.call('w', 'SWAPDB', '2', '3');
      await s.read('c1');
      await s.waitBlocked(0);
      await s.call('w', 'FLUSHDB');
    });
  });
});
