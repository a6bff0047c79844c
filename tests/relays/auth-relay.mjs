// A real relay (@nostr-relay/core, its own NIP-42 checks) that serves REQs to authenticated readers only: an
// unauthenticated REQ is answered `CLOSED "auth-required: …"`. The challenge is sent on connect, or only after that
// CLOSED (a relay may do either); AUTH can be restricted to some pubkeys. Every AUTH event received is recorded with
// the challenge of its connection, so a test can check what the client signed. Plain ESM JavaScript, like
// real-relay.mjs, so auth-relay-process.mjs runs the same relay in a child process (for the synchronous CLI).

import { startRelayServer } from '../helpers/real-relay.mjs';

export const READ_AUTH_REASON = 'auth-required: this relay serves authenticated readers only';

/** @param {import('./auth-relay.d.mts').AuthRelayOptions} options */
export async function startAuthRelay(options) {
  /** @type {import('./auth-relay.d.mts').ReceivedAuth[]} */
  const auths = [];
  let refused = 0;
  /** @type {import('@nostr-relay/common').HandleMessagePlugin} */
  const gate = {
    async handleMessage(ctx, message, next) {
      if (message[0] === 'AUTH') {
        const event = message[1];
        const received = { event, challenge: ctx.id, accepted: false };
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
  const server = await startRelayServer({ hostname: '127.0.0.1', plugins: [gate], greet: options.challenge === 'on-connect' });
  return { url: server.url, port: server.port, close: () => server.close(), auths, refusedReqs: () => refused };
}
