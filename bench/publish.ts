// Publishing through the durable outbox: 1,000 signed declarations to 3 local relays with `publish.start` (rows
// written before sending, every answer recorded in small transactions, the declaration state derived), next to
//  - a naive baseline: one connection per relay, each event awaits its OK before the next is sent;
//  - `publishBatch` alone (pipelined, nothing stored): what the outbox bookkeeping costs on top of the network layer.
// Three kinds of relay, each contender on fresh ones:
//  1. real relays (@nostr-relay, one process each, SQLite in memory): ~6.7 ms CPU per event on the relay side, so
//     the relays, not the client, set the pace on this 2-core machine;
//  2. fast responders in this process that answer OK at once (no verification, no storage): the client's own cost;
//  3. the same responders answering 5 ms after each EVENT: latency, where pipelining matters.
// Prints figures only. Run: `npm run bench -- publish`.

import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { NostrEvent } from '../electron/core/declaration/types';
import { invokeOperation } from '../electron/ops/define';
import { createOperationContext, type OperationContext } from '../electron/ops/context';
import { operations } from '../electron/ops/table';
import { naivePublish } from './lib/naive-publish';
import { publishBatch, summarizeOutcomes } from '../electron/relays/publisher';
import { requireDeclaration } from '../electron/store/declarations';
import { startFaultyRelay, startRealRelayProcess } from '../tests/helpers/relay';
import { seedSignedDeclarations } from '../tests/publish/seed';

const DECLARATIONS = 1_000;
const RELAY_COUNT = 3;
const PASSPHRASE = 'bench passphrase, not secret';

interface Relays {
  urls: string[];
  close(): Promise<unknown>;
}

const KINDS: Array<{ label: string; start(): Promise<Relays> }> = [
  {
    label: `${RELAY_COUNT} real relays (@nostr-relay, own processes: verify + store each event)`,
    async start() {
      const relays = await Promise.all(Array.from({ length: RELAY_COUNT }, () => startRealRelayProcess()));
      return { urls: relays.map((r) => r.url), close: () => Promise.all(relays.map((r) => r.close())) };
    },
  },
  {
    label: `${RELAY_COUNT} fast responders in this process (OK at once, nothing verified or stored)`,
    async start() {
      const relays = await Promise.all(Array.from({ length: RELAY_COUNT }, () => startFaultyRelay('accept')));
      return { urls: relays.map((r) => r.url), close: () => Promise.all(relays.map((r) => r.close())) };
    },
  },
  {
    label: `${RELAY_COUNT} responders in this process answering 5 ms after each EVENT (simulated latency)`,
    async start() {
      const relays = await Promise.all(Array.from({ length: RELAY_COUNT }, () => startFaultyRelay('accept', { okDelayMs: 5 })));
      return { urls: relays.map((r) => r.url), close: () => Promise.all(relays.map((r) => r.close())) };
    },
  },
];

async function call(ctx: OperationContext, name: keyof typeof operations, input: unknown) {
  const result = await invokeOperation(operations[name], input, ctx);
  if (!result.ok) throw new Error(`${name}: ${result.error.code}: ${result.error.message}`);
  return result.value as any; // eslint-disable-line @typescript-eslint/no-explicit-any
}

function report(label: string, ms: number, published: number) {
  const pairs = DECLARATIONS * RELAY_COUNT;
  console.log(
    `  ${label.padEnd(44)} ${ms.toFixed(0).padStart(6)} ms  ${((DECLARATIONS / ms) * 1000).toFixed(0).padStart(6)} events/s` +
      `  ${((pairs / ms) * 1000).toFixed(0).padStart(6)} (event,relay)/s  published ${published}/${pairs}`,
  );
}

async function timed(kind: (typeof KINDS)[number], run: (urls: string[]) => Promise<number>, label: string) {
  const relays = await kind.start();
  try {
    const started = performance.now();
    const published = await run(relays.urls);
    report(label, performance.now() - started, published);
  } finally {
    await relays.close();
  }
}

async function main() {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'declsign-bench-publish-'));
  const ctx = createOperationContext({ dbPath: path.join(dir, 'store.db'), scrypt: { N: 2 ** 10, r: 8, p: 1 }, askPassphrase: async () => PASSPHRASE });
  try {
    await call(ctx, 'store.init', { passphrase: PASSPHRASE });
    const admin = await call(ctx, 'keys.generate', { algorithm: 'nostr', label: 'bench admin', role: 'master-admin' });
    const subject = await call(ctx, 'keys.generate', { algorithm: 'nostr', label: 'bench subject' });
    const uuids = await seedSignedDeclarations(ctx, admin.id, subject.id, DECLARATIONS);
    const db = ctx.services.db();
    const events = uuids.map((uuid) => JSON.parse(requireDeclaration(db, uuid).nostr_event!) as NostrEvent);
    const bytes = Buffer.byteLength(JSON.stringify(events[0]), 'utf8');
    console.log(`${DECLARATIONS} signed declarations (~${bytes}-byte kind-31106 events), each contender on fresh relays`);

    // Warm-up (JIT, first connections), not reported.
    const warm = await KINDS[1]!.start();
    await publishBatch({ relays: warm.urls, events: events.slice(0, 50), deadlineMs: 30_000 });
    await warm.close();

    for (const kind of KINDS) {
      console.log(`\n${kind.label}`);
      await timed(
        kind,
        async (urls) => {
          const result = await call(ctx, 'publish.start', { uuids, relays: urls, deadline_ms: 300_000 });
          return result.round.published as number;
        },
        'outbox: publish.start (durable, recorded)',
      );
      await timed(
        kind,
        async (urls) => summarizeOutcomes((await publishBatch({ relays: urls, events, deadlineMs: 300_000 })).outcomes).published,
        'publishBatch alone (pipelined, not stored)',
      );
      await timed(kind, (urls) => naivePublish(urls, events), 'naive send-and-await-each (not stored)');
    }
  } finally {
    await ctx.services.close();
    rmSync(dir, { recursive: true, force: true });
  }
}

await main();
