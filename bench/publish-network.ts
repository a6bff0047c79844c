// Publishing throughput over loopback: 1,000 signed kind-31106 events to 3 relays, pipelined `publishBatch` next to
// a naive send-and-await-each baseline on the same connection code, in two settings:
//  1. real relays (@nostr-relay, each its own process): bounded by the relay's own per-event work;
//  2. relays that only answer OK after a fixed delay (in this process): the network layer's cost under latency.
// Prints figures only. Run: `npm run bench -- publish-network` (scripts/bench.mjs bundles it with esbuild).

import { naivePublish } from './lib/naive-publish';
import { publishBatch, summarizeOutcomes } from '../electron/relays/publisher';
import { makeDeclarationEvents, makeSigner } from '../tests/helpers/events';
import { startFaultyRelay, startRealRelayProcess, type RelayProcess } from '../tests/helpers/relay';

const EVENT_COUNT = 1_000;
const RELAY_COUNT = 3;
const SIMULATED_RTT_MS = 5;

async function freshRelays(): Promise<RelayProcess[]> {
  return Promise.all(Array.from({ length: RELAY_COUNT }, () => startRealRelayProcess()));
}

function report(label: string, ms: number, published: number) {
  const pairs = EVENT_COUNT * RELAY_COUNT;
  console.log(
    `${label.padEnd(34)} ${ms.toFixed(0).padStart(6)} ms  ${((EVENT_COUNT / ms) * 1000).toFixed(0).padStart(6)} events/s` +
      `  ${((pairs / ms) * 1000).toFixed(0).padStart(6)} (event,relay)/s  published ${published}/${pairs}`,
  );
}

async function main() {
  const signer = makeSigner();
  // Signing happens before any timing: this measures the network layer only.
  const pipelinedEvents = makeDeclarationEvents(EVENT_COUNT, signer, { content: (i) => benchContent(i) });
  const naiveEvents = makeDeclarationEvents(EVENT_COUNT, signer, { content: (i) => benchContent(i) });
  const bytes = Buffer.byteLength(JSON.stringify(pipelinedEvents[0]), 'utf8');
  console.log(`${EVENT_COUNT} kind-31106 events (~${bytes} bytes each) → ${RELAY_COUNT} real relays (@nostr-relay, SQLite in memory, one process each)`);

  const relaysA = await freshRelays();
  const relaysB = await freshRelays();
  try {
    // Warm-up on a throwaway batch so connection setup and JIT are not billed to either contender.
    const warm = makeDeclarationEvents(20, signer);
    await publishBatch({ relays: relaysA.map((r) => r.url), events: warm, deadlineMs: 30_000 });
    await naivePublish(relaysB.map((r) => r.url), warm);

    let started = performance.now();
    const result = await publishBatch({ relays: relaysA.map((r) => r.url), events: pipelinedEvents, deadlineMs: 60_000 });
    report('publishBatch (pipelined)', performance.now() - started, summarizeOutcomes(result.outcomes).published);

    started = performance.now();
    const accepted = await naivePublish(relaysB.map((r) => r.url), naiveEvents);
    report('naive send-and-await-each', performance.now() - started, accepted);
  } finally {
    await Promise.all([...relaysA, ...relaysB].map((relay) => relay.close()));
  }

  console.log(`\nSame events, ${RELAY_COUNT} relays that answer OK ${SIMULATED_RTT_MS} ms after each EVENT (no verification, no storage)`);
  const slow = await Promise.all(
    Array.from({ length: RELAY_COUNT }, () => startFaultyRelay('accept', { okDelayMs: SIMULATED_RTT_MS })),
  );
  try {
    const urls = slow.map((r) => r.url);
    let started = performance.now();
    const result = await publishBatch({ relays: urls, events: pipelinedEvents, deadlineMs: 60_000 });
    report('publishBatch (pipelined)', performance.now() - started, summarizeOutcomes(result.outcomes).published);
    started = performance.now();
    const accepted = await naivePublish(urls, pipelinedEvents);
    report('naive send-and-await-each', performance.now() - started, accepted);
  } finally {
    await Promise.all(slow.map((relay) => relay.close()));
  }
}

function benchContent(i: number): string {
  return JSON.stringify({
    schema_version: '1.0',
    declaration_uuid: `bench-${i}`,
    declaration_type: 'trust-declaration',
    content: { schema_version: '1.0', declaration_type: 'trust-declaration', content: { note: 'benchmark', i } },
    signing_keypair_fingerprint: 'f'.repeat(64),
    target_keypair_fingerprint: 'e'.repeat(64),
    valid_from: '2026-01-01T00:00:00Z',
    valid_until: null,
  });
}

await main();
