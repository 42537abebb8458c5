// IP allow-lists: entries are IPv4 or IPv6 addresses or CIDR ranges; an empty list allows any address. Parsing is
// exact and strict (no octal or shortened IPv4 like inet_aton's "10.1", no zone ids, no host bits under a prefix),
// so what an operator typed is what is enforced. IPv4-mapped IPv6 addresses (::ffff:1.2.3.4, what uWebSockets.js
// reports for IPv4 clients on a dual-stack socket) are the IPv4 address they carry, both in entries and in clients.

import { IP_ALLOW_LIST_ENTRIES_MAX } from './limits.js';

/** A parsed address: 4 bytes for IPv4 (including IPv4-mapped IPv6), 16 for IPv6. */
export interface IpAddress {
  readonly family: 4 | 6;
  readonly bytes: Uint8Array;
}

/** A parsed entry: the network address (host bits zero) and the prefix length in bits. */
export interface IpRange extends IpAddress {
  readonly prefixLength: number;
}

const IPV4_OCTET = /^(?:0|[1-9]\d{0,2})$/;
const IPV6_GROUP = /^[0-9a-fA-F]{1,4}$/;
const PREFIX_LENGTH = /^(?:0|[1-9]\d{0,2})$/;
/** Bytes 0..11 of an IPv4-mapped IPv6 address (::ffff:0:0/96). */
const MAPPED_PREFIX = [0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0xff, 0xff] as const;
const MAPPED_PREFIX_BITS = 96;
/** Long enough for any IPv6 text with an embedded IPv4 address and a prefix; longer input is refused unread. */
const ADDRESS_TEXT_LENGTH_MAX = 64;

function parseIpv4(text: string): Uint8Array | undefined {
  const parts = text.split('.');
  if (parts.length !== 4) return undefined;
  const bytes = new Uint8Array(4);
  for (let i = 0; i < 4; i++) {
    const part = parts[i] ?? '';
    if (!IPV4_OCTET.test(part)) return undefined;
    const value = Number(part);
    if (value > 255) return undefined;
    bytes[i] = value;
  }
  return bytes;
}

/** The 16 bytes of an IPv6 address text (RFC 4291 section 2.2), or undefined. */
function parseIpv6(text: string): Uint8Array | undefined {
  const halves = text.split('::');
  if (halves.length > 2) return undefined;
  const groupsOf = (half: string | undefined): string[] | undefined =>
    half === undefined || half === '' ? [] : half.split(':');
  const head = groupsOf(halves[0]);
  const tail = groupsOf(halves[1]);
  if (head === undefined || tail === undefined) return undefined;
  const compressed = halves.length === 2;

  // An embedded IPv4 address may only be the last thing in the text.
  const words: number[] = [];
  const all = [...head, ...(compressed ? ['::'] : []), ...tail];
  for (let i = 0; i < all.length; i++) {
    const group = all[i] ?? '';
    if (group === '::') {
      words.push(-1);
    } else if (IPV6_GROUP.test(group)) {
      words.push(Number.parseInt(group, 16));
    } else if (i === all.length - 1 && group.includes('.')) {
      const ipv4 = parseIpv4(group);
      if (ipv4 === undefined) return undefined;
      words.push(((ipv4[0] ?? 0) << 8) | (ipv4[1] ?? 0), ((ipv4[2] ?? 0) << 8) | (ipv4[3] ?? 0));
    } else {
      return undefined;
    }
  }
  const explicit = words.filter((word) => word >= 0).length;
  if (compressed ? explicit > 7 : explicit !== 8) return undefined;

  const bytes = new Uint8Array(16);
  let index = 0;
  for (const word of words) {
    if (word === -1) {
      index += 2 * (8 - explicit);
      continue;
    }
    bytes[index] = word >> 8;
    bytes[index + 1] = word & 0xff;
    index += 2;
  }
  return bytes;
}

function isMapped(bytes: Uint8Array): boolean {
  return bytes.length === 16 && MAPPED_PREFIX.every((value, i) => bytes[i] === value);
}

/**
 * Parses an address as clients and operators write it: `1.2.3.4`, `2001:db8::1`, `::ffff:1.2.3.4`. IPv4-mapped
 * IPv6 addresses come back as IPv4. Undefined for anything else (including zone ids like `fe80::1%eth0` and
 * bracketed `[::1]`).
 */
