import { describe, expect, it } from 'vitest';
import { clientKey } from './limits.js';

describe('clientKey', () => {
  it('keeps IPv4 addresses, mapped or not', () => {
    expect(clientKey('203.0.113.7')).toBe('203.0.113.7');
    expect(clientKey('::ffff:203.0.113.7')).toBe('203.0.113.7');
  });

  it('counts an IPv6 client per /64, however the address is written', () => {
    const key = clientKey('2001:db8:1:2::1');
    expect(key).toBe('2001:db8:1:2::/64');
    expect(clientKey('2001:0DB8:0001:0002:ffff:eeee:dddd:cccc')).toBe(key);
    expect(clientKey('2001:db8:1:2:0:0:0:9%eth0')).toBe(key);
    expect(clientKey('2001:db8:1:3::1')).not.toBe(key);
    expect(clientKey('::1')).toBe('0:0:0:0::/64');
  });

  it('has one key for an unknown address and never passes odd text through as is', () => {
    expect(clientKey(null)).toBe('unknown');
    expect(clientKey('not an address')).toMatch(/^[\w-]{43}$/);
  });
});
