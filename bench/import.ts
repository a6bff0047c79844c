// Import throughput: a file of mixed declarations (Nostr-signed, Ed25519- and RSA-wrapped, a third countersigned)
// into a fresh store through the real import path (split → worker-thread verification → SQLite), then the same from a
// real relay. Prints declarations/s and peak RSS; asserts nothing. `npm run bench -- import` (IMPORT_BENCH_N=6000).
// The signed fixture and the relay's database are cached under node_modules/.cache/declsign/bench (signing is slow).

import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { build } from 'esbuild';
import { defaultBackend, verifySchnorrNoble } from '../electron/core/declaration';
import { verifyImportGroup } from '../electron/core/import-verify';
import { importEvents } from '../electron/relays/import';
import { createLocalVerifier, createVerifyPool, wasmSchnorrVerifier } from '../electron/relays/import-pool';
import { fetchFromRelays } from '../electron/relays/import-relays';
import { splitImportText } from '../electron/relays/import-split';
import { publishBatch } from '../electron/relays/publisher';
import { openDatabase } from '../electron/store/database';
import { startRealRelayProcess } from '../tests/helpers/relay';
import { mixedDeclarations } from '../tests/import/fixtures';

const N = Number(process.env.IMPORT_BENCH_N ?? 6000);
const root = process.cwd();
const cacheDir = path.join(root, 'node_modules', '.cache', 'declsign', 'bench');
mkdirSync(cacheDir, { recursive: true });
const mb = (kb: number) => `${(kb / 1024).toFixed(0)} MB`;
const peakRss = () => process.resourceUsage().maxRSS; // KB, every thread of this process
const seconds = (from: bigint) => Number(process.hrtime.bigint() - from) / 1e9;

console.log(`node ${process.version}, ${os.availableParallelism()} cores, load ${os.loadavg().map((l) => l.toFixed(2)).join(' ')}, ${new Date().toISOString()}`);

// --- fixture ---------------------------------------------------------------------------------------------------------
const fixtureFile = path.join(cacheDir, `import-fixture-v2-${N}.jsonl`);
if (!existsSync(fixtureFile)) {
  const started = process.hrtime.bigint();
  const verifySchnorr = await wasmSchnorrVerifier();
  const declarations = mixedDeclarations(N, { ...defaultBackend, verifySchnorr });
  writeFileSync(fixtureFile, `${declarations.flatMap((d) => d.events.map((e) => JSON.stringify(e))).join('\n')}\n`);
  console.log(`fixture: signed ${N} declarations in ${seconds(started).toFixed(1)} s (cached)`);
}
const fixtureText = readFileSync(fixtureFile, 'utf8');
const eventCount = fixtureText.trim().split('\n').length;
console.log(`fixture: ${N} declarations, ${eventCount} events, ${(Buffer.byteLength(fixtureText) / 1e6).toFixed(1)} MB (${fixtureFile})\n`);

// --- the worker, bundled from the current sources ----------------------------------------------------------------
const workerFile = path.join(cacheDir, 'verify-worker.mjs');
await build({ entryPoints: [path.join(root, 'electron/core/verify-worker.ts')], outfile: workerFile, bundle: true, platform: 'node', target: 'node20', format: 'esm', packages: 'external', logLevel: 'warning' });

function freshStore() {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'declsign-bench-import-'));
  const db = openDatabase(path.join(dir, 'store.db'));
  return { db, done: () => { db.close(); rmSync(dir, { recursive: true, force: true }); } };
}

