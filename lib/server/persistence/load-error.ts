/** The data on disk (RDB or AOF) cannot be loaded: start-up stops; the message says which file, what and where. */
export class DataLoadError extends Error {}
