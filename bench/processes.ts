/**
 * Everything the bench starts — servers and tool processes — registered here so that one call
 * stops it all, on success, on error and on Ctrl-C alike.
 */
import type { ChildProcess } from 'node:child_process';
import type { ServerHandle } from '../test/support';

const servers = new Set<ServerHandle>();
const tools = new Set<ChildProcess>();

export function trackServer(server: ServerHandle): ServerHandle {
  servers.add(server);
  return server;
}

export function trackTool(child: ChildProcess): ChildProcess {
  tools.add(child);
  child.once('exit', () => tools.delete(child));
  return child;
}

export async function stopEverything(): Promise<void> {
  for (const child of tools) child.kill('SIGKILL');
  await Promise.allSettled([...servers].map((s) => s.stop()));
  servers.clear();
}

for (const signal of ['SIGINT', 'SIGTERM', 'SIGHUP'] as const) {
  process.on(signal, () => {
    console.error(`\n${signal}: stopping servers`);
    void stopEverything().finally(() => process.exit(130));
  });
}
