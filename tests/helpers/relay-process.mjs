// Runs the real test relay as its own process so tests can `kill -9` it and restart it on the same port and file.
// Usage: node tests/helpers/relay-process.mjs [--port N] [--file path]
// Prints one JSON line `{"url":…,"port":…}` on stdout once listening.

import { parseArgs } from 'node:util';
import { startRelayServer } from './real-relay.mjs';

const { values } = parseArgs({ options: { port: { type: 'string' }, file: { type: 'string' } } });
const server = await startRelayServer({
  port: values.port === undefined ? 0 : Number(values.port),
  file: values.file ?? ':memory:',
});
process.stdout.write(`${JSON.stringify({ url: server.url, port: server.port })}\n`);

const shutdown = () => server.close().then(() => process.exit(0));
process.on('SIGTERM', shutdown);
process.on('SIGINT', shutdown);
