// Worker-thread entry for bulk import verification (bundled to dist/verify-worker.js). It receives only raw event
// texts — never objects another thread built — and answers with plain verdicts. The BIP-340 backend is the one the
// parent chose: the native addon (loaded again here, by the file the parent loaded and self-tested) or the
// libsecp256k1 WebAssembly module, which arrives compiled in workerData so each worker only instantiates it.

import { serialize } from 'node:v8';
import { parentPort, workerData } from 'node:worker_threads';
import { createWasmSchnorrVerifier } from '../core/declaration/wasm-backend';
import type { SchnorrVerifier } from '../core/declaration/nostr-event';
import { verifyImportGroup, type GroupVerdict } from '../core/import-verify';
import { loadNativeSchnorr } from '../native/secp256k1';

export interface VerifyRequest {
  id: number;
  /** `YYYY-MM-DDTHH:MM:SSZ`: the instant `in_force` is reported for. */
  at: string;
  /** Each inner array: the exact texts of one declaration's events. */
  groups: string[][];
}

/** `verdicts`: the chunk's GroupVerdict[] in V8's serialisation format, its buffer transferred (read with `v8.deserialize`). */
export type VerifyResponse = { id: number; verdicts: Uint8Array } | { id: number; error: string };

export type VerifyWorkerData = { backend: 'native'; file: string } | { backend: 'wasm'; secp256k1: WebAssembly.Module };

async function schnorrVerifierFor(data: VerifyWorkerData): Promise<SchnorrVerifier> {
  if (data.backend === 'wasm') return createWasmSchnorrVerifier(data.secp256k1);
  const native = loadNativeSchnorr(data.file);
  if (!native.ok) throw new Error(`native secp256k1: ${native.reason}`);
  return native.verify;
}

const port = parentPort;
if (port === null) throw new Error('verify-worker must run in a worker thread');

const ready = schnorrVerifierFor(workerData as VerifyWorkerData);

port.on('message', (request: VerifyRequest) => {
  ready.then(
    (verifySchnorr) => {
      let verdicts: GroupVerdict[];
      try {
        verdicts = request.groups.map((texts) => verifyImportGroup(texts, { at: request.at, verifySchnorr }));
      } catch (error) {
        port.postMessage({ id: request.id, error: error instanceof Error ? error.message : String(error) } satisfies VerifyResponse);
        return;
      }
      // Bytes, not objects: the parent decodes them only when it stores them (see PackedVerdicts in import-pool).
      const bytes = serialize(verdicts);
      const whole = bytes.byteOffset === 0 && bytes.byteLength === bytes.buffer.byteLength;
      port.postMessage({ id: request.id, verdicts: bytes } satisfies VerifyResponse, whole ? [bytes.buffer] : []);
    },
    (error: unknown) => port.postMessage({ id: request.id, error: error instanceof Error ? error.message : String(error) }),
  );
});
