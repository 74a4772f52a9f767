export * from './auth';
export * from './engine';
export * from './engine-version';
export * from './replication-group';
export * from './replication-group-base';
export * from './topology';
