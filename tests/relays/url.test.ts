import { describe, expect, it } from 'vitest';
import { DeclsignError } from '../../electron/core/errors';
import { isValidRelayUrl, normalizeRelayUrl, normalizeRelayUrls, relayInfoHttpUrl } from '../../electron/relays/url';

describe('normalizeRelayUrl', () => {
  const same: Array<[string, string]> = [
    ['wss://relay.example.com', 'wss://relay.example.com'],
    ['wss://relay.example.com/', 'wss://relay.example.com'],
    ['WSS://Relay.Example.COM', 'wss://relay.example.com'],
    ['wss://relay.example.com:443/', 'wss://relay.example.com'],
    ['ws://relay.example.com:80', 'ws://relay.example.com'],
    ['wss://relay.example.com:80', 'wss://relay.example.com:80'],
    ['ws://127.0.0.1:7447/', 'ws://127.0.0.1:7447'],
    ['ws://[::1]:7447', 'ws://[::1]:7447'],
    ['wss://relay.example.com/nostr/', 'wss://relay.example.com/nostr'],
    ['wss://relay.example.com/Path//', 'wss://relay.example.com/Path'],
    ['wss://relay.example.com/?token=A', 'wss://relay.example.com?token=A'],
    ['wss://relay.example.com#frag', 'wss://relay.example.com'],
    ['  wss://relay.example.com  ', 'wss://relay.example.com'],
    ['wss://bücher.example', 'wss://xn--bcher-kva.example'],
  ];
  for (const [input, expected] of same) {
    it(`${JSON.stringify(input)} → ${expected}`, () => {
      expect(normalizeRelayUrl(input)).toBe(expected);
      expect(normalizeRelayUrl(expected)).toBe(expected); // idempotent
    });
  }

  const rejected: Array<[unknown, RegExp]> = [
    ['https://relay.example.com', /scheme must be ws:\/\/ or wss:\/\//],
    ['http://relay.example.com', /scheme/],
    ['relay.example.com', /not a URL/],
    ['wss://', /not a URL|no host/],
    ['ws:relay.example.com', /expected ws:\/\/host/],
    ['wss://user:pw@relay.example.com', /credentials/],
    ['wss://user@relay.example.com', /credentials/],
    ['wss://relay example.com', /whitespace/],
    ['', /empty/],
    [42, /must be a string/],
    [`wss://relay.example.com/${'a'.repeat(3000)}`, /longer than 2048/],
  ];
  for (const [input, why] of rejected) {
    it(`rejects ${JSON.stringify(input).slice(0, 60)}`, () => {
      let thrown: unknown;
      try {
        normalizeRelayUrl(input);
      } catch (error) {
        thrown = error;
      }
      expect(thrown).toBeInstanceOf(DeclsignError);
      expect((thrown as DeclsignError).code).toBe('invalid_relay_url');
      expect((thrown as DeclsignError).message).toMatch(why);
      expect(isValidRelayUrl(input)).toBe(false);
    });
  }

  it('deduplicates lists after normalising, keeping first occurrences in order', () => {
    expect(normalizeRelayUrls(['wss://b.example/', 'wss://a.example', 'WSS://B.example:443'])).toEqual([
      'wss://b.example',
      'wss://a.example',
    ]);
  });

  it('maps to the NIP-11 HTTP address', () => {
    expect(relayInfoHttpUrl('wss://relay.example.com/')).toBe('https://relay.example.com');
    expect(relayInfoHttpUrl('ws://127.0.0.1:7447')).toBe('http://127.0.0.1:7447');
  });
});
