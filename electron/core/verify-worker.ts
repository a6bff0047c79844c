// Worker-thread entry for bulk import verification (bundled to dist/verify-worker.js). It receives only raw event
// texts — never objects another thread built — and answers with plain verdicts. The libsecp256k1 module arrives
// compiled in workerData, so each worker only instantiates it (no file access here).

import { parentPort, workerData } from 'node:worker_threads';
import { createWasmSchnorrVerifier } from './declaration/wasm-backend';
import { verifyImportGroup, type GroupVerdict } from './import-verify';

export interface VerifyRequest {
  id: number;
  /** `YYYY-MM-DDTHH:MM:SSZ`: the instant `in_force` is reported for. */
  at: string;
  /** Each inner array: the exact texts of one declaration's events. */
  groups: string[][];
}

export type VerifyResponse = { id: number; verdicts: GroupVerdict[] } | { id: number; error: string };

export interface VerifyWorkerData {
  secp256k1: WebAssembly.Module;
}

const port = parentPort;
if (port === null) throw new Error('verify-worker must run in a worker thread');

const ready = createWasmSchnorrVerifier((workerData as VerifyWorkerData).secp256k1);

port.on('message', (request: VerifyRequest) => {
  ready.then(
    (verifySchnorr) => {
      let response: VerifyResponse;
      try {
        response = { id: request.id, verdicts: request.groups.map((texts) => verifyImportGroup(texts, { at: request.at, verifySchnorr })) };
      } catch (error) {
        response = { id: request.id, error: error instanceof Error ? error.message : String(error) };
      }
      port.postMessage(response);
    },
    (error: unknown) => port.postMessage({ id: request.id, error: `secp256k1 wasm: ${error instanceof Error ? error.message : String(error)}` }),
  );
});
