// Bulk verification across worker threads. Declarations are verified in chunks (each chunk whole declarations, so a
// countersignature is always judged with its carrier); workers get raw texts and send back plain verdicts, in order.
// Small jobs run on the calling thread with the same BIP-340 backend: starting a worker costs more than they do.
// The backend is libsecp256k1 either way: natively when the optional addon is built and loads (about six times
// faster), else its WebAssembly build from nostr-wasm.

import { existsSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { availableParallelism } from 'node:os';
import { deserialize } from 'node:v8';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { Worker } from 'node:worker_threads';
import { createWasmSchnorrVerifier } from '../core/declaration/wasm-backend';
import type { SchnorrVerifier } from '../core/declaration/nostr-event';
import { DeclsignError } from '../core/errors';
import { verifyImportGroup, type GroupVerdict } from '../core/import-verify';
import type { VerifyRequest, VerifyResponse, VerifyWorkerData } from './verify-worker';
import { loadNativeSchnorr } from '../native/secp256k1';
import { findPackageRoot } from '../store/database';

/**
 * Verdicts as a worker sent them, decoded when read. A bulk import keeps a few slices verified ahead of the one it
 * stores: as objects they would outlive the main thread's young generation and pile up in its old one until a full
 * collection; as bytes they are handed back the moment they are decoded.
 */
export interface PackedVerdicts {
  /** One verdict per group, in the order given. Once: the bytes are released as they are decoded. */
  read(): GroupVerdict[];
}

export interface GroupVerifier {
  /** One verdict per group, in the order given. `onProgress` gets the number of groups verified so far. */
  verify(groups: readonly string[][], at: string, onProgress?: (doneGroups: number) => void): Promise<PackedVerdicts>;
  /** Worker threads in use (0: the calling thread). */
  readonly threads: number;
  close(): Promise<void>;
}

export interface VerifyPoolOptions {
  /** Default: up to 2, never more than the machine's parallelism. 0 verifies on the calling thread. */
  threads?: number;
  /** The bundled worker (dist/verify-worker.js); found next to this bundle or under the package root by default. */
  workerFile?: string;
  /** Events per chunk sent to a worker (default 256). */
  chunkEvents?: number;
  /** `wasm` forces the WebAssembly backend (to compare backends); default: the process's bulk backend. */
  schnorr?: 'auto' | 'wasm';
}

/**
 * A worker's live data is one chunk (its texts, their parse trees, the verdicts): a small young generation keeps V8
 * from growing each worker by ~50 MB of garbage between scavenges, which are cheap here because little survives them.
 * An explicit old-generation bound also sizes V8's collection thresholds from it rather than from the machine's
 * memory (measured: peak RSS of a 10,000-declaration import 355 → 290 MB, same speed). It holds the largest group
 * verification accepts (32 MB, MAX_INPUT_BYTES) with room to spare, because chunks are bounded in characters as well
 * as events (CHUNK_TEXT_CHARS): many large groups never share a worker's heap.
 */
const WORKER_LIMITS = { maxYoungGenerationSizeMb: 8, maxOldGenerationSizeMb: 160 };
/** Characters of event text per chunk at most (a single larger group still travels alone). */
const CHUNK_TEXT_CHARS = 2 * 1024 * 1024;

let modulePromise: Promise<WebAssembly.Module> | undefined;

/** libsecp256k1 as shipped by nostr-wasm, compiled once per process (and handed to workers already compiled). */
export function secp256k1Module(): Promise<WebAssembly.Module> {
  modulePromise ??= (async () => {
    const entry = createRequire(import.meta.url).resolve('nostr-wasm');
    const file = path.join(path.dirname(entry), '..', 'public', 'out', 'secp256k1.wasm');
    return WebAssembly.compile(readFileSync(file));
  })();
  return modulePromise;
}

let localVerifier: Promise<SchnorrVerifier> | undefined;

/** The WebAssembly Schnorr verifier for this thread (instantiated once). */
export function wasmSchnorrVerifier(): Promise<SchnorrVerifier> {
  localVerifier ??= secp256k1Module().then((module) => createWasmSchnorrVerifier(module));
  return localVerifier;
}

export interface SchnorrBackend {
  name: 'native' | 'wasm';
  verify: SchnorrVerifier;
  /** Why the native backend is not in use (absent when it is). */
  nativeUnavailable?: string;
  /** What a worker needs to build the same backend. */
  workerData: VerifyWorkerData;
}

let backendPromise: Promise<SchnorrBackend> | undefined;

/** The BIP-340 backend for bulk verification in this process: native when it loads and passes its self-test, else wasm. */
export function bulkSchnorrBackend(): Promise<SchnorrBackend> {
  backendPromise ??= (async (): Promise<SchnorrBackend> => {
    const native = loadNativeSchnorr();
    if (native.ok) return { name: 'native', verify: native.verify, workerData: { backend: 'native', file: native.file } };
    const secp256k1 = await secp256k1Module();
    return { name: 'wasm', verify: await wasmSchnorrVerifier(), nativeUnavailable: native.reason, workerData: { backend: 'wasm', secp256k1 } };
  })();
  return backendPromise;
}

/** dist/verify-worker.js: next to the running bundle, else under the package root. */
export function defaultVerifyWorkerFile(): string {
  const here = path.dirname(fileURLToPath(import.meta.url));
  const candidates = [path.join(here, 'verify-worker.js'), path.join(findPackageRoot(here), 'dist', 'verify-worker.js')];
  const found = candidates.find((candidate) => existsSync(candidate));
  if (found === undefined) throw new DeclsignError('internal_error', `verify worker not built (looked for ${candidates.join(', ')}); run node scripts/build.mjs`);
  return found;
}

/** Verifies on the calling thread. */
export async function createLocalVerifier(): Promise<GroupVerifier> {
  const verifySchnorr = (await bulkSchnorrBackend()).verify;
  return {
    threads: 0,
    async verify(groups, at, onProgress) {
      const verdicts = groups.map((texts) => verifyImportGroup(texts, { at, verifySchnorr }));
      onProgress?.(groups.length);
      return { read: () => verdicts };
    },
    async close() {},
  };
}

export async function createVerifyPool(options: VerifyPoolOptions = {}): Promise<GroupVerifier> {
  const threads = Math.max(0, Math.min(options.threads ?? 2, availableParallelism()));
  if (threads === 0) return createLocalVerifier();
  const workerFile = options.workerFile ?? defaultVerifyWorkerFile();
  const chunkEvents = options.chunkEvents ?? 256;
  const workerData: VerifyWorkerData = options.schnorr === 'wasm' ? { backend: 'wasm', secp256k1: await secp256k1Module() } : (await bulkSchnorrBackend()).workerData;
  const workers = Array.from({ length: threads }, () => new Worker(workerFile, { workerData, resourceLimits: WORKER_LIMITS }));
  const pending = new Map<number, { resolve: (v: Uint8Array) => void; reject: (e: Error) => void }>();
  let broken: Error | undefined;
  const failAll = (error: Error) => {
    broken ??= error;
    for (const waiter of pending.values()) waiter.reject(error);
    pending.clear();
  };
  for (const worker of workers) {
    worker.on('message', (response: VerifyResponse) => {
      const waiter = pending.get(response.id);
      if (waiter === undefined) return;
      pending.delete(response.id);
      if ('error' in response) waiter.reject(new DeclsignError('internal_error', `verify worker: ${response.error}`));
      else waiter.resolve(response.verdicts);
    });
    worker.on('error', (error) => failAll(new DeclsignError('internal_error', `verify worker crashed: ${error.message}`)));
    worker.on('exit', (code) => {
      if (code !== 0) failAll(new DeclsignError('internal_error', `verify worker exited with code ${code}`));
    });
  }
  let nextId = 1;
  // Events sent to each worker and not answered yet. A chunk goes to the least loaded worker: chunks differ in size
  // (a slice's last one is short), and taking turns would hand one worker all the long ones.
  const queued = workers.map(() => 0);
  const send = (groups: string[][], at: string): Promise<Uint8Array> => {
    if (broken) return Promise.reject(broken);
    const id = nextId++;
    const request: VerifyRequest = { id, at, groups };
    const events = groups.reduce((sum, texts) => sum + texts.length, 0);
    const index = queued.indexOf(Math.min(...queued));
    queued[index] += events;
    const settle = () => {
      queued[index] -= events;
    };
    return new Promise<Uint8Array>((resolve, reject) => {
      pending.set(id, { resolve, reject });
      workers[index]!.postMessage(request);
    }).finally(settle);
  };

  return {
    threads,
    async verify(groups, at, onProgress) {
      const chunks = chunkGroups(groups, chunkEvents);
      const results: Uint8Array[] = new Array(chunks.length);
      let done = 0;
      // Two chunks in flight per worker: one being verified, one queued, so no worker waits for the main thread.
      let next = 0;
      const lane = async () => {
        while (next < chunks.length) {
          const index = next++;
          results[index] = await send(chunks[index]!, at);
          done += chunks[index]!.length;
          onProgress?.(done);
        }
      };
      await Promise.all(Array.from({ length: Math.min(chunks.length, threads * 2) }, lane));
      return { read: () => results.flatMap(decodeAndRelease) };
    },
    async close() {
      await Promise.all(workers.map((worker) => worker.terminate()));
    },
  };
}

/**
 * The verdicts in `bytes`, whose memory is then released: the bytes sat waiting long enough for their ArrayBuffer to
 * reach the old generation, where it would keep them until a full collection (measured: tens of MB held at the end of
 * a 10,000-declaration import). Moving them to a fresh ArrayBuffer that dies at once frees them at the next scavenge.
 */
function decodeAndRelease(bytes: Uint8Array): GroupVerdict[] {
  const verdicts = deserialize(bytes) as GroupVerdict[];
  if (bytes.byteOffset === 0 && bytes.byteLength === bytes.buffer.byteLength) structuredClone(bytes.buffer, { transfer: [bytes.buffer] });
  return verdicts;
}

function chunkGroups(groups: readonly string[][], chunkEvents: number): string[][][] {
  const chunks: string[][][] = [];
  let current: string[][] = [];
  let events = 0;
  let chars = 0;
  for (const group of groups) {
    const groupChars = group.reduce((sum, text) => sum + text.length, 0);
    if (current.length > 0 && chars + groupChars > CHUNK_TEXT_CHARS) {
      chunks.push(current);
      current = [];
      events = 0;
      chars = 0;
    }
    current.push(group);
    events += group.length;
    chars += groupChars;
    if (events >= chunkEvents) {
      chunks.push(current);
      current = [];
      events = 0;
      chars = 0;
    }
  }
  if (current.length > 0) chunks.push(current);
  return chunks;
}
