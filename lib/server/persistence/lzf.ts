/**
 * LZF, the compression RDB strings use (valkey src/lzf_c.c, lzf_d.c), written from the format:
 * a stream of runs, each starting with a control byte —
 *   000LLLLL                 a literal run of L+1 bytes follows;
 *   LLLooooo [LLLLLLLL] oooooooo   a back reference: length L+2 (L == 7 means add the extra
 *                            byte), distance o+1 back into what was already produced.
 */

const HASH_LOG = 14;
const HASH_SIZE = 1 << HASH_LOG;
const MAX_LITERAL = 32;
const MAX_OFFSET = 1 << 13;
const MAX_REF = (1 << 8) + (1 << 3); // 264 bytes: 7 + 255 in the length fields, plus 2

const table = new Int32Array(HASH_SIZE);

function hashAt(data: Uint8Array, i: number): number {
  const v = (data[i] << 16) | (data[i + 1] << 8) | data[i + 2];
  return (Math.imul(v, 0x9e3779b1) >>> (32 - HASH_LOG)) & (HASH_SIZE - 1);
}

/**
 * Compresses `input`; returns undefined unless the result fits in `maxOutput` bytes (Redis
 * only stores a compressed string when it saves at least 4 bytes).
 */
export function lzfCompress(input: Uint8Array, maxOutput = input.length - 4): Buffer | undefined {
  const length = input.length;
  if (length < 4 || maxOutput <= 0) return undefined;
  const out = Buffer.allocUnsafe(maxOutput + 3 + MAX_LITERAL);
  table.fill(-1);
  let ip = 0;
  let op = 1; // the first literal run's control byte is reserved at 0
  let lit = 0;
  while (ip + 2 < length) {
    const h = hashAt(input, ip);
    const ref = table[h];
    table[h] = ip;
    const distance = ip - ref - 1;
    if (
      ref >= 0 &&
      distance < MAX_OFFSET &&
      input[ref] === input[ip] &&
      input[ref + 1] === input[ip + 1] &&
      input[ref + 2] === input[ip + 2]
    ) {
      const maxLen = Math.min(MAX_REF, length - ip);
      let len = 3;
      while (len < maxLen && input[ref + len] === input[ip + len]) len++;
      // Close the literal run in progress (or take back its reserved control byte).
      if (lit > 0) out[op - lit - 1] = lit - 1;
      else op--;
      const code = len - 2;
      if (code < 7) {
        out[op++] = (distance >> 8) + (code << 5);
      } else {
        out[op++] = (distance >> 8) + (7 << 5);
        out[op++] = code - 7;
      }
      out[op++] = distance & 0xff;
      lit = 0;
      op++; // reserve the next literal run's control byte
      if (op >= maxOutput) return undefined;
      // Index the positions inside the match cheaply: the last two are the most useful.
      const end = ip + len;
      if (end + 2 < length) {
        table[hashAt(input, end - 2)] = end - 2;
        table[hashAt(input, end - 1)] = end - 1;
      }
      ip = end;
      continue;
    }
    out[op++] = input[ip++];
    if (++lit === MAX_LITERAL) {
      out[op - lit - 1] = MAX_LITERAL - 1;
      lit = 0;
      op++;
    }
    if (op >= maxOutput) return undefined;
  }
  while (ip < length) {
    out[op++] = input[ip++];
    if (++lit === MAX_LITERAL) {
      out[op - lit - 1] = MAX_LITERAL - 1;
      lit = 0;
      op++;
    }
  }
  if (lit > 0) out[op - lit - 1] = lit - 1;
  else op--;
  if (op > maxOutput) return undefined;
  return out.subarray(0, op);
}

/** Decompresses into exactly `outputLength` bytes; throws on malformed input. */
export function lzfDecompress(input: Uint8Array, outputLength: number): Buffer {
  const out = Buffer.allocUnsafe(outputLength);
  let ip = 0;
  let op = 0;
  const inLen = input.length;
  while (ip < inLen) {
    const ctrl = input[ip++];
    if (ctrl < 32) {
      const run = ctrl + 1;
      if (op + run > outputLength || ip + run > inLen) throw new Error('Invalid LZF compressed string');
      for (let i = 0; i < run; i++) out[op++] = input[ip++];
      continue;
    }
    let len = ctrl >> 5;
    if (len === 7) {
      if (ip >= inLen) throw new Error('Invalid LZF compressed string');
      len += input[ip++];
    }
    if (ip >= inLen) throw new Error('Invalid LZF compressed string');
    const ref = op - ((ctrl & 0x1f) << 8) - 1 - input[ip++];
    len += 2;
    if (ref < 0 || op + len > outputLength) throw new Error('Invalid LZF compressed string');
    for (let i = 0; i < len; i++) out[op++] = out[ref + i];
  }
  if (op !== outputLength) throw new Error('Invalid LZF compressed string');
  return out;
}
