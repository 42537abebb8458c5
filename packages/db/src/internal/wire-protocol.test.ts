// Proves the protocol pieces of the embedded server: the reply tracker recognises an idle backend only at a
// ReadyForQuery 'I' that ends the stream, however the bytes are split into chunks, and error responses are framed
// correctly. Pure byte-level tests; no database.

import { describe, expect, it } from 'vitest';
import { errorResponse, queryMessage, readCString, ReplyTracker } from './wire-protocol.js';

const message = (type: string, body: number[] | string) => {
  const bytes = typeof body === 'string' ? Buffer.from(body, 'utf8') : Buffer.from(body);
  const header = Buffer.alloc(5);
  header.write(type, 0, 'latin1');
  header.writeInt32BE(bytes.length + 4, 1);
  return Buffer.concat([header, bytes]);
};
const readyForQuery = (status: 'I' | 'T' | 'E') => message('Z', [status.charCodeAt(0)]);
const parseComplete = message('1', []);
const commandComplete = message('C', 'SELECT 1\0');

function track(stream: Buffer, chunkBytes: number): ReplyTracker {
  const tracker = new ReplyTracker();
  for (let offset = 0; offset < stream.length; offset += chunkBytes) {
    tracker.observe(stream.subarray(offset, offset + chunkBytes));
  }
  return tracker;
}

describe('ReplyTracker', () => {
  const cases: [string, Buffer, boolean, string | undefined][] = [
    ['a finished cycle', Buffer.concat([parseComplete, commandComplete, readyForQuery('I')]), true, 'I'],
    ['inside a transaction', Buffer.concat([commandComplete, readyForQuery('T')]), false, 'T'],
    ['a failed transaction', Buffer.concat([message('E', 'SERROR\0\0'), readyForQuery('E')]), false, 'E'],
    ['a Parse answered before its Sync', Buffer.concat([readyForQuery('I'), parseComplete]), false, 'I'],
    ['nothing yet', Buffer.alloc(0), false, undefined],
  ];

  it.each(cases)('%s', (_name, stream, idle, status) => {
    for (const chunkBytes of [1, 2, 3, 7, 1024]) {
      const tracker = track(stream, chunkBytes);
      expect(tracker.idle, `chunks of ${chunkBytes}`).toBe(idle);
      expect(tracker.transactionStatus).toBe(status);
    }
  });

  it('is not idle while a message is incomplete', () => {
    const tracker = new ReplyTracker();
    const stream = Buffer.concat([readyForQuery('I'), commandComplete]);
    tracker.observe(stream.subarray(0, stream.length - 1));
    expect(tracker.idle).toBe(false);
  });
});

describe('messages', () => {
  it('frames a query and an error response', () => {
    expect(queryMessage('select 1')).toEqual(Buffer.from('Q\0\0\0\rselect 1\0', 'latin1'));
    const error = errorResponse('FATAL', '53300', 'too many');
    expect(error.toString('latin1', 0, 1)).toBe('E');
    expect(error.readInt32BE(1)).toBe(error.length - 1);
    expect(error.toString('latin1', 5)).toBe('SFATAL\0VFATAL\0C53300\0Mtoo many\0\0');
  });

  it('reads NUL-terminated strings', () => {
    expect(readCString(Buffer.from('s1\0select\0'), 0)).toEqual({ text: 's1', end: 2 });
    expect(readCString(Buffer.from('abc'), 1)).toEqual({ text: 'bc', end: 3 });
  });
});
