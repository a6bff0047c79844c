// Live discovery tests: the app's own operations (createAppOperations: the table with the discovery sync hook, one
// store session, the progress hub) over a real store file, driven through the real dispatcher.

import path from 'node:path';
import { finalizeEvent } from 'nostr-tools/pure';
import { expect } from 'vitest';
import { createAppOperations, type AppOperations } from '../../electron/ipc/app-operations';
import type { ProgressEnvelope } from '../../electron/ipc/contract';
import { createDispatcher } from '../../electron/ipc/dispatch';
import { ProgressHub } from '../../electron/ipc/progress';
import type { NostrEvent } from '../../electron/core/declaration';
import type { OperationContext } from '../../electron/ops/context';
import type { DiscoveryRelayStatus, DiscoveryStatusView } from '../../electron/ops/discovery-supervisor';
import { publishBatch } from '../../electron/relays/publisher';
import { keys, tampered } from '../import/fixtures';
import { onCleanup, PASSPHRASE } from '../import/helpers';

export interface DiscoveryApp {
  ops: AppOperations;
  progress: ProgressEnvelope[];
  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  ok(name: string, input?: unknown): Promise<any>;
  status(): Promise<DiscoveryStatusView>;
  relayStatus(url: string): Promise<DiscoveryRelayStatus | undefined>;
  rows<T>(sql: string, ...params: unknown[]): T[];
  close(): Promise<void>;
}

export function openApp(dbPath: string, options: { init?: boolean } = {}): Promise<DiscoveryApp> {
  const hub = new ProgressHub();
  const progress: ProgressEnvelope[] = [];
  hub.subscribe((_json, envelope) => progress.push(envelope));
  const ops = createAppOperations({ dbPath, progress: hub, scrypt: { N: 1024, r: 8, p: 1 } });
  const dispatcher = createDispatcher(ops.table, ops.makeContext, (envelope) => hub.publish(envelope));
  let closed: Promise<void> | undefined;
  const app: DiscoveryApp = {
    ops,
    progress,
    async ok(name, input = {}) {
      const result = await dispatcher.call(name, input);
      if (!result.ok) throw new Error(`${name} failed: ${result.error.code}: ${result.error.message}`);
      return result.value;
    },
    status: () => app.ok('discovery.status'),
    async relayStatus(url) {
      return (await app.status()).relays.find((r) => r.relay === url);
    },
    rows<T>(sql: string, ...params: unknown[]) {
      const ctx = ops.makeContext({ operation: 'test', callId: 'test', emitProgress() {} }) as OperationContext;
      return ctx.services.db().prepare(sql).all(...params) as T[];
    },
    close: () => (closed ??= ops.close()),
  };
  onCleanup(() => app.close());
  return (async () => {
    if (options.init !== false) await app.ok('store.init', { passphrase: PASSPHRASE });
    return app;
  })();
}

export function storePath(dir: string): string {
  return path.join(dir, 'store.db');
}

export async function until(condition: () => boolean | Promise<boolean>, what: string, timeoutMs = 15_000): Promise<void> {
  const start = Date.now();
  while (!(await condition())) {
    if (Date.now() - start > timeoutMs) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 25));
  }
}

export async function publish(relay: string, events: readonly NostrEvent[]): Promise<void> {
  const result = await publishBatch({ relays: [relay], events: events as NostrEvent[], deadlineMs: 10_000 });
  expect(result.outcomes.map((o) => o.state)).toEqual(events.map(() => 'published'));
}

/**
 * A wrapper event whose declaration was tampered with, then signed again by the wrapper's Nostr key: a relay takes it
 * (its id and Schnorr signature are right), while the declaration's own signature inside no longer verifies.
 */
export function forgedWrapper(event: NostrEvent): NostrEvent {
  const changed = tampered(event);
  return finalizeEvent({ kind: changed.kind, created_at: changed.created_at, tags: changed.tags, content: changed.content }, keys.nostrWrapper.privateKey!) as NostrEvent;
}
