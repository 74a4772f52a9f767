// The self-hosted room: our server on one EC2 instance, from ReplicationGroup's props.
// Validation, the instance-type mapping and the bundle paths stay internal.
export {
  DEFAULT_SNAPSHOT_INTERVAL,
  SELF_HOSTED_AGENT_NAMESPACE,
  SELF_HOSTED_DATA_DIR,
  SELF_HOSTED_MAXMEMORY_PERCENT,
  SelfHostedCache,
} from './self-hosted-cache';
export type { ISelfHostedCache, SelfHostedCacheProps } from './self-hosted-cache';
