/**
 * Pub/Sub routing as Redis's pubsub.c: channel → subscribers, pattern → subscribers, and shard
 * channels (SSUBSCRIBE, which on a single node behave as their own namespace). Messages are
 * written straight into each subscriber's reply buffer; the server flushes those buffers.
 */
import type { Client } from './client';
import { globMatch } from './util/glob';

export type SubscriptionKind = 'channel' | 'pattern' | 'shard';

export class PubSubHub {
  public readonly channels = new Map<string, Set<Client>>();
  public readonly patterns = new Map<string, Set<Client>>();
  public readonly shardChannels = new Map<string, Set<Client>>();

  constructor(private readonly delivered: (client: Client) => void) {}

  private mapOf(kind: SubscriptionKind): Map<string, Set<Client>> {
    return kind === 'channel' ? this.channels : kind === 'pattern' ? this.patterns : this.shardChannels;
  }

  private setOf(client: Client, kind: SubscriptionKind): Set<string> {
    return kind === 'channel' ? client.channels : kind === 'pattern' ? client.patterns : client.shardChannels;
  }

  /** Returns true when the client was not yet subscribed. */
  public subscribe(client: Client, kind: SubscriptionKind, name: string): boolean {
    const mine = this.setOf(client, kind);
    if (mine.has(name)) return false;
    mine.add(name);
    const map = this.mapOf(kind);
    let set = map.get(name);
    if (!set) {
      set = new Set();
      map.set(name, set);
    }
    set.add(client);
    return true;
  }

  /** Returns true when the client was subscribed. */
  public unsubscribe(client: Client, kind: SubscriptionKind, name: string): boolean {
    const mine = this.setOf(client, kind);
    if (!mine.delete(name)) return false;
    const map = this.mapOf(kind);
    const set = map.get(name);
    if (set) {
      set.delete(client);
      if (set.size === 0) map.delete(name);
    }
    return true;
  }

  /** Drops every subscription of a closing or RESET client, without replies. */
  public removeClient(client: Client): void {
    for (const name of Array.from(client.channels)) this.unsubscribe(client, 'channel', name);
    for (const name of Array.from(client.patterns)) this.unsubscribe(client, 'pattern', name);
    for (const name of Array.from(client.shardChannels)) this.unsubscribe(client, 'shard', name);
  }

  /** PUBLISH: delivers to channel and pattern subscribers; returns how many received it. */
  public publish(channel: string, message: Buffer): number {
    let receivers = 0;
    const subs = this.channels.get(channel);
    if (subs) {
      for (const client of subs) {
        if (client.replyMode !== 'off') {
          const r = client.reply;
          r.pushHeader(3);
          r.bulk('message');
          r.bulk(channel);
          r.bulk(message);
          this.delivered(client);
        }
        receivers++;
      }
    }
    if (this.patterns.size > 0) {
      for (const [pattern, clients] of this.patterns) {
        if (!globMatch(pattern, channel)) continue;
        for (const client of clients) {
          if (client.replyMode !== 'off') {
            const r = client.reply;
            r.pushHeader(4);
            r.bulk('pmessage');
            r.bulk(pattern);
            r.bulk(channel);
            r.bulk(message);
            this.delivered(client);
          }
          receivers++;
        }
      }
    }
    return receivers;
  }

  /** SPUBLISH: delivers to shard channel subscribers. */
  public publishShard(channel: string, message: Buffer): number {
    const subs = this.shardChannels.get(channel);
    if (!subs) return 0;
    for (const client of subs) {
      if (client.replyMode === 'off') continue;
      const r = client.reply;
      r.pushHeader(3);
      r.bulk('smessage');
      r.bulk(channel);
      r.bulk(message);
      this.delivered(client);
    }
    return subs.size;
  }
}