export function parseIpAddress(text: string): IpAddress | undefined {
  if (text.length === 0 || text.length > ADDRESS_TEXT_LENGTH_MAX) return undefined;
  if (!text.includes(':')) {
    const bytes = parseIpv4(text);
    return bytes === undefined ? undefined : { family: 4, bytes };
  }
  const bytes = parseIpv6(text);
  if (bytes === undefined) return undefined;
  return isMapped(bytes) ? { family: 4, bytes: bytes.slice(12) } : { family: 6, bytes };
}

/** Why an allow-list entry is refused, for the error message; undefined when it parses. */
export type IpRangeProblem = 'not an IPv4 or IPv6 address' | 'prefix length out of range' | 'host bits set';

/** Parses `1.2.3.4`, `10.0.0.0/8`, `2001:db8::/32`, `::ffff:10.0.0.0/104` (= `10.0.0.0/8`). */
export function parseIpRange(text: string): IpRange | IpRangeProblem {
  const slash = text.indexOf('/');
  const addressText = slash === -1 ? text : text.slice(0, slash);
  const prefixText = slash === -1 ? undefined : text.slice(slash + 1);
  if (addressText.length === 0 || addressText.length > ADDRESS_TEXT_LENGTH_MAX) return 'not an IPv4 or IPv6 address';
  const isIpv6Text = addressText.includes(':');
  const raw = isIpv6Text ? parseIpv6(addressText) : parseIpv4(addressText);
  if (raw === undefined) return 'not an IPv4 or IPv6 address';
  const bits = raw.length * 8;
  let prefixLength = bits;
  if (prefixText !== undefined) {
    if (!PREFIX_LENGTH.test(prefixText) || Number(prefixText) > bits) return 'prefix length out of range';
    prefixLength = Number(prefixText);
  }
  if (!hostBitsZero(raw, prefixLength)) return 'host bits set';
  // A range inside ::ffff:0:0/96 holds only IPv4-mapped addresses: it is that IPv4 range.
  if (isMapped(raw) && prefixLength >= MAPPED_PREFIX_BITS) {
    return { family: 4, bytes: raw.slice(12), prefixLength: prefixLength - MAPPED_PREFIX_BITS };
  }
  return { family: raw.length === 4 ? 4 : 6, bytes: raw, prefixLength };
}

function hostBitsZero(bytes: Uint8Array, prefixLength: number): boolean {
  for (let i = 0; i < bytes.length; i++) {
    const keptBits = Math.min(8, Math.max(0, prefixLength - 8 * i));
    const hostMask = 0xff >> keptBits;
    if (((bytes[i] ?? 0) & hostMask) !== 0) return false;
  }
  return true;
}

/** True when the first `prefixLength` bits of `a` and `b` agree. */
function prefixEqual(a: Uint8Array, b: Uint8Array, prefixLength: number): boolean {
  const wholeBytes = prefixLength >> 3;
  for (let i = 0; i < wholeBytes; i++) if (a[i] !== b[i]) return false;
  const restBits = prefixLength & 7;
  if (restBits === 0) return true;
  const mask = (0xff << (8 - restBits)) & 0xff;
  return ((a[wholeBytes] ?? 0) & mask) === ((b[wholeBytes] ?? 0) & mask);
}

function mappedBytes(ipv4: Uint8Array): Uint8Array {
  const bytes = new Uint8Array(16);
  bytes.set(MAPPED_PREFIX);
  bytes.set(ipv4, 12);
  return bytes;
}

/** True when `address` is inside `range`. An IPv4 address is also inside IPv6 ranges holding its mapped form. */
export function ipRangeContains(range: IpRange, address: IpAddress): boolean {
  if (range.family === address.family) return prefixEqual(range.bytes, address.bytes, range.prefixLength);
  if (range.family === 6 && address.family === 4) {
    return prefixEqual(range.bytes, mappedBytes(address.bytes), range.prefixLength);
  }
  return false;
}

/** The canonical text of a range: dotted IPv4 or RFC 5952 IPv6, with `/n` unless it is a single address. */
export function formatIpRange(range: IpRange): string {
  const address = range.family === 4 ? [...range.bytes].join('.') : formatIpv6(range.bytes);
  return range.prefixLength === range.bytes.length * 8 ? address : `${address}/${range.prefixLength}`;
}

