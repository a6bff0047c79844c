// The typed client every screen uses: `call('keys.generate', {...})` → Result of that handler's output, with the
// input typed by the handler's zod schema. Types come from the operation table via type-only imports; no
// main-process code reaches the bundle.

import type { AppError, Result } from '../../electron/core/errors';
import type { ProgressListener } from '../../electron/ipc/contract';
import type { AnyOperation, OperationInput, OperationOutput } from '../../electron/ops/define';
import type { OperationName } from '../../electron/ops/names';
import type { operations } from '../../electron/ops/table';
import { getTransport } from './transport';

type Implemented = typeof operations;
/**
 * Names the table does not hold yet (other phases add relays, publish, import, anchors, authority) stay callable,
 * typed loosely, and answer `not_found` at run time; screens show "not available yet" for them.
 */
type Planned = { readonly [N in Exclude<OperationName, keyof Implemented>]: AnyOperation<never> };
type Table = Implemented & Planned;

export type { AppError, OperationName, Result };
export type InputOf<N extends OperationName> = OperationInput<Table[N]>;
export type OutputOf<N extends OperationName> = OperationOutput<Table[N]>;

export function call<N extends OperationName>(name: N, input?: InputOf<N>): Promise<Result<OutputOf<N>>> {
  return getTransport().call(name, input) as Promise<Result<OutputOf<N>>>;
}

export function onProgress(listener: ProgressListener): () => void {
  return getTransport().onProgress(listener);
}

export function transportKind(): 'electron' | 'browser' {
  return getTransport().kind;
}
