import { ListValue } from '../../../lib/server/datatypes/list';
import { decodeNode, encodeEntry, QuickList, redisEntrySize } from '../../../lib/server/datatypes/quicklist';

/** A small seeded generator, so a failure reproduces. */
function rng(seed: number): () => number {
  let s = seed >>> 0;
  return () => {
    s = (Math.imul(s, 1664525) + 1013904223) >>> 0;
    return s / 2 ** 32;
  };
}

describe('quicklist node codec', () => {
  test.each([0, 1, 127, 128, 300, 16384, 70000])('an entry of %d bytes round-trips from both ends', (n) => {
    const value = 'a'.repeat(n);
    const node = encodeEntry('x') + encodeEntry(value) + encodeEntry('y');
    expect(decodeNode(node)).toEqual(['x', value, 'y']);
    const list = new QuickList(-2);
    list.pushTail('x');
    list.pushTail(value);
    list.pushTail('y');
    expect(list.popTail()).toBe('y');
    expect(list.popTail()).toBe(value);
    expect(list.popHead()).toBe('x');
    expect(list.length).toBe(0);
  });

  test.each([
    ['0', 2],
    ['127', 2],
    ['128', 3],
    ['-4096', 3],
    ['32767', 4],
    ['8388607', 5],
    ['2147483647', 6],
    ['9223372036854775807', 10],
    ['9223372036854775808', 21],
    ['01', 4],
    ['-0', 4],
    ['abc', 5],
    ['x'.repeat(63), 65],
    ['x'.repeat(64), 67],
    ['x'.repeat(200), 204],
    ['x'.repeat(5000), 5007],
  ])('Redis listpack size of a %#th sample is %d bytes', (value, size) => {
    expect(redisEntrySize(value)).toBe(size);
  });
});

describe('pushes from request bytes', () => {
  test.each([-2, -1, 1, 4])('pushBytes builds the same nodes as pushHead/pushTail (fill %d)', (fill) => {
    const random = rng(fill + 10);
    const byBytes = ListValue.create(fill);
    const byString = ListValue.create(fill);
    const samples = ['', 'a', '0', '-0', '01', '127', '-4096', '9223372036854775807', '9223372036854775808', '\u00ff\r\n', 'x'.repeat(127), 'x'.repeat(128), 'y'.repeat(5000)];
    for (let step = 0; step < 2000; step++) {
      const value = samples[Math.floor(random() * samples.length)];
      const head = random() < 0.5;
      const bytes = Buffer.from(`??${value}!`, 'latin1');
      for (const list of [byBytes, byString]) list.growing(value.length, 1, fill);
      byBytes.pushBytes(head, bytes, 2, 2 + value.length);
      if (head) byString.pushHead(value);
      else byString.pushTail(value);
      expect(byBytes.encoding()).toBe(byString.encoding());
      expect(byBytes.memoryUsage()).toBe(byString.memoryUsage());
    }
    const nodes = (list: ListValue): unknown => (list as unknown as { items: QuickList }).items.nodeList().map((n) => [n.data, n.count, n.size, n.plain]);
    expect(nodes(byBytes)).toEqual(nodes(byString));
    expect(byBytes.toArray()).toEqual(byString.toArray());
  });
});

describe('list model check against an array', () => {
  test.each([1, 2, 3])('random operations, seed %d, small nodes', (seed) => {
    const random = rng(seed);
    const list = ListValue.create(4);
    const model: string[] = [];
    const value = (): string => (random() < 0.1 ? 'L'.repeat(Math.floor(random() * 9000)) : String(Math.floor(random() * 50)));
    for (let step = 0; step < 3000; step++) {
      const op = Math.floor(random() * 10);
      if (op <= 1) {
        const v = value();
        list.growing(v.length, 1, 4);
        list.pushHead(v);
        model.unshift(v);
      } else if (op <= 3) {
        const v = value();
        list.growing(v.length, 1, 4);
        list.pushTail(v);
        model.push(v);
      } else if (op === 4) {
        expect(list.popHead()).toBe(model.shift());
      } else if (op === 5) {
        expect(list.popTail()).toBe(model.pop());
      } else if (op === 6 && model.length > 0) {
        const i = Math.floor(random() * model.length);
        const v = value();
        expect(list.set(i, v)).toBe(true);
        model[i] = v;
      } else if (op === 7 && model.length > 0) {
        const start = Math.floor(random() * model.length);
        const count = Math.floor(random() * 5);
        list.deleteRange(start, count);
        model.splice(start, count);
      } else if (op === 8 && model.length > 0) {
        const pivot = model[Math.floor(random() * model.length)];
        const after = random() < 0.5;
        expect(list.insert(pivot, 'ins', after)).toBe(true);
        const at = model.indexOf(pivot);
        model.splice(after ? at + 1 : at, 0, 'ins');
      } else if (op === 9) {
        const target = String(Math.floor(random() * 50));
        const limit = Math.floor(random() * 3);
        const fromTail = random() < 0.5;
        let removed = 0;
        if (fromTail) {
          for (let i = model.length - 1; i >= 0 && (limit === 0 || removed < limit); i--) {
            if (model[i] === target) {
              model.splice(i, 1);
              removed++;
            }
          }
        } else {
          for (let i = 0; i < model.length && (limit === 0 || removed < limit); ) {
            if (model[i] === target) {
              model.splice(i, 1);
              removed++;
            } else i++;
          }
        }
        expect(list.remove(target, limit, fromTail)).toBe(removed);
      }
      list.shrinking(4);
      expect(list.length).toBe(model.length);
      if (step % 50 === 0) {
        expect(list.toArray()).toEqual(model);
        for (let i = 0; i < model.length; i += 7) expect(list.get(i)).toBe(model[i]);
        if (model.length > 0) expect(list.get(-1)).toBe(model[model.length - 1]);
        const walked: string[] = [];
        list.walk(model.length - 1, model.length, true, (v) => {
          walked.push(v);
        });
        expect(walked).toEqual([...model].reverse());
      }
    }
  });

  test('pushing 100k elements at the head builds compact nodes and pops them back in order', () => {
    const list = ListValue.create(-2);
    for (let i = 0; i < 100000; i++) {
      list.growing(6, 1);
      list.pushHead(`e${i}`);
    }
    expect(list.encoding()).toBe('quicklist');
    expect(list.get(0)).toBe('e99999');
    expect(list.get(-1)).toBe('e0');
    expect(list.get(50000)).toBe('e49999');
    // Roughly the payload bytes plus two length bytes per element: no per-element objects.
    expect(list.memoryUsage()).toBeLessThan(100000 * 10);
    let wrong = 0;
    for (let i = 99999; i >= 0; i--) if (list.popHead() !== `e${i}`) wrong++;
    expect(wrong).toBe(0);
    expect(list.length).toBe(0);
  });
});