/** RFC 5952: lower-case hex without leading zeros; the longest run of two or more zero groups (first on a tie) as ::. */
function formatIpv6(bytes: Uint8Array): string {
  const groups: number[] = [];
  for (let i = 0; i < 16; i += 2) groups.push(((bytes[i] ?? 0) << 8) | (bytes[i + 1] ?? 0));
  let bestStart = -1;
  let bestLength = 1;
  for (let start = 0; start < 8;) {
    if (groups[start] !== 0) {
      start++;
      continue;
    }
    let end = start;
    while (end < 8 && groups[end] === 0) end++;
    if (end - start > bestLength) {
      bestStart = start;
      bestLength = end - start;
    }
    start = end;
  }
  const hex = (from: number, to: number) =>
    groups
      .slice(from, to)
      .map((group) => group.toString(16))
      .join(':');
  if (bestStart === -1) return hex(0, 8);
  return `${hex(0, bestStart)}::${hex(bestStart + bestLength, 8)}`;
}

/** An entry that cannot be used, with its position in the list. */
export interface IpAllowListProblem {
  readonly index: number;
  readonly message: string;
}

/**
 * Validates and normalizes an allow-list as an operator typed it: each entry parsed, written canonically
 * (`10.0.0.0/8`, `2001:db8::/32`, `1.2.3.4`), duplicates dropped, order kept. Returns the problems instead when
 * an entry is malformed or the list is too long; the messages quote the entry, which is not a secret.
 */
export function normalizeIpAllowList(
  entries: readonly string[],
): { ok: true; entries: string[] } | { ok: false; problems: IpAllowListProblem[] } {
  const problems: IpAllowListProblem[] = [];
  const normalized: string[] = [];
  entries.forEach((entry, index) => {
    const text = entry.trim();
    const range = parseIpRange(text);
    if (typeof range === 'string') {
      const hint = range === 'host bits set' ? hostBitsHint(text) : '';
      problems.push({ index, message: `${JSON.stringify(text.slice(0, 80))}: ${range}${hint}` });
      return;
    }
    const canonical = formatIpRange(range);
    if (!normalized.includes(canonical)) normalized.push(canonical);
  });
  if (problems.length === 0 && normalized.length > IP_ALLOW_LIST_ENTRIES_MAX) {
    problems.push({ index: IP_ALLOW_LIST_ENTRIES_MAX, message: `at most ${IP_ALLOW_LIST_ENTRIES_MAX} entries` });
  }
  return problems.length === 0 ? { ok: true, entries: normalized } : { ok: false, problems };
}

function hostBitsHint(text: string): string {
  const slash = text.indexOf('/');
  const raw = text.includes(':') ? parseIpv6(text.slice(0, slash)) : parseIpv4(text.slice(0, slash));
  const prefixLength = Number(text.slice(slash + 1));
  if (raw === undefined) return '';
  const network = raw.map((byte, i) => byte & ((0xff << (8 - Math.min(8, Math.max(0, prefixLength - 8 * i)))) & 0xff));
  const range = parseIpRange(`${raw.length === 4 ? [...network].join('.') : formatIpv6(network)}/${prefixLength}`);
  return typeof range === 'string' ? '' : ` (did you mean ${formatIpRange(range)}?)`;
}

/**
 * A compiled allow-list. `allows(ip)` is true when the list is empty or the address is inside an entry; an
 * address that does not parse is allowed only by an empty list (fail closed).
 */
export class IpAllowList {
  readonly entries: readonly string[];
  readonly #ranges: readonly IpRange[];

  /** `entries` must already be valid (normalizeIpAllowList); an invalid one is a bug and throws. */
  constructor(entries: readonly string[]) {
    const ranges: IpRange[] = [];
    for (const entry of entries) {
      const range = parseIpRange(entry);
      if (typeof range === 'string') throw new Error(`IpAllowList: invalid entry ${JSON.stringify(entry)}: ${range}`);
      ranges.push(range);
    }
    this.entries = Object.freeze([...entries]);
    this.#ranges = ranges;
  }

  get isEmpty(): boolean {
    return this.#ranges.length === 0;
  }

  allows(ip: string): boolean {
    if (this.#ranges.length === 0) return true;
    const address = parseIpAddress(ip);
    if (address === undefined) return false;
    return this.#ranges.some((range) => ipRangeContains(range, address));
  }
}
