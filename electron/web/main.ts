// Browser-mode entry (dist/web.js): serves the app on 127.0.0.1 for machines where Electron cannot run.
// Usage: node dist/web.js [--port N]   (DECLSIGN_DB chooses the store file, as for the CLI)

import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { createAppOperations, defaultStorePath } from '../ipc/app-operations';
import { createIdleLock, IDLE_POLL_MS, idleLockLimitSeconds } from '../ipc/idle-lock';
import { ProgressHub } from '../ipc/progress';
import { startWebServer } from './server';
import { startOutboxResumer } from '../ipc/outbox-resumer';

function portFromArgs(argv: readonly string[]): number {
  const index = argv.indexOf('--port');
  if (index === -1) return 0;
  const port = Number(argv[index + 1]);
  if (!Number.isInteger(port) || port < 0 || port > 65535) {
    console.error(`--port expects a number from 0 to 65535, got "${argv[index + 1] ?? ''}"`);
    process.exit(2);
  }
  return port;
}

const distDir = path.dirname(fileURLToPath(import.meta.url));
const progress = new ProgressHub();
const operations = createAppOperations({ dbPath: defaultStorePath(), progress });
const server = await startWebServer({
  table: operations.table,
  makeContext: operations.makeContext,
  rendererDir: path.join(distDir, 'renderer'),
  port: portFromArgs(process.argv.slice(2)),
  progress,
});

const idleLock = createIdleLock({
  idleSeconds: () => server.secondsSinceLastCall(),
  limitSeconds: idleLockLimitSeconds(),
  lock: async () => {
    const result = await server.call('store.lock', {});
    if (result.ok) progress.publish({ operation: 'store.lock', callId: 'idle', event: { reason: 'idle' } });
  },
});
const idleTimer = setInterval(() => void idleLock.check(), IDLE_POLL_MS);
const outbox = startOutboxResumer((name, input) => server.call(name, input), {
  onError: (message) => console.warn(`Declaration Signer: outbox round failed (${message})`),
});
// Relays switched to "Follow live" are subscribed to while the server runs; operations.close() stops them.
operations.discovery.start();

console.log(`Declaration Signer (browser mode): ${server.url}\nStore: ${defaultStorePath()}`);

async function shutdown(): Promise<void> {
  clearInterval(idleTimer);
  outbox.stop();
  await server.close();
  await operations.close(); // finishes the discovery batch in progress first
  process.exit(0);
}
process.once('SIGINT', () => void shutdown());
process.once('SIGTERM', () => void shutdown());
