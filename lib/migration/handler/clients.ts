import { ElastiCacheClient } from '@aws-sdk/client-elasticache';
import { S3Client } from '@aws-sdk/client-s3';
import { SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import type { HandlerContext, MigrationClients } from './types';

/**
 * Clients for the Lambda runtime: Region and credentials from the environment. AWS_ENDPOINT_URL,
 * when set, points every client at one endpoint (a local stand-in such as moto); S3 then uses
 * path-style addressing, which such endpoints need.
 */
export function createClients(env: NodeJS.ProcessEnv = process.env): MigrationClients {
  const endpoint = env.AWS_ENDPOINT_URL;
  return {
    elastiCache: new ElastiCacheClient({ maxAttempts: 3, ...(endpoint ? { endpoint } : {}) }),
    s3: new S3Client({ maxAttempts: 3, ...(endpoint ? { endpoint, forcePathStyle: true } : {}) }),
    secretsManager: new SecretsManagerClient({ maxAttempts: 3, ...(endpoint ? { endpoint } : {}) }),
  };
}

/** One JSON line per step. Callers pass identifiers and states only, never properties wholesale. */
export function jsonLog(step: string, fields: Record<string, unknown> = {}): void {
  console.log(JSON.stringify({ handler: 'valkey-migration', ...fields, step }));
}

export function sleep(ms: number): Promise<void> {
  return new Promise(resolve => setTimeout(resolve, ms));
}

export function createContext(clients: MigrationClients = createClients()): HandlerContext {
  return { ...clients, log: jsonLog, sleep, random: Math.random };
}
