// Proves the IP allow-list matcher is exact: strict parsing of IPv4, IPv6 and CIDR entries (no octal, no
// shortened forms, no zone ids, no host bits), canonical normalization, IPv4-mapped IPv6 clients (as uWebSockets.js
// reports them) treated as the IPv4 address they carry, the first and last address of a range inside it and their
// neighbours outside, and, over seeded random ranges and addresses, agreement with Node's own net.BlockList.
import { BlockList } from 'node:net';
import { describe, expect, it } from 'vitest';
import {
  IpAllowList,
  formatIpRange,
  normalizeIpAllowList,
  parseIpAddress,
  parseIpRange,
  type IpRange,
} from './ip-allow-list.js';
import { IP_ALLOW_LIST_ENTRIES_MAX } from './limits.js';
import { SeededRandom } from './testing/seeded-random.js';

const hex = (bytes: Uint8Array | undefined) => Buffer.from(bytes ?? []).toString('hex');

describe('parseIpAddress', () => {
  it.each([
    ['1.2.3.4', 4, '01020304'],
    ['0.0.0.0', 4, '00000000'],
    ['255.255.255.255', 4, 'ffffffff'],
    ['::', 6, '0'.repeat(32)],
    ['::1', 6, `${'0'.repeat(30)}01`],
    ['2001:db8::1', 6, '20010db8000000000000000000000001'],
    ['2001:DB8:0:0:0:0:0:1', 6, '20010db8000000000000000000000001'],
    ['1:2:3:4:5:6:7::', 6, '00010002000300040005000600070000'],
    ['::2:3:4:5:6:7:8', 6, '00000002000300040005000600070008'],
    ['fe80::1:2', 6, 'fe800000000000000000000000010002'],
    // IPv4-mapped, in both notations: the IPv4 address.
    ['::ffff:1.2.3.4', 4, '01020304'],
    ['::FFFF:1.2.3.4', 4, '01020304'],
    ['::ffff:102:304', 4, '01020304'],
    ['0:0:0:0:0:ffff:1.2.3.4', 4, '01020304'],
    // IPv4-compatible (deprecated) and NAT64 addresses are not mapped: they stay IPv6.
    ['::1.2.3.4', 6, '00000000000000000000000001020304'],
    ['64:ff9b::1.2.3.4', 6, '0064ff9b000000000000000001020304'],
  ])('parses %s', (text, family, bytes) => {
    const address = parseIpAddress(text);
    expect(address?.family).toBe(family);
    expect(hex(address?.bytes)).toBe(bytes);
  });

  it.each([
    '',
    '1.2.3',
    '1.2.3.4.5',
    '1.2.3.256',
    '01.2.3.4', // octal to inet_aton
    '1.2.3.04',
    '0x1.2.3.4',
    '1.2.3.-4',
    ' 1.2.3.4',
    '1.2.3.4 ',
    '1.2.3.4/32', // a range is not an address
    '10.1',
    '16909060',
    ':::',
    '1::2::3',
    ':1:2:3:4:5:6:7',
    '1:2:3:4:5:6:7:8:',
    '1:2:3:4:5:6:7:8:9',
    '1:2:3:4:5:6:7',
    '1:2:3:4:5:6:7:8::',
    '12345::',
    'g::1',
    '1.2.3.4::',
    '::1.2.3.4:5',
    '::ffff:1.2.3',
    'fe80::1%eth0',
    '[::1]',
    `${'1:'.repeat(40)}1`,
  ])('refuses %j', (text) => {
    expect(parseIpAddress(text)).toBeUndefined();
  });
});

