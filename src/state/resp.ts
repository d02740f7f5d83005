// RESP2, the Redis wire protocol: commands encoded as arrays of bulk strings, replies parsed from a byte stream
// that may arrive split anywhere (a TCP chunk can end inside a length line, a bulk string or a nested array).

/** A reply: simple and bulk strings as UTF-8 text, integers as numbers, null bulk/array as null; an error reply as ReplyError. */
export type RespValue = string | number | null | ReplyError | RespValue[];

/** An error reply from Redis (`-WRONGPASS …`, `-NOSCRIPT …`); its message is the server's text. */
export class ReplyError extends Error {}

/** The stream is not RESP2 (e.g. not a Redis server); the connection cannot be trusted afterwards. */
export class RespProtocolError extends Error {}

const CRLF = '\r\n';

/** `*N\r\n$len\r\narg\r\n…`: the form Redis reads for every command, binary-safe. */
export function encodeCommand(args: ReadonlyArray<string | number>): Buffer {
  let frame = `*${args.length}${CRLF}`;
  for (const arg of args) {
    const text = String(arg);
    frame += `$${Buffer.byteLength(text)}${CRLF}${text}${CRLF}`;
  }
  return Buffer.from(frame);
}

/** Not all there yet: the buffer must hold at least `need` bytes before parsing again can make progress. */
type Incomplete = { incomplete: true; need: number };
type Parsed = { value: RespValue; next: number } | Incomplete;
const moreThan = (buffer: Buffer): Incomplete => ({ incomplete: true, need: buffer.length + 1 });

/** Feed it chunks as they arrive; it returns the replies completed so far and keeps any partial one. */
export class RespParser {
  private chunks: Buffer[] = [];
  private size = 0;
  /** Bytes needed before a partial reply can complete: a large bulk string is joined once, not on every chunk. */
  private need = 0;

  /** Throws RespProtocolError on bytes that are not RESP2. */
  feed(chunk: Buffer): RespValue[] {
    this.chunks.push(chunk);
    this.size += chunk.length;
    if (this.size < this.need) return [];
    const buffer = this.chunks.length === 1 ? this.chunks[0]! : Buffer.concat(this.chunks, this.size);
    const replies: RespValue[] = [];
    let offset = 0;
    this.need = 0;
    while (offset < buffer.length) {
      const parsed = parseAt(buffer, offset);
      if ('incomplete' in parsed) {
        this.need = parsed.need - offset;
        break;
      }
      replies.push(parsed.value);
      offset = parsed.next;
    }
    // Copied, so a large chunk is not kept alive by a small unfinished tail.
    const rest = Buffer.from(buffer.subarray(offset));
    this.chunks = rest.length ? [rest] : [];
    this.size = rest.length;
    return replies;
  }
}

function parseAt(buffer: Buffer, offset: number): Parsed {
  const lineEnd = buffer.indexOf(CRLF, offset + 1);
  if (lineEnd === -1) return moreThan(buffer);
  const type = buffer[offset];
  const line = buffer.toString('utf8', offset + 1, lineEnd);
  const afterLine = lineEnd + 2;
  switch (type) {
    case 0x2b: // '+'
      return { value: line, next: afterLine };
    case 0x2d: // '-'
      return { value: new ReplyError(line), next: afterLine };
    case 0x3a: // ':'
      return { value: integer(line), next: afterLine };
    case 0x24: {
      // '$' bulk string: its length in bytes, then exactly that many bytes (which may hold \r\n), then \r\n.
      const length = integer(line);
      if (length === -1) return { value: null, next: afterLine };
      if (length < 0) throw new RespProtocolError(`bad bulk string length ${length}`);
      const end = afterLine + length;
      if (buffer.length < end + 2) return { incomplete: true, need: end + 2 };
      return { value: buffer.toString('utf8', afterLine, end), next: end + 2 };
    }
    case 0x2a: {
      // '*' array: a count, then that many replies of any type.
      const count = integer(line);
      if (count === -1) return { value: null, next: afterLine };
      if (count < 0) throw new RespProtocolError(`bad array length ${count}`);
      const items: RespValue[] = [];
      let next = afterLine;
      for (let i = 0; i < count; i++) {
        const item = parseAt(buffer, next);
        if ('incomplete' in item) return item;
        items.push(item.value);
        next = item.next;
      }
      return { value: items, next };
    }
    default:
      throw new RespProtocolError(`unexpected reply type byte 0x${(type ?? 0).toString(16).padStart(2, '0')}`);
  }
}

// Redis integers are 64-bit; the replies this server reads (counts, scores as strings) fit a double exactly.
function integer(text: string): number {
  if (!/^-?\d+$/.test(text)) throw new RespProtocolError(`bad integer ${JSON.stringify(text.slice(0, 40))}`);
  return Number(text);
}
