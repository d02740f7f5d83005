// The RESP2 codec of the Redis client: replies arrive in TCP chunks that may end anywhere, so every reply must
// parse the same whichever way the bytes are split.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { ReplyError, RespParser, RespProtocolError, type RespValue, encodeCommand } from '../../src/state/resp.js';

/** Replies as they look on the wire, written out by hand (not by the code under test). */
const WIRE = [
  '+OK\r\n',
  '-WRONGPASS invalid username-password pair or user is disabled.\r\n',
  ':0\r\n',
  ':-42\r\n',
  ':9007199254740991\r\n',
  '$-1\r\n',
  '*-1\r\n',
  '$0\r\n\r\n',
  '*0\r\n',
  '$13\r\nline\r\nbreak\r\n\r\n',
  '$6\r\nhéllo\r\n', // é is two bytes
  '*3\r\n:1\r\n:3\r\n$4\r\n1000\r\n',
  '*2\r\n*3\r\n$7\r\nmessage\r\n$2\r\nch\r\n$-1\r\n*2\r\n-ERR nested\r\n*0\r\n',
  '*3\r\n$7\r\nmessage\r\n$13\r\nsinch-mcp:abc\r\n$9\r\n{"a":"b"}\r\n',
];
const EXPECTED: RespValue[] = [
  'OK',
  new ReplyError('WRONGPASS invalid username-password pair or user is disabled.'),
  0,
  -42,
  9007199254740991,
  null,
  null,
  '',
  [],
  'line\r\nbreak\r\n',
  'héllo',
  [1, 3, '1000'],
  [['message', 'ch', null], [new ReplyError('ERR nested'), []]],
  ['message', 'sinch-mcp:abc', '{"a":"b"}'],
];

/** What parsing gives, with error replies made comparable (class and message). */
function plain(value: RespValue): unknown {
  if (value instanceof ReplyError) return { error: value.message };
  return Array.isArray(value) ? value.map(plain) : value;
}

function parseInChunks(bytes: Buffer, cuts: number[]): RespValue[] {
  const parser = new RespParser();
  const replies: RespValue[] = [];
  let from = 0;
  for (const cut of [...cuts, bytes.length]) {
    replies.push(...parser.feed(bytes.subarray(from, cut)));
    from = cut;
  }
  return replies;
}

describe('RESP2 parser', () => {
  const stream = Buffer.from(WIRE.join(''), 'utf8');

  it('reads every reply type in one chunk: strings, errors, integers, nulls, bulk strings holding \\r\\n, nested arrays', () => {
    const replies = new RespParser().feed(stream);
    expect(replies.map(plain)).toEqual(EXPECTED.map(plain));
    expect(replies[1]).toBeInstanceOf(ReplyError);
    expect(((replies[12] as RespValue[])[1] as RespValue[])[0]).toBeInstanceOf(ReplyError);
  });

  it('gives the same replies when the stream is cut in two at every byte boundary', () => {
    for (let cut = 0; cut <= stream.length; cut++) {
      expect(parseInChunks(stream, [cut]).map(plain), `cut at byte ${cut}`).toEqual(EXPECTED.map(plain));
    }
  });

  it('gives the same replies when fed one byte at a time (a multi-byte character split across chunks included)', () => {
    const parser = new RespParser();
    const replies: RespValue[] = [];
    for (let i = 0; i < stream.length; i++) replies.push(...parser.feed(stream.subarray(i, i + 1)));
    expect(replies.map(plain)).toEqual(EXPECTED.map(plain));
  });

  it('returns a reply only once it is complete, and keeps the rest for the next chunk', () => {
    const parser = new RespParser();
    expect(parser.feed(Buffer.from('*2\r\n$3\r\nabc\r\n$3\r\nde'))).toEqual([]);
    expect(parser.feed(Buffer.from('f\r\n+O'))).toEqual([['abc', 'def']]);
    expect(parser.feed(Buffer.from('K\r'))).toEqual([]);
    expect(parser.feed(Buffer.from('\n'))).toEqual(['OK']);
  });

  it('parses any reply tree cut at random places (property)', () => {
    const reply: fc.Arbitrary<RespValue> = fc.letrec<{ value: RespValue }>((tie) => ({
      value: fc.oneof(
        { depthSize: 'small', withCrossShrink: true },
        fc.string({ unit: 'grapheme' }),
        fc.integer(),
        fc.constant(null),
        fc.string().map((text) => new ReplyError(text.replace(/[\r\n]/g, ' '))),
        fc.array(tie('value'), { maxLength: 4 }),
      ),
    })).value;
    fc.assert(
      fc.property(fc.array(reply, { maxLength: 5 }), fc.array(fc.nat(), { maxLength: 6 }), (replies, rawCuts) => {
        const bytes = Buffer.concat(replies.map(wireOf));
        const cuts = rawCuts.map((n) => n % (bytes.length + 1)).sort((a, b) => a - b);
        expect(parseInChunks(bytes, cuts).map(plain)).toEqual(replies.map(plain));
      }),
    );
  });

  it('refuses bytes that are not RESP2 (e.g. an HTTP server on the port)', () => {
    expect(() => new RespParser().feed(Buffer.from('HTTP/1.1 400 Bad Request\r\n'))).toThrow(RespProtocolError);
    expect(() => new RespParser().feed(Buffer.from(':12x\r\n'))).toThrow(/bad integer/);
    expect(() => new RespParser().feed(Buffer.from('$-5\r\n'))).toThrow(/bad bulk string length/);
  });
});

describe('RESP2 command encoding', () => {
  it('sends each argument as a bulk string whose length counts bytes, not characters', () => {
    expect(encodeCommand(['SET', 'k', 'héllo\r\n', 'PX', 60000]).toString('utf8')).toBe('*5\r\n$3\r\nSET\r\n$1\r\nk\r\n$8\r\nhéllo\r\n\r\n$2\r\nPX\r\n$5\r\n60000\r\n');
    expect(encodeCommand(['GET', '']).toString()).toBe('*2\r\n$3\r\nGET\r\n$0\r\n\r\n');
  });
});

/** The wire form of a reply, as Redis would write it (a null is written as a null bulk string). */
function wireOf(value: RespValue): Buffer {
  if (value === null) return Buffer.from('$-1\r\n');
  if (value instanceof ReplyError) return Buffer.from(`-${value.message}\r\n`);
  if (typeof value === 'number') return Buffer.from(`:${value}\r\n`);
  if (typeof value === 'string') return Buffer.concat([Buffer.from(`$${Buffer.byteLength(value)}\r\n`), Buffer.from(value), Buffer.from('\r\n')]);
  return Buffer.concat([Buffer.from(`*${value.length}\r\n`), ...value.map(wireOf)]);
}
