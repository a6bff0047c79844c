// Runs the AUTH-gated relay (auth-relay.mjs) as its own process, for tests that drive the synchronous CLI.
// Usage: node tests/relays/auth-relay-process.mjs [--challenge on-connect|after-closed] [--allow HEX_PUBKEY …]
// Prints one JSON line `{"url":…,"port":…}` on stdout once listening.

import { parseArgs } from 'node:util';
import { startAuthRelay } from './auth-relay.mjs';

const { values } = parseArgs({ options: { challenge: { type: 'string' }, allow: { type: 'string', multiple: true } } });
const server = await startAuthRelay({
  challenge: values.challenge === 'after-closed' ? 'after-closed' : 'on-connect',
  ...(values.allow ? { allowedPubkeys: values.allow } : {}),
});
process.stdout.write(`${JSON.stringify({ url: server.url, port: server.port })}\n`);

const shutdown = () => server.close().then(() => process.exit(0));
process.on('SIGTERM', shutdown);
process.on('SIGINT', shutdown);
