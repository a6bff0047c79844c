// A real store file in a temp dir driven through the operation table, plus the bundled verify worker for pool tests.

import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';
import { afterEach } from 'vitest';
import { invokeOperation } from '../../electron/ops/define';
import { createOperationContext, type OperationContext, type ProgressEvent } from '../../electron/ops/context';
import { operations } from '../../electron/ops/table';

export const PASSPHRASE = 'correct horse battery staple';
const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');

const cleanups: Array<() => void | Promise<void>> = [];
afterEach(async () => {
  while (cleanups.length) await cleanups.pop()!();
});

export function onCleanup(fn: () => void | Promise<void>): void {
  cleanups.push(fn);
}

export function tempDir(prefix = 'declsign-import-'): string {
  const dir = mkdtempSync(path.join(os.tmpdir(), prefix));
  onCleanup(() => rmSync(dir, { recursive: true, force: true }));
  return dir;
}

export interface TestStore {
  dbPath: string;
  ctx: OperationContext;
  progress: ProgressEvent[];
  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  call(name: keyof typeof operations, input?: unknown): Promise<any>;
  fails(name: keyof typeof operations, input: unknown): Promise<{ code: string; message: string }>;
}

export async function createStore(options: { now?: () => Date } = {}): Promise<TestStore> {
  const dbPath = path.join(tempDir(), 'store.db');
  const progress: ProgressEvent[] = [];
  const ctx = createOperationContext({
    dbPath,
    scrypt: { N: 2 ** 10, r: 8, p: 1 },
    askPassphrase: async () => PASSPHRASE,
    onProgress: (event) => progress.push(event),
    ...(options.now ? { now: options.now } : {}),
  });
  onCleanup(() => ctx.services.close());
  const store: TestStore = {
    dbPath,
    ctx,
    progress,
    async call(name, input = {}) {
      const result = await invokeOperation(operations[name], input, ctx);
      if (!result.ok) throw new Error(`${name} failed: ${result.error.code}: ${result.error.message}`);
      return result.value;
    },
    async fails(name, input) {
      const result = await invokeOperation(operations[name], input, ctx);
      if (result.ok) throw new Error(`${name} succeeded; expected a failure`);
      return result.error;
    },
  };
  await store.call('store.init', { passphrase: PASSPHRASE });
  return store;
}

let workerFile: Promise<string> | undefined;

/** electron/relays/verify-worker.ts bundled from the current sources (never a stale dist/). */
export function bundledVerifyWorker(): Promise<string> {
  workerFile ??= (async () => {
    const outfile = path.join(ROOT, 'node_modules', '.cache', 'declsign', 'test-import', `verify-worker-${process.pid}.mjs`);
    await build({
      entryPoints: [path.join(ROOT, 'electron/relays/verify-worker.ts')],
      outfile,
      bundle: true,
      platform: 'node',
      target: 'node20',
      format: 'esm',
      packages: 'external',
      logLevel: 'warning',
    });
    return outfile;
  })();
  return workerFile;
}
