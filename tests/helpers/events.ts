// Signed kind-31106 events for relay tests and benchmarks (nostr-tools signs; the relays verify).

import { randomUUID } from 'node:crypto';
import { finalizeEvent, generateSecretKey, getPublicKey } from 'nostr-tools/pure';
import type { NostrEvent } from '../../electron/core/declaration/types';

export interface TestSigner {
  secretKey: Uint8Array;
  pubkey: string;
  sign(template: { kind: number; created_at: number; tags: string[][]; content: string }): NostrEvent;
}

export function makeSigner(secretKey: Uint8Array = generateSecretKey()): TestSigner {
  return {
    secretKey,
    pubkey: getPublicKey(secretKey),
    sign: (template) => finalizeEvent(template, secretKey) as NostrEvent,
  };
}

/** `count` distinct declaration events (each its own `d`), created `createdAt` (default now). */
export function makeDeclarationEvents(
  count: number,
  signer: TestSigner = makeSigner(),
  options: { createdAt?: number; content?: (i: number) => string } = {},
): NostrEvent[] {
  const createdAt = options.createdAt ?? Math.floor(Date.now() / 1000);
  return Array.from({ length: count }, (_, i) =>
    signer.sign({
      kind: 31106,
      created_at: createdAt,
      tags: [
        ['d', randomUUID()],
        ['t', 'trust-declaration'],
      ],
      content: options.content?.(i) ?? JSON.stringify({ schema_version: '1.0', n: i, note: 'déclaration ✓' }),
    }),
  );
}
