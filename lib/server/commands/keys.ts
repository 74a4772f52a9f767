import type { CommandSpec } from './command';

// Filled in by the work on this family; the table in ./index.ts already includes it.
export const keyCommands: CommandSpec[] = [];