describe('parseIpRange and normalizeIpAllowList', () => {
  it.each([
    ['1.2.3.4', '1.2.3.4'],
    ['1.2.3.4/32', '1.2.3.4'],
    ['10.0.0.0/8', '10.0.0.0/8'],
    ['0.0.0.0/0', '0.0.0.0/0'],
    ['2001:DB8::/32', '2001:db8::/32'],
    ['2001:0db8:0000:0000:0000:0000:0000:0001', '2001:db8::1'],
    ['2001:db8:0:0:1:0:0:1', '2001:db8::1:0:0:1'],
    ['2001:db8:0:1:1:1:1:1', '2001:db8:0:1:1:1:1:1'],
    ['::/0', '::/0'],
    ['::1/128', '::1'],
    ['::ffff:1.2.3.4', '1.2.3.4'],
    ['::ffff:10.0.0.0/104', '10.0.0.0/8'],
    ['::ffff:0:0/96', '0.0.0.0/0'],
    ['::/95', '::/95'],
  ])('normalizes %s to %s', (entry, canonical) => {
    const range = parseIpRange(entry);
    expect(typeof range).toBe('object');
    expect(formatIpRange(range as IpRange)).toBe(canonical);
    expect(normalizeIpAllowList([entry])).toEqual({ ok: true, entries: [canonical] });
  });

  it.each([
    ['10.0.0.1/8', 'host bits set (did you mean 10.0.0.0/8?)'],
    ['10.1.0.0/15', 'host bits set (did you mean 10.0.0.0/15?)'],
    ['2001:db8::1/64', 'host bits set (did you mean 2001:db8::/64?)'],
    ['1.2.3.4/33', 'prefix length out of range'],
    ['1.2.3.4/', 'prefix length out of range'],
    ['1.2.3.4/08', 'prefix length out of range'],
    ['1.2.3.4/-1', 'prefix length out of range'],
    ['::/129', 'prefix length out of range'],
    ['1.2.3.4/8/8', 'prefix length out of range'],
    ['example.com', 'not an IPv4 or IPv6 address'],
    ['fe80::1%eth0/64', 'not an IPv4 or IPv6 address'],
    ['*', 'not an IPv4 or IPv6 address'],
    ['', 'not an IPv4 or IPv6 address'],
  ])('refuses %j: %s', (entry, message) => {
    expect(normalizeIpAllowList(['1.1.1.1', entry])).toEqual({
      ok: false,
      problems: [{ index: 1, message: `${JSON.stringify(entry)}: ${message}` }],
    });
  });

  it('trims entries, drops duplicates after normalizing, keeps order, and bounds the length', () => {
    expect(normalizeIpAllowList([' 10.0.0.0/8 ', '::ffff:10.0.0.0/104', '1.2.3.4/32', '1.2.3.4'])).toEqual({
      ok: true,
      entries: ['10.0.0.0/8', '1.2.3.4'],
    });
    const many = Array.from({ length: IP_ALLOW_LIST_ENTRIES_MAX + 1 }, (_, i) => `10.0.0.${i}`);
    expect(normalizeIpAllowList(many.slice(0, -1)).ok).toBe(true);
    expect(normalizeIpAllowList(many)).toEqual({
      ok: false,
      problems: [{ index: IP_ALLOW_LIST_ENTRIES_MAX, message: `at most ${IP_ALLOW_LIST_ENTRIES_MAX} entries` }],
    });
  });
});

