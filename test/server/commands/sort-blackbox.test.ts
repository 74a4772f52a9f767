/** SORT and SORT_RO against redis-server 7.0, byte for byte. */
import { expectSameReplies, useServerPair } from './blackbox';

const servers = useServerPair();

describe('SORT against redis-server', () => {
  test('numeric and ALPHA sorts of a list, ASC/DESC, LIMIT windows', async () => {
    await expectSameReplies(servers(), [
      ['RPUSH', 'o:l', '3', '10', '-2.5', '1e2', '0x10', '  7', '10', '1'],
      ['SORT', 'o:l'],
      ['SORT', 'o:l', 'DESC'],
      ['SORT', 'o:l', 'ALPHA'],
      ['SORT', 'o:l', 'ALPHA', 'DESC'],
      ['SORT', 'o:l', 'LIMIT', '0', '3'],
      ['SORT', 'o:l', 'LIMIT', '2', '3', 'DESC'],
      ['SORT', 'o:l', 'LIMIT', '-5', '2'],
      ['SORT', 'o:l', 'LIMIT', '6', '100'],
      ['SORT', 'o:l', 'LIMIT', '8', '1'],
      ['SORT', 'o:l', 'LIMIT', '100', '1'],
      ['SORT', 'o:l', 'LIMIT', '1', '0'],
      ['SORT', 'o:l', 'LIMIT', '1', '-1'],
      ['SORT', 'o:l', 'LIMIT', 'x', '1'],
      ['SORT', 'o:l', 'LIMIT', '1'],
      ['SORT_RO', 'o:l', 'DESC', 'LIMIT', '1', '2'],
      ['SORT', 'o:none'],
      ['SORT', 'o:none', 'LIMIT', '0', '1'],
      ['RPUSH', 'o:bad', '1', 'abc', '2'],
      ['SORT', 'o:bad'],
      ['SORT', 'o:bad', 'ALPHA'],
      ['RPUSH', 'o:bad2', '1', ' ', '', 'nan', 'inf', '-inf'],
      ['SORT', 'o:bad2', 'BY', 'nosort'],
      ['SORT', 'o:bad2', 'LIMIT', '0', '1'],
      ['RPUSH', 'o:sp', '', 'inf', '-inf', '2', 'infinity', '+3', '0X1p3', '1.5e1'],
      ['SORT', 'o:sp'],
      ['SET', 'o:str', 'v'],
      ['SORT', 'o:str'],
      ['SORT', 'o:l', 'FOO'],
      ['SORT', 'o:l', 'ASC', 'BY'],
      ['SORT_RO', 'o:l', 'STORE', 'o:dst'],
    ]);
  });

  test('BY patterns, hash fields, nosort, GET # and patterns', async () => {
    await expectSameReplies(servers(), [
      ['RPUSH', 'o:u', '1', '2', '3', '4'],
      ['MSET', 'o:w_1', '40', 'o:w_2', '10', 'o:w_3', '30', 'o:n_1', 'one', 'o:n_2', 'two', 'o:n_4', 'four'],
      ['HSET', 'o:h_1', 'age', '9', 'name', 'ann'],
      ['HSET', 'o:h_2', 'age', '3', 'name', 'bob'],
      ['HSET', 'o:h_3', 'age', '5'],
      ['SORT', 'o:u', 'BY', 'o:w_*'],
      ['SORT', 'o:u', 'BY', 'o:w_*', 'DESC'],
      ['SORT', 'o:u', 'BY', 'o:n_*', 'ALPHA'],
      ['SORT', 'o:u', 'BY', 'o:n_*', 'ALPHA', 'DESC'],
      ['SORT', 'o:u', 'BY', 'o:h_*->age'],
      ['SORT', 'o:u', 'BY', 'o:h_*->name', 'ALPHA'],
      ['SORT', 'o:u', 'BY', 'o:h_*->'],
      ['SORT', 'o:u', 'BY', 'o:n_*'],
      ['SORT', 'o:u', 'BY', 'nosort'],
      ['SORT', 'o:u', 'BY', 'nosort', 'DESC'],
      ['SORT', 'o:u', 'BY', 'nosort', 'LIMIT', '1', '2'],
      ['SORT', 'o:u', 'BY', 'nosort', 'DESC', 'LIMIT', '1', '2'],
      ['SORT', 'o:u', 'GET', '#'],
      ['SORT', 'o:u', 'GET', 'o:n_*', 'GET', '#', 'GET', 'o:h_*->name'],
      ['SORT', 'o:u', 'GET', 'o:nostar'],
      ['SORT', 'o:u', 'GET', 'o:h_*->age', 'BY', 'o:w_*', 'LIMIT', '0', '2'],
      ['SORT', 'o:u', 'GET', 'o:h_*'],
      ['SORT', 'o:u', 'BY', 'o:w_*', 'LIMIT', '1', '2'],
    ]);
  });

  test('STORE writes a list (and deletes the destination when empty); sorted sets', async () => {
    await expectSameReplies(servers(), [
      ['RPUSH', 'o:s', 'c', 'a', 'b'],
      ['SET', 'o:dst', 'old'],
      ['EXPIRE', 'o:dst', '100'],
      ['SORT', 'o:s', 'ALPHA', 'STORE', 'o:dst'],
      ['TYPE', 'o:dst'],
      ['TTL', 'o:dst'],
      ['LRANGE', 'o:dst', '0', '-1'],
      ['SORT', 'o:s', 'ALPHA', 'GET', '#', 'GET', 'o:missing_*', 'STORE', 'o:dst'],
      ['LRANGE', 'o:dst', '0', '-1'],
      ['SORT', 'o:none', 'STORE', 'o:dst'],
      ['EXISTS', 'o:dst'],
      ['SORT', 'o:s', 'STORE', 'o:dst'],
      ['EXISTS', 'o:dst'],
      ['ZADD', 'o:z', '3', 'x', '1', 'y', '2', 'z'],
      ['SORT', 'o:z', 'BY', 'nosort'],
      ['SORT', 'o:z', 'BY', 'nosort', 'DESC', 'LIMIT', '1', '5'],
      ['SORT', 'o:z', 'ALPHA'],
      ['SORT', 'o:z', 'ALPHA', 'DESC', 'STORE', 'o:zdst'],
      ['LRANGE', 'o:zdst', '0', '-1'],
      ['SADD', 'o:set', '5', '3', '9', '1'],
      ['SORT', 'o:set'],
      ['SORT', 'o:set', 'DESC', 'LIMIT', '1', '2'],
      ['SORT', 'o:set', 'BY', 'nosort', 'STORE', 'o:setdst'],
      ['LRANGE', 'o:setdst', '0', '-1'],
      ['HSET', 'o:hash', 'f', 'v'],
      ['SORT', 'o:hash'],
      // Last on purpose: redis-server checks errno without clearing it, so after an ERANGE its
      // next numeric SORTs may fail too until some system call resets errno.
      ['RPUSH', 'o:range', '1', '1e400'],
      ['SORT', 'o:range'],
      ['RPUSH', 'o:range2', '1e-400'],
      ['SORT', 'o:range2'],
    ]);
  });
});