// --- 1. from a file --------------------------------------------------------------------------------------------------
{
  const rssBefore = peakRss();
  const store = freshStore();
  const started = process.hrtime.bigint();
  const items = splitImportText(readFileSync(fixtureFile, 'utf8')).map((e) => ({ ...e, source: 'file:bench', relay: null }));
  const splitAt = seconds(started);
  const pool = await createVerifyPool({ threads: 2, workerFile });
  const poolAt = seconds(started);
  let verifiedAt = 0;
  const result = await importEvents(store.db, items, { now: new Date(), verifier: pool, onProgress: (done, total) => { if (done === total) verifiedAt = seconds(started); } });
  const total = seconds(started);
  await pool.close();
  console.log(`file import, 2 worker threads: ${result.counts.verified} declarations (${JSON.stringify(result.counts)})`);
  console.log(`  ${(result.counts.verified / total).toFixed(0)} declarations/s end to end (${total.toFixed(2)} s: split ${splitAt.toFixed(2)} s, workers up ${(poolAt - splitAt).toFixed(2)} s, verified at ${verifiedAt.toFixed(2)} s, stored at ${total.toFixed(2)} s)`);
  console.log(`  peak RSS ${mb(peakRss())} (before: ${mb(rssBefore)})`);
  store.done();
}

// --- 2. verification alone -------------------------------------------------------------------------------------------
const groups = [...splitImportText(fixtureText).reduce((map, e) => map.set(e.groupKey, [...(map.get(e.groupKey) ?? []), e.text]), new Map<string | null, string[]>()).values()];
{
  const pool = await createVerifyPool({ threads: 2, workerFile });
  await pool.verify(groups.slice(0, 200), '2025-06-01T00:00:00Z'); // warm
  const started = process.hrtime.bigint();
  const verdicts = await pool.verify(groups, '2025-06-01T00:00:00Z');
  const secs = seconds(started);
  await pool.close();
  console.log(`\nverification only, 2 worker threads (wasm): ${(verdicts.filter((v) => v.accepted).length / secs).toFixed(0)} declarations/s`);
  const sample = groups.slice(0, Math.min(1500, groups.length));
  const local = await createLocalVerifier();
  let t = process.hrtime.bigint();
  await local.verify(sample, '2025-06-01T00:00:00Z');
  console.log(`verification only, calling thread (wasm): ${(sample.length / seconds(t)).toFixed(0)} declarations/s`);
  const nobleSample = sample.slice(0, 500);
  t = process.hrtime.bigint();
  for (const texts of nobleSample) verifyImportGroup(texts, { at: '2025-06-01T00:00:00Z', verifySchnorr: verifySchnorrNoble });
  console.log(`verification only, calling thread (noble): ${(nobleSample.length / seconds(t)).toFixed(0)} declarations/s`);
}

// --- 3. from a real relay (child process, SQLite file) ---------------------------------------------------------------
{
  const relayFile = path.join(cacheDir, `import-relay-v2-${N}.sqlite`);
  const populated = existsSync(`${relayFile}.done`);
  if (!populated) rmSync(relayFile, { force: true });
  const relay = await startRealRelayProcess({ file: relayFile });
  try {
    if (!populated) {
      const started = process.hrtime.bigint();
      const events = fixtureText.trim().split('\n').map((line) => JSON.parse(line));
      for (let i = 0; i < events.length; i += 1000) {
        await publishBatch({ relays: [relay.url], events: events.slice(i, i + 1000), deadlineMs: 120_000 });
      }
      writeFileSync(`${relayFile}.done`, '');
      console.log(`\nrelay: published ${events.length} events in ${seconds(started).toFixed(1)} s (cached)`);
    }
    const store = freshStore();
    const started = process.hrtime.bigint();
    const fetched = await fetchFromRelays({ relays: [relay.url], limit: eventCount * 2 }, { deadlineMs: 120_000 });
    const fetchedAt = seconds(started);
    const pool = await createVerifyPool({ threads: 2, workerFile });
    const result = await importEvents(store.db, fetched.items, { now: new Date(), verifier: pool });
    const total = seconds(started);
    await pool.close();
    console.log(`\nrelay import (${relay.url}, ${fetched.relays[0]!.end}): ${fetched.items.length} events → ${result.counts.verified} declarations (${JSON.stringify(result.counts)})`);
    console.log(`  ${(result.counts.verified / total).toFixed(0)} declarations/s end to end (${total.toFixed(2)} s, of which fetching ${fetchedAt.toFixed(2)} s); ${(result.counts.verified / (total - fetchedAt)).toFixed(0)} declarations/s after the fetch`);
    console.log(`  peak RSS of this process ${mb(peakRss())}`);
    store.done();
  } finally {
    await relay.close();
  }
}
