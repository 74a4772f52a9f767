/** Shared helpers for tests that talk to real servers over sockets. */
export { freePort, LOOPBACK } from './ports';
export { RawClient, type ReadResult, DEFAULT_REPLY_TIMEOUT_MS } from './raw-client';
export * from './resp';
export { waitUntil, CONDITION_TIMEOUT_MS, type WaitOptions } from './wait';
export {
  startRedisServer,
  startOurServer,
  startServerOfKind,
  residentBytes,
  stopAll,
  OUR_CLI,
  type ServerHandle,
  type ServerKind,
  type RedisServerOptions,
  type OurServerOptions,
} from './servers';
