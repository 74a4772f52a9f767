/**
 * client-output-buffer-limit: when a client's unsent output is too big (it reads slower than we
 * write, e.g. a stalled subscriber), it is closed before it can take the server's memory.
 * Same rules as Redis 7.0's checkClientOutputBufferLimits: per client class a hard limit (close as
 * soon as reached) and a soft limit (close once the output has stayed at or above it for more
 * than soft-seconds, counted in whole seconds); 0 turns a limit off.
 */

export interface OutputLimit {
  readonly hard: number;
  readonly soft: number;
  readonly softSeconds: number;
}

/** The classes clients fall in (Redis's getClientType; MONITOR clients count as normal). */
export type OutputClass = 'normal' | 'slave' | 'pubsub';

export type OutputLimits = Readonly<Record<OutputClass, OutputLimit>>;

/** Parses the normalized config value `normal H S T slave H S T pubsub H S T` (config.ts writes it so). */
export function parseOutputLimits(value: string): OutputLimits {
  const limits: Record<OutputClass, OutputLimit> = {
    normal: { hard: 0, soft: 0, softSeconds: 0 },
    slave: { hard: 0, soft: 0, softSeconds: 0 },
    pubsub: { hard: 0, soft: 0, softSeconds: 0 },
  };
  const parts = value.split(' ').filter((p) => p.length > 0);
  for (let i = 0; i + 3 < parts.length; i += 4) {
    const cls = parts[i] as OutputClass;
    if (limits[cls] === undefined) continue;
    limits[cls] = { hard: Number(parts[i + 1]), soft: Number(parts[i + 2]), softSeconds: Number(parts[i + 3]) };
  }
  return limits;
}

/** Per client: since when (unix seconds) its output has been at or above the soft limit; 0 when below. */
export interface SoftLimitState {
  softLimitSince: number;
}

/**
 * True when a client with `used` bytes of unsent output must be closed. Updates the soft-limit
 * clock: the first time over the soft limit only starts it; later checks close the client once
 * more than softSeconds have passed; dropping below stops it.
 */
export function outputLimitReached(limit: OutputLimit, used: number, state: SoftLimitState, nowSeconds: number): boolean {
  const hard = limit.hard > 0 && used >= limit.hard;
  let soft = limit.soft > 0 && used >= limit.soft;
  if (soft) {
    if (state.softLimitSince === 0) {
      state.softLimitSince = nowSeconds;
      soft = false;
    } else if (nowSeconds - state.softLimitSince <= limit.softSeconds) {
      soft = false;
    }
  } else {
    state.softLimitSince = 0;
  }
  return hard || soft;
}
