/**
 * cdk-valkey's public surface. Everything a user imports comes from here; nothing else is API.
 */
export * from './errors';
export * from './elasticache';
export * from './migration';
export * from './self-hosted';
