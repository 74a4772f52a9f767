import type { CommandSpec } from './command';

// Filled in by the work on this family (issue 5); the table in ./index.ts already includes it.
export const listCommands: CommandSpec[] = [];
