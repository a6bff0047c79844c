// Import throughput: a file of mixed declarations (Nostr-signed, Ed25519- and RSA-wrapped, a third countersigned)
// into a fresh store through the real import path (split → worker-thread verification → SQLite), then the same from a
// real relay. Prints declarations/s and peak RSS; asserts nothing. `npm run bench -- import` (IMPORT_BENCH_N=10000).
// The signed fixture and the relay's database are cached under node_modules/.cache/declsign/bench (signing is slow).
// Each stage runs in a child process of its own, so its peak RSS (all threads) is its own.

import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';
import { buildContent, defaultBackend, verifySchnorrNoble } from '../electron/core/declaration';
import { verifyImportGroup } from '../electron/core/import-verify';
import { importEvents } from '../electron/relays/import';
import { bulkSchnorrBackend, createLocalVerifier, createVerifyPool, wasmSchnorrVerifier } from '../electron/relays/import-pool';
import { fetchFromRelays } from '../electron/relays/import-relays';
import { splitImportText } from '../electron/relays/import-split';
import { applyRevocations } from '../electron/ops/handlers/authority';
import { publishBatch } from '../electron/relays/publisher';
import { openDatabase } from '../electron/store/database';
import { startRealRelayProcess } from '../tests/helpers/relay';
import { buildDeclaration, mixedDeclarations } from '../tests/import/fixtures';
import { describeThreadCpu, startThreadCpuSampler } from './lib/thread-cpu';
import type { GroupVerdict } from '../electron/core/import-verify';
import type { GroupVerifier } from '../electron/relays/import-pool';

const N = Number(process.env.IMPORT_BENCH_N ?? 10000);
const STAGE = process.env.IMPORT_BENCH_STAGE;
const root = process.cwd();
const cacheDir = path.join(root, 'node_modules', '.cache', 'declsign', 'bench');
mkdirSync(cacheDir, { recursive: true });
const mb = (kb: number) => `${(kb / 1024).toFixed(0)} MB`;
const peakRss = () => process.resourceUsage().maxRSS; // KB, every thread of this process
const seconds = (from: bigint) => Number(process.hrtime.bigint() - from) / 1e9;

const load = () => `load ${os.loadavg().map((l) => l.toFixed(2)).join(' ')}`;
const backend = await bulkSchnorrBackend();
if (STAGE === undefined) {
  console.log(`node ${process.version}, ${os.availableParallelism()} cores, ${load()}, ${new Date().toISOString()}`);
  console.log(`BIP-340 backend: ${backend.name}${backend.nativeUnavailable ? ` (native: ${backend.nativeUnavailable})` : ''}`);
}

// --- fixture ---------------------------------------------------------------------------------------------------------
const fixtureFile = path.join(cacheDir, `import-fixture-v2-${N}.jsonl`);
if (STAGE === undefined && !existsSync(fixtureFile)) {
  const started = process.hrtime.bigint();
  const verifySchnorr = await wasmSchnorrVerifier();
  const declarations = mixedDeclarations(N, { ...defaultBackend, verifySchnorr });
  writeFileSync(fixtureFile, `${declarations.flatMap((d) => d.events.map((e) => JSON.stringify(e))).join('\n')}\n`);
  console.log(`fixture: signed ${N} declarations in ${seconds(started).toFixed(1)} s (cached)`);
}
const eventCount = N + Math.round(N / 9); // a third of the Nostr-signed third carry a countersignature event
if (STAGE === undefined) {
  console.log(`fixture: ${N} declarations, ${(Buffer.byteLength(readFileSync(fixtureFile)) / 1e6).toFixed(1)} MB (${fixtureFile})`);
}

// --- the worker, bundled from the current sources ----------------------------------------------------------------
const workerFile = path.join(cacheDir, 'verify-worker.mjs');
if (STAGE === undefined) await build({ entryPoints: [path.join(root, 'electron/relays/verify-worker.ts')], outfile: workerFile, bundle: true, platform: 'node', target: 'node20', format: 'esm', packages: 'external', logLevel: 'warning' });

function freshStore() {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'declsign-bench-import-'));
  const db = openDatabase(path.join(dir, 'store.db'));
  return { db, done: () => { db.close(); rmSync(dir, { recursive: true, force: true }); } };
}

// --- the relay's database (populated once, in the parent) -------------------------------------------------------------
const relayFile = path.join(cacheDir, `import-relay-v2-${N}.sqlite`);
if (STAGE === undefined && !existsSync(`${relayFile}.done`)) {
  rmSync(relayFile, { force: true });
  const relay = await startRealRelayProcess({ file: relayFile });
  try {
    const started = process.hrtime.bigint();
    const events = readFileSync(fixtureFile, 'utf8').trim().split('\n').map((line) => JSON.parse(line));
    for (let i = 0; i < events.length; i += 1000) {
      await publishBatch({ relays: [relay.url], events: events.slice(i, i + 1000), deadlineMs: 120_000 });
    }
    writeFileSync(`${relayFile}.done`, '');
    console.log(`relay: published ${events.length} events in ${seconds(started).toFixed(1)} s (cached)`);
  } finally {
    await relay.close();
  }
}