describe('IpAllowList.allows', () => {
  it('allows any address, even a malformed one, when empty', () => {
    const list = new IpAllowList([]);
    expect(list.isEmpty).toBe(true);
    for (const ip of ['1.2.3.4', '::1', '::ffff:1.2.3.4', 'garbage', '']) expect(list.allows(ip)).toBe(true);
  });

  it('matches a single IPv4 address, also when the client is reported IPv4-mapped', () => {
    const list = new IpAllowList(['1.2.3.4']);
    expect(list.allows('1.2.3.4')).toBe(true);
    expect(list.allows('::ffff:1.2.3.4')).toBe(true);
    expect(list.allows('::ffff:102:304')).toBe(true);
    expect(list.allows('0:0:0:0:0:ffff:0102:0304')).toBe(true);
    expect(list.allows('1.2.3.5')).toBe(false);
    expect(list.allows('1.2.3.3')).toBe(false);
    expect(list.allows('::ffff:1.2.3.5')).toBe(false);
    // IPv4-compatible and NAT64 forms are other addresses.
    expect(list.allows('::1.2.3.4')).toBe(false);
    expect(list.allows('64:ff9b::1.2.3.4')).toBe(false);
  });

  it('includes both ends of an IPv4 CIDR range and excludes their neighbours', () => {
    const list = new IpAllowList(['10.0.0.0/8', '192.168.1.128/25']);
    for (const ip of ['10.0.0.0', '10.255.255.255', '::ffff:10.0.0.0', '::ffff:10.255.255.255', '10.128.0.1']) {
      expect(list.allows(ip), ip).toBe(true);
    }
    for (const ip of ['9.255.255.255', '11.0.0.0', '::ffff:9.255.255.255', '::ffff:11.0.0.0']) {
      expect(list.allows(ip), ip).toBe(false);
    }
    expect(list.allows('192.168.1.128')).toBe(true);
    expect(list.allows('192.168.1.255')).toBe(true);
    expect(list.allows('192.168.1.127')).toBe(false);
    expect(list.allows('192.168.2.0')).toBe(false);
  });

  it('includes both ends of an IPv6 CIDR range and excludes their neighbours', () => {
    const list = new IpAllowList(['2001:db8::/32', '2001:db9:0:8000::/49']);
    expect(list.allows('2001:db8::')).toBe(true);
    expect(list.allows('2001:db8:ffff:ffff:ffff:ffff:ffff:ffff')).toBe(true);
    expect(list.allows('2001:db7:ffff:ffff:ffff:ffff:ffff:ffff')).toBe(false);
    expect(list.allows('2001:db9::')).toBe(false);
    // /49 splits a group: 8000 is the first address in, 7fff.. the last before, ffff.. the last in.
    expect(list.allows('2001:db9:0:8000::')).toBe(true);
    expect(list.allows('2001:db9:0:ffff:ffff:ffff:ffff:ffff')).toBe(true);
    expect(list.allows('2001:db9:0:7fff:ffff:ffff:ffff:ffff')).toBe(false);
    expect(list.allows('2001:db9:1::')).toBe(false);
  });

  it('never lets an IPv6 client through an IPv4 entry, or the reverse, except through the mapped range', () => {
    expect(new IpAllowList(['0.0.0.0/0']).allows('::1')).toBe(false);
    expect(new IpAllowList(['0.0.0.0/0']).allows('2001:db8::1')).toBe(false);
    expect(new IpAllowList(['2001:db8::/32']).allows('1.2.3.4')).toBe(false);
    // ::/0 holds every IPv6 address, including the mapped form of every IPv4 one.
    expect(new IpAllowList(['::/0']).allows('1.2.3.4')).toBe(true);
    expect(new IpAllowList(['::/95']).allows('1.2.3.4')).toBe(false);
    expect(new IpAllowList(['::/80']).allows('1.2.3.4')).toBe(true);
  });

  it('refuses malformed client addresses and zone ids when the list is not empty', () => {
    const list = new IpAllowList(['0.0.0.0/0', '::/0']);
    for (const ip of ['', 'garbage', '1.2.3.4.5', 'fe80::1%eth0', '[::1]', '01.2.3.4', ' 1.2.3.4']) {
      expect(list.allows(ip), ip).toBe(false);
    }
  });

  it('throws on an entry that was never validated (a bug, not input)', () => {
    expect(() => new IpAllowList(['10.0.0.1/8'])).toThrow(/host bits set/);
  });
});

describe('IpAllowList against net.BlockList (seeded)', () => {
  const seed = 20_261_122;

  it(`agrees on random ranges and addresses near their edges (seed ${seed})`, () => {
    const random = new SeededRandom(seed);
    let checked = 0;
    for (let round = 0; round < 200; round++) {
      const family = random.below(2) === 0 ? 4 : 6;
      const bits = family === 4 ? 32 : 128;
      const prefixLength = random.below(bits + 1);
      const base = random.bytes(bits / 8);
      // Clear the host bits so the entry is valid.
      for (let i = 0; i < base.length; i++) {
        const kept = Math.min(8, Math.max(0, prefixLength - 8 * i));
        base[i] = (base[i] ?? 0) & ((0xff << (8 - kept)) & 0xff);
      }
      const range: IpRange = { family, bytes: base, prefixLength };
      const entry = formatIpRange(range);
      const list = new IpAllowList([entry]);
      const reference = new BlockList();
      reference.addSubnet(entry.split('/')[0] ?? '', prefixLength, family === 4 ? 'ipv4' : 'ipv6');

      // The first and last address of the range, their neighbours, and random addresses.
      const first = BigInt(`0x${hex(base)}`);
      const size = 1n << BigInt(bits - prefixLength);
      const max = (1n << BigInt(bits)) - 1n;
      const candidates = [first, first + size - 1n, first - 1n, first + size];
      for (let i = 0; i < 4; i++) candidates.push(BigInt(`0x${hex(random.bytes(bits / 8))}`));
      for (const value of candidates) {
        if (value < 0n || value > max) continue;
        const text = addressText(value, family);
        expect(list.allows(text), `seed ${seed}: ${entry} vs ${text}`).toBe(
          reference.check(text, family === 4 ? 'ipv4' : 'ipv6'),
        );
        if (family === 4) {
          expect(list.allows(`::ffff:${text}`), `seed ${seed}: ${entry} vs mapped ${text}`).toBe(
            reference.check(text, 'ipv4'),
          );
        }
        checked++;
      }
    }
    expect(checked).toBeGreaterThan(1_000);
  });
});

function addressText(value: bigint, family: 4 | 6): string {
  const bytes = Buffer.from(value.toString(16).padStart(family === 4 ? 8 : 32, '0'), 'hex');
  return formatIpRange({ family, bytes, prefixLength: bytes.length * 8 });
}
