// A real Nostr relay for tests: @nostr-relay/core + SQLite repository + zod validator over `ws`, bound to 127.0.0.1.
// Plain ESM JavaScript so the same code runs in-process (tests) and as a child process (relay-process.mjs) without a build.

import { createOutgoingNoticeMessage, LogLevel } from '@nostr-relay/common';
import { NostrRelay } from '@nostr-relay/core';
import { EventRepositorySqlite } from '@nostr-relay/event-repository-sqlite';
import { Validator } from '@nostr-relay/validator';
import { WebSocketServer } from 'ws';

/**
 * `hostname` turns on the relay's own NIP-42 (AUTH events must name a relay URL on that host); `plugins` are
 * registered on it; `greet: false` skips the connection greeting (with NIP-42 on, the challenge sent on connect).
 * @param {{ port?: number, file?: string, hostname?: string, plugins?: import('@nostr-relay/common').NostrRelayPlugin[], greet?: boolean }} [options]
 * @returns {Promise<{ url: string, port: number, close: () => Promise<void> }>}
 */
export async function startRelayServer({ port = 0, file = ':memory:', hostname, plugins = [], greet = true } = {}) {
  const repository = new EventRepositorySqlite(file);
  await repository.init();
  // filterResultCacheTtl 0: the default 1 s cache returns a replaced addressable event to an immediate re-query.
  const relay = new NostrRelay(repository, { filterResultCacheTtl: 0, logLevel: LogLevel.ERROR, ...(hostname ? { hostname } : {}) });
  for (const plugin of plugins) relay.register(plugin);
  const validator = new Validator();
  const server = new WebSocketServer({ host: '127.0.0.1', port });

  server.on('connection', (socket) => {
    if (greet) relay.handleConnection(socket);
    socket.on('message', async (data) => {
      try {
        await relay.handleMessage(socket, await validator.validateIncomingMessage(data));
      } catch (error) {
        const message = error instanceof Error ? error.message : String(error);
        if (socket.readyState === socket.OPEN) socket.send(JSON.stringify(createOutgoingNoticeMessage(message)));
      }
    });
    socket.on('close', () => relay.handleDisconnect(socket));
    socket.on('error', () => {});
  });

  await new Promise((resolve, reject) => {
    server.once('listening', resolve);
    server.once('error', reject);
  });
  const boundPort = /** @type {import('node:net').AddressInfo} */ (server.address()).port;

  let closed;
  return {
    url: `ws://127.0.0.1:${boundPort}`,
    port: boundPort,
    close() {
      closed ??= (async () => {
        for (const client of server.clients) client.terminate();
        await new Promise((resolve) => server.close(() => resolve(undefined)));
        await relay.destroy();
        await repository.destroy();
      })();
      return closed;
    },
  };
}
