// NIP-42 client authentication: the kind-22242 event a relay's `["AUTH", challenge]` asks us to sign.

import type { UnsignedNostrEvent } from '../core/declaration/types';

export const AUTH_EVENT_KIND = 22242;

/** The unsigned AUTH event for `relayUrl` (as we connected to it) and the relay's challenge. */
export function buildAuthTemplate(relayUrl: string, challenge: string, createdAtSeconds: number): UnsignedNostrEvent {
  return {
    kind: AUTH_EVENT_KIND,
    created_at: createdAtSeconds,
    tags: [
      ['relay', relayUrl],
      ['challenge', challenge],
    ],
    content: '',
  };
}
