// A real relay (@nostr-relay/core, its own NIP-42 checks) that serves REQs to authenticated readers only: an
// unauthenticated REQ is answered `CLOSED "auth-required: …"`. The challenge is sent on connect, or only after that
// CLOSED (a relay may do either); AUTH can be restricted to some pubkeys. Every AUTH event received is recorded with
// the challenge of its connection, so a test can check what the client signed.

import type { ClientContext, HandleMessageResult, IncomingMessage, NostrRelayPlugin } from '@nostr-relay/common';
import type { NostrEvent } from '../../electron/core/declaration';
import { startRealRelay, type RelayServer } from '../helpers/relay';

export interface ReceivedAuth {
  event: NostrEvent;
  /** The challenge of the connection it came on. */
  challenge: string;
  /** Did the relay accept it (its NIP-42 checks, and the pubkey allowed)? */
  accepted: boolean;
}

export interface AuthRelay extends RelayServer {
  readonly auths: ReceivedAuth[];
  /** REQs refused for want of AUTH. */
  readonly refusedReqs: () => number;
}

export const READ_AUTH_REASON = 'auth-required: this relay serves authenticated readers only';

export async function startAuthRelay(options: { challenge: 'on-connect' | 'after-closed'; allowedPubkeys?: readonly string[] }): Promise<AuthRelay> {
  const auths: ReceivedAuth[] = [];
  let refused = 0;
  const gate: NostrRelayPlugin = {
    async handleMessage(ctx: ClientContext, message: IncomingMessage, next: () => Promise<HandleMessageResult>): Promise<HandleMessageResult> {
      if (message[0] === 'AUTH') {
        const event = message[1] as unknown as NostrEvent;
        const received: ReceivedAuth = { event, challenge: ctx.id, accepted: false };
        auths.push(received);
        if (options.allowedPubkeys && !options.allowedPubkeys.includes(event.pubkey)) {
          ctx.sendMessage(['OK', event.id, false, 'restricted: this key may not read here']);
          return { messageType: 'AUTH', success: false };
        }
        const result = await next();
        received.accepted = ctx.pubkey === event.pubkey;
        return result;
      }
      if (message[0] === 'REQ' && ctx.pubkey === undefined) {
        refused += 1;
        ctx.sendMessage(['CLOSED', message[1], READ_AUTH_REASON]);
        if (options.challenge === 'after-closed') ctx.sendMessage(['AUTH', ctx.id]);
        return { messageType: 'REQ', events: [] };
      }
      return next();
    },
  };
  const server = await startRealRelay({ hostname: '127.0.0.1', plugins: [gate], greet: options.challenge === 'on-connect' });
  return { ...server, close: () => server.close(), auths, refusedReqs: () => refused };
}
