// The one path from a transport (Electron IPC or the browser bridge) to an operation handler.
// Looks the operation up, builds its context, validates and runs it, and shapes the answer for the wire.

import { randomUUID } from 'node:crypto';
import { toAppError, type Result } from '../core/errors';
import { invokeOperation, type AnyOperation } from '../ops/define';
import type { ProgressEnvelope } from './contract';
import { toWireResult } from './wire';

export type OperationTable<Ctx> = Readonly<Record<string, AnyOperation<Ctx>>>;

/** What the shell tells the context factory about one call. */
export interface CallInfo {
  operation: string;
  callId: string;
  /** Delivers a progress event of this call to every listening renderer. */
  emitProgress(event: unknown): void;
}

/** Builds the context one call runs with (H7: services + now() + emitProgress). */
export type ContextFactory<Ctx> = (call: CallInfo) => Ctx | Promise<Ctx>;

export interface Dispatcher {
  /** Every name this dispatcher answers to (operation names plus legacy aliases), each mapped to its operation name. */
  readonly routes: ReadonlyMap<string, string>;
  /** Runs `route` with untrusted `input`; never throws, never returns secrets. */
  call(route: string, input: unknown): Promise<Result<unknown>>;
}

/**
 * Routes by operation name and by each `spec.aliases` entry. A table whose names, keys or aliases collide is a
 * programming error and is refused at start-up rather than resolved by whichever entry came last.
 */
export function createDispatcher<Ctx>(
  table: OperationTable<Ctx>,
  makeContext: ContextFactory<Ctx>,
  publishProgress: (progress: ProgressEnvelope) => void,
): Dispatcher {
  const routes = new Map<string, string>();
  for (const [key, spec] of Object.entries(table)) {
    if (spec.name !== key) throw new Error(`operation table key "${key}" holds operation "${spec.name}"`);
    for (const route of [spec.name, ...(spec.aliases ?? [])]) {
      if (routes.has(route)) throw new Error(`operation route "${route}" is defined twice`);
      routes.set(route, spec.name);
    }
  }

  async function call(route: string, input: unknown): Promise<Result<unknown>> {
    const name = routes.get(route);
    const operation = name === undefined ? undefined : table[name];
    if (name === undefined || operation === undefined) {
      return { ok: false, error: { code: 'not_found', message: `Unknown operation "${route}"` } };
    }
    const callId = randomUUID();
    const emitProgress = (event: unknown): void => {
      try {
        publishProgress({ operation: name, callId, event });
      } catch {
        // A broken listener must not fail the operation that reported progress.
      }
    };
    let result: Result<unknown>;
    try {
      const ctx = await makeContext({ operation: name, callId, emitProgress });
      result = await invokeOperation(operation, input, ctx);
    } catch (thrown) {
      result = { ok: false, error: toAppError(thrown) };
    }
    return toWireResult(result);
  }

  return { routes, call };
}
