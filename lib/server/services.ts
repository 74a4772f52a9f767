/**
 * How command families that manage the server itself (CLIENT, CONFIG, INFO, MULTI, SUBSCRIBE …)
 * reach the server and connection objects behind the small `ServerServices` / `ClientState`
 * contract in commands/command.ts. The contract stays small for data-type families and their
 * socket-less tests; these lookups fail with a clear error reply outside a running server.
 */
import type { Client } from './client';
import { ReplyError, type ClientState, type CommandContext, type ServerServices } from './commands/command';
import type { ServerCore } from './server';

const servers = new WeakMap<ServerServices, ServerCore>();
const clients = new WeakMap<ClientState, Client>();

export function registerServer(server: ServerCore): void {
  servers.set(server, server);
}

export function registerClient(client: Client): void {
  clients.set(client, client);
}

/** The running server behind a command's context. */
export function serverOf(ctx: CommandContext): ServerCore {
  const server = servers.get(ctx.server);
  if (!server) throw new ReplyError('ERR this command needs a running server');
  return server;
}

/** The connection behind a command's context. */
export function clientOf(ctx: CommandContext): Client {
  const client = clients.get(ctx.client);
  if (!client) throw new ReplyError('ERR this command needs a client connection');
  return client;
}
