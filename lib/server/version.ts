/** The Redis API level this server implements, as HELLO and INFO report it. */
export const SERVER_VERSION = '7.2.4';