const AT = '2025-06-01T00:00:00Z';
const rate = (count: number, secs: number) => `${(count / secs).toFixed(0)} declarations/s`;
/** CPU time of every thread of this process per declaration: steadier than wall time when other work shares the cores. */
const cpuPer = (since: NodeJS.CpuUsage, count: number) => {
  const used = process.cpuUsage(since);
  return `${((used.user + used.system) / count).toFixed(0)} µs CPU per declaration`;
};
const fixtureGroups = () => {
  const groups = new Map<string | null, string[]>();
  for (const e of splitImportText(readFileSync(fixtureFile, 'utf8'))) groups.set(e.groupKey, [...(groups.get(e.groupKey) ?? []), e.text]);
  return [...groups.values()];
};

/** One file import as import.text runs it, into a fresh store (holding `before`'s events, imported untimed). */
async function fileImport(title: string, before?: () => string[]) {
  const store = freshStore();
  const afterStore = (db: ReturnType<typeof openDatabase>, now: string) => {
    applyRevocations(db, now);
  };
  if (before) {
    const items = before().map((text) => ({ text, source: 'file:bench', relay: null }));
    await importEvents(store.db, items, { now: new Date(), verifier: await createLocalVerifier(), afterStore });
  }
  const threadCpu = startThreadCpuSampler();
  const started = process.hrtime.bigint();
  const cpu = process.cpuUsage();
  const text = readFileSync(fixtureFile, 'utf8');
  // As import.text does: the workers start, then the text is split while they boot.
  const pool = await createVerifyPool({ threads: 2, workerFile });
  const items = splitImportText(text).map((e) => ({ ...e, source: 'file:bench', relay: null }));
  const splitAt = seconds(started);
  let verifiedAt = 0;
  let storedAt = 0;
  const result = await importEvents(store.db, items, {
    now: new Date(),
    verifier: pool,
    onProgress: (done, total) => {
      if (done === total) verifiedAt = seconds(started);
    },
    afterStore: (db, now) => {
      storedAt = seconds(started);
      afterStore(db, now);
    },
  });
  const total = seconds(started);
  const cpuText = cpuPer(cpu, result.counts.verified);
  const byThread = threadCpu?.stop();
  await pool.close();
  const revoked = store.db.prepare('SELECT COUNT(*) AS n FROM admindeclarations WHERE is_revoked = 1').get() as { n: number };
  console.log(`${title}: ${result.counts.verified} declarations (${JSON.stringify(result.counts)}; revoked ${revoked.n})`);
  console.log(`  ${rate(result.counts.verified, total)} end to end (${total.toFixed(2)} s: split ${splitAt.toFixed(2)} s, verified at ${verifiedAt.toFixed(2)} s, stored at ${storedAt.toFixed(2)} s, revocations recomputed at ${total.toFixed(2)} s); ${cpuText}; peak RSS ${mb(peakRss())}; ${load()}`);
  console.log(`  ${describeThreadCpu(byThread, result.counts.verified)}`);
  store.done();
}

