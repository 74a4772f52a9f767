import { sortScore } from '../../../lib/server/commands/sort';
import { Harness, resp } from './command-harness';

const { bulk, int, array, err } = resp;

describe('SORT scores follow strtod', () => {
  test.each([
    ['', 0],
    ['12', 12],
    ['  7', 7],
    ['+3', 3],
    ['-2.5', -2.5],
    ['.5', 0.5],
    ['1e2', 100],
    ['0x10', 16],
    ['0X1p3', 8],
    ['0x.8', 0.5],
    ['inf', Infinity],
    ['-Infinity', -Infinity],
  ])('%j → %d', (text, score) => {
    expect(sortScore(text)).toBe(score);
  });

  test.each(['abc', ' ', '1 ', '1x', 'nan', '1e400', '1e-400', '1e-310', '0x', '--1'])('%j is not a double', (text) => {
    expect(sortScore(text)).toBeUndefined();
  });
});

describe('SORT (exact reply bytes)', () => {
  test('numbers, ALPHA, LIMIT, GET, STORE and errors', () => {
    const h = new Harness();
    h.run('RPUSH', 'l', '10', '2', '1e1', '-1');
    expect(h.run('SORT', 'l')).toBe(array(bulk('-1'), bulk('2'), bulk('10'), bulk('1e1')));
    expect(h.run('SORT', 'l', 'ALPHA', 'DESC', 'LIMIT', '0', '2')).toBe(array(bulk('2'), bulk('1e1')));
    h.run('SET', 'w_2', 'two');
    expect(h.run('SORT', 'l', 'BY', 'nosort', 'GET', '#', 'GET', 'w_*', 'LIMIT', '1', '1')).toBe(array(bulk('2'), bulk('two')));
    expect(h.run('SORT', 'l', 'STORE', 'dst')).toBe(int(4));
    expect(h.run('LRANGE', 'dst', '0', '-1')).toBe(array(bulk('-1'), bulk('2'), bulk('10'), bulk('1e1')));
    expect(h.run('SORT_RO', 'l', 'STORE', 'dst')).toBe(resp.syntax);
    h.run('RPUSH', 'bad', 'x');
    expect(h.run('SORT', 'bad')).toBe(err("ERR One or more scores can't be converted into double"));
    h.run('SET', 's', 'v');
    expect(h.run('SORT', 's')).toBe(resp.wrongType);
    expect(h.run('SORT', 'missing', 'STORE', 'dst')).toBe(int(0));
    expect(h.run('EXISTS', 'dst')).toBe(int(0));
  });
});
