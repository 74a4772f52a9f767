/**
 * Counts complete RESP2 replies in a byte stream that arrives in arbitrary chunks, without
 * decoding them: the load generator only needs to know how many of its requests were answered
 * (and how many with an error), and must not cost more CPU than the server it measures.
 */

const CR = 13;
const LF = 10;

/** Index after the reply starting at `pos`, or -1 if it is not complete in `buf`. */
function skipReply(buf: Buffer, pos: number): number {
  if (pos >= buf.length) return -1;
  const type = buf[pos];
  // Replies' header lines are short: a plain loop beats a native indexOf call per reply.
  const length = buf.length;
  let lf = pos + 1;
  while (lf < length && buf[lf] !== LF) lf++;
  if (lf === length) return -1;
  if (type === 0x2b || type === 0x2d || type === 0x3a) return lf + 1; // + - :
  // $ and *: a length (maybe -1) before CRLF.
  let n = 0;
  let negative = false;
  for (let i = pos + 1; i < lf - 1; i++) {
    const c = buf[i];
    if (c === 0x2d) negative = true;
    else n = n * 10 + (c - 0x30);
  }
  if (buf[lf - 1] !== CR) throw new Error(`malformed reply at ${pos}: ${buf.toString('latin1', pos, lf + 1)}`);
  if (negative) return lf + 1;
  if (type === 0x24) {
    const end = lf + 1 + n + 2;
    return end <= buf.length ? end : -1;
  }
  if (type === 0x2a) {
    let p = lf + 1;
    for (let i = 0; i < n; i++) {
      p = skipReply(buf, p);
      if (p < 0) return -1;
    }
    return p;
  }
  throw new Error(`unexpected reply type ${JSON.stringify(String.fromCharCode(type))} at ${pos}`);
}

export class ReplyCounter {
  private pending: Buffer | undefined;
  /** Complete replies seen so far. */
  public replies = 0;
  /** Of them, error replies (-…). */
  public errors = 0;
  /** The first error reply's text. */
  public firstError = '';

  /** Takes the next chunk; returns the number of replies it completed. */
  public feed(chunk: Buffer): number {
    const buf = this.pending === undefined ? chunk : Buffer.concat([this.pending, chunk]);
    let pos = 0;
    let completed = 0;
    for (;;) {
      const end = skipReply(buf, pos);
      if (end < 0) break;
      if (buf[pos] === 0x2d) {
        this.errors++;
        if (this.firstError === '') this.firstError = buf.toString('latin1', pos, end - 2);
      }
      completed++;
      pos = end;
    }
    // Keep only the incomplete tail (a copy: the chunk's memory may be reused by the caller).
    this.pending = pos < buf.length ? Buffer.from(buf.subarray(pos)) : undefined;
    this.replies += completed;
    return completed;
  }
}