const stages: Record<string, () => Promise<void>> = {
  // What `declsign import FILE` does: read the file, start 2 worker threads, split, verify on the workers, store,
  // recompute revocations.
  async file() {
    await fileImport('file import, 2 worker threads');
  },
  // The same into a store that already holds a signed revocation, so the revocation recompute at the end reads every
  // stored declaration (in a store without revisions it has nothing to do).
  async 'file-with-revision'() {
    await fileImport('file import into a store holding a revocation', () => {
      const target = readFileSync(fixtureFile, 'utf8').slice(0, 4096).match(/"d","([0-9a-f-]{36})"/)![1]!;
      const revocation = buildDeclaration('nostr', { content: buildContent('declaration-revoke', { target_declaration_uuid: target, reason: 'bench' }), later: N + 1 });
      return revocation.events.map((e) => JSON.stringify(e));
    });
  },
  async 'verify-workers'() {
    const groups = fixtureGroups();
    const threadCpu = startThreadCpuSampler();
    const pool = await createVerifyPool({ threads: 2, workerFile });
    await pool.verify(groups.slice(0, 200), AT); // warm
    const started = process.hrtime.bigint();
    const cpu = process.cpuUsage();
    const verdicts = (await pool.verify(groups, AT)).read();
    const secs = seconds(started);
    const accepted = verdicts.filter((v) => v.accepted).length;
    const cpuText = cpuPer(cpu, accepted);
    const byThread = threadCpu?.stop();
    await pool.close();
    console.log(`verification only, 2 worker threads (${backend.name}): ${rate(accepted, secs)}; ${cpuText}; peak RSS ${mb(peakRss())} (every group and all ${accepted} verdicts held at once); ${load()}`);
    console.log(`  ${describeThreadCpu(byThread, accepted)} (the workers' warm-up included)`);
  },
  // Storing alone: the same import with every verdict computed beforehand, so only the main thread's share remains
  // (grouping, the SQLite writes, the transactions and WAL checkpoints).
  async store() {
    const items = splitImportText(readFileSync(fixtureFile, 'utf8')).map((e) => ({ ...e, source: 'file:bench', relay: null }));
    const local = await createLocalVerifier();
    const verdictByGroup = new Map<string, GroupVerdict>();
    const keyOf = (texts: readonly string[]) => texts.join('\n');
    const precomputed: GroupVerifier = {
      threads: 0,
      async verify(groups, at) {
        const verdicts: GroupVerdict[] = [];
        for (const texts of groups) {
          let verdict = verdictByGroup.get(keyOf(texts));
          if (verdict === undefined) verdictByGroup.set(keyOf(texts), (verdict = (await local.verify([texts], at)).read()[0]!));
          verdicts.push(verdict);
        }
        return { read: () => verdicts };
      },
      async close() {},
    };
    const warm = freshStore();
    await importEvents(warm.db, items, { now: new Date(), verifier: precomputed }); // fills the verdicts, warms the JIT
    warm.done();
    const store = freshStore();
    const started = process.hrtime.bigint();
    const cpu = process.cpuUsage();
    const result = await importEvents(store.db, items, { now: new Date(), verifier: precomputed });
    const secs = seconds(started);
    console.log(`storing only (verdicts computed beforehand): ${rate(result.counts.verified, secs)}; ${cpuPer(cpu, result.counts.verified)}; ${load()}`);
    store.done();
  },
  async 'verify-thread'() {
    const sample = fixtureGroups().slice(0, 3000);
    const local = await createLocalVerifier();
    await local.verify(sample.slice(0, 200), AT); // warm
    let t = process.hrtime.bigint();
    const cpu = process.cpuUsage();
    const verdicts = (await local.verify(sample, AT)).read();
    const accepted = verdicts.filter((v) => v.accepted).length;
    console.log(`verification only, calling thread (${backend.name}): ${rate(accepted, seconds(t))}; ${cpuPer(cpu, accepted)}; ${load()}`);
    const events = readFileSync(fixtureFile, 'utf8').trim().split('\n').slice(0, 3000).map((line) => JSON.parse(line) as { id: string; sig: string; pubkey: string });
    const floors = [...(backend.name === 'native' ? [['native', backend.verify] as const] : []), ['wasm', await wasmSchnorrVerifier()] as const];
    for (const [name, verifySchnorr] of floors) {
      t = process.hrtime.bigint();
      for (const e of events) verifySchnorr(e.sig, e.id, e.pubkey);
      console.log(`  the floor: BIP-340 alone (${name}) ${(events.length / seconds(t)).toFixed(0)} verifications/s on this thread`);
    }
    if (backend.name === 'native') {
      const wasmVerify = await wasmSchnorrVerifier();
      t = process.hrtime.bigint();
      for (const texts of sample) verifyImportGroup(texts, { at: AT, verifySchnorr: wasmVerify });
      console.log(`verification only, calling thread (wasm, for comparison): ${rate(sample.length, seconds(t))}`);
    }
    const nobleSample = sample.slice(0, 500);
    t = process.hrtime.bigint();
    for (const texts of nobleSample) verifyImportGroup(texts, { at: AT, verifySchnorr: verifySchnorrNoble });
    console.log(`verification only, calling thread (noble): ${rate(nobleSample.length, seconds(t))}`);
  },
  async relay() {
    const relay = await startRealRelayProcess({ file: relayFile });
    try {
      const store = freshStore();
      const threadCpu = startThreadCpuSampler();
      const started = process.hrtime.bigint();
      const cpu = process.cpuUsage();
      const fetched = await fetchFromRelays({ relays: [relay.url], limit: eventCount * 2 }, { deadlineMs: 120_000 });
      const fetchedAt = seconds(started);
      const pool = await createVerifyPool({ threads: 2, workerFile });
      const result = await importEvents(store.db, fetched.items, { now: new Date(), verifier: pool, afterStore: (db, now) => void applyRevocations(db, now) });
      const total = seconds(started);
      const cpuText = cpuPer(cpu, result.counts.verified);
      const byThread = threadCpu?.stop();
      await pool.close();
      console.log(`relay import (${fetched.relays[0]!.end}): ${fetched.items.length} events → ${result.counts.verified} declarations (${JSON.stringify(result.counts)})`);
      console.log(`  ${rate(result.counts.verified, total)} end to end (${total.toFixed(2)} s, of which fetching ${fetchedAt.toFixed(2)} s); ${rate(result.counts.verified, total - fetchedAt)} after the fetch; ${cpuText} (the relay is another process); peak RSS ${mb(peakRss())}; ${load()}`);
      console.log(`  ${describeThreadCpu(byThread, result.counts.verified, 'verify workers and the relay connection')}`);
      store.done();
    } finally {
      await relay.close();
    }
  },
};

if (STAGE !== undefined) {
  await stages[STAGE]!();
} else {
  const self = fileURLToPath(import.meta.url);
  for (const stage of Object.keys(stages)) {
    console.log('');
    const run = spawnSync(process.execPath, [self], { stdio: 'inherit', env: { ...process.env, IMPORT_BENCH_STAGE: stage } });
    if (run.status !== 0) process.exitCode = 1;
  }
}
