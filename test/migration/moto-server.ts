import { ChildProcess, spawn } from 'child_process';
import * as http from 'http';
import * as net from 'net';

/** A moto_server on loopback, for integration tests that talk real HTTP to stand-in AWS services. */
export interface MotoServer {
  readonly endpoint: string;
  readonly port: number;
  stop(): Promise<void>;
}

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.unref();
    server.on('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      const port = typeof address === 'object' && address !== null ? address.port : 0;
      server.close(() => resolve(port));
    });
  });
}

function answers(port: number): Promise<boolean> {
  return new Promise(resolve => {
    const request = http.get({ host: '127.0.0.1', port, path: '/moto-api/', timeout: 1000 }, response => {
      response.resume();
      resolve(true);
    });
    request.on('error', () => resolve(false));
    request.on('timeout', () => {
      request.destroy();
      resolve(false);
    });
  });
}

function exited(child: ChildProcess): Promise<void> {
  return new Promise(resolve => {
    if (child.exitCode !== null || child.signalCode !== null) {
      resolve();
      return;
    }
    child.once('exit', () => resolve());
  });
}

/**
 * Starts moto_server on a free loopback port and waits until it answers HTTP. The port is free
 * when picked but another process can take it before moto binds it (connections made meanwhile
 * get ports from the same range): then moto exits with "Address already in use" and we retry on
 * another port. `timeoutMs` only bounds a hang: a loaded machine can take many seconds to start it.
 */
export async function startMotoServer(timeoutMs = 60000): Promise<MotoServer> {
  let lastError = '';
  for (let attempt = 0; attempt < 3; attempt++) {
    const port = await freePort();
    const child = spawn('moto_server', ['-H', '127.0.0.1', '-p', String(port)], { stdio: ['ignore', 'ignore', 'pipe'] });
    let stderr = '';
    child.stderr?.on('data', (chunk: Buffer) => {
      stderr = (stderr + chunk.toString()).slice(-4000);
    });
    const stop = async (): Promise<void> => {
      if (child.exitCode === null && child.signalCode === null) {
        child.kill('SIGTERM');
        const timer = setTimeout(() => child.kill('SIGKILL'), 30000);
        await exited(child);
        clearTimeout(timer);
      }
    };
    const deadline = Date.now() + timeoutMs;
    while (Date.now() < deadline && child.exitCode === null) {
      if (await answers(port)) {
        return { endpoint: `http://127.0.0.1:${port}`, port, stop };
      }
      await new Promise(resolve => setTimeout(resolve, 200));
    }
    const exitCode = child.exitCode;
    await stop();
    if (exitCode !== null && /address already in use|Errno 98/i.test(stderr)) {
      lastError = stderr;
      continue;
    }
    if (exitCode !== null) {
      throw new Error(`moto_server exited with code ${exitCode}: ${stderr}`);
    }
    throw new Error(`moto_server did not answer on 127.0.0.1:${port} within ${timeoutMs} ms: ${stderr}`);
  }
  throw new Error(`moto_server found its port taken three times: ${lastError}`);
}
