/**
 * takeOutputView() hands the socket a view of the writer's own buffer and keeps a few views for
 * reuse: a reused view must show exactly the batch just written, and a view the socket may still
 * hold (a write that did not complete at once) must never be written over or handed out again.
 */
import { ReplyWriter } from '../../lib/server/protocol/reply-writer';

const text = (view: Buffer | undefined): string | undefined => view?.toString('latin1');

test('batches of many lengths come out exact', () => {
  const reply = new ReplyWriter();
  for (let i = 0; i < 60; i++) {
    const value = i % 3 === 0 ? undefined : i % 7 === 0 ? `value-${i}-${'x'.repeat(i)}` : `v${i % 10}`;
    if (value === undefined) reply.nullBulk();
    else reply.bulk(value);
    const expected = value === undefined ? '$-1\r\n' : `$${value.length}\r\n${value}\r\n`;
    expect(reply.pending).toBe(expected.length);
    expect(text(reply.takeOutputView())).toBe(expected);
    expect(reply.pending).toBe(0);
    reply.outputWritten(true);
  }
});

test('two lengths in alternation (GET at -P 1 over keys that exist or not) each reuse their view', () => {
  const reply = new ReplyWriter();
  const views: Buffer[] = [];
  for (let i = 0; i < 20; i++) {
    if (i % 2 === 0) reply.nullBulk();
    else reply.bulk(`v${i % 10}`);
    const view = reply.takeOutputView() as Buffer;
    expect(text(view)).toBe(i % 2 === 0 ? '$-1\r\n' : `$2\r\nv${i % 10}\r\n`);
    views.push(view);
    reply.outputWritten(true);
  }
  expect(new Set(views).size).toBe(2);
});

test('after a write the socket kept, the next batch goes to a fresh buffer and the kept view is untouched', () => {
  const reply = new ReplyWriter();
  reply.bulk('first');
  const kept = reply.takeOutputView() as Buffer;
  // The socket could not take it whole: it holds `kept` until libuv writes the rest.
  reply.outputWritten(false);
  reply.bulk('other');
  const next = reply.takeOutputView() as Buffer;
  expect(next).not.toBe(kept);
  expect(next.buffer === kept.buffer && next.byteOffset === kept.byteOffset).toBe(false);
  expect(text(kept)).toBe('$5\r\nfirst\r\n');
  expect(text(next)).toBe('$5\r\nother\r\n');
  reply.outputWritten(true);
  reply.bulk('third');
  expect(text(reply.takeOutputView())).toBe('$5\r\nthird\r\n');
  expect(text(kept)).toBe('$5\r\nfirst\r\n');
});

test('nothing written: no view', () => {
  const reply = new ReplyWriter();
  expect(reply.takeOutputView()).toBeUndefined();
});
