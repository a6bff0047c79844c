// The typed client every screen uses: `call('keys.list', {...})` → Result of that operation's output.
// Types come from the operation table via type-only imports; no main-process code reaches the bundle.

import type { AppError, Result } from '../../electron/core/errors';
import type { ProgressListener } from '../../electron/ipc/contract';
import type { AnyOperation, OperationInput, OperationOutput } from '../../electron/ops/define';
import type { OperationName } from '../../electron/ops/names';
import { getTransport } from './transport';

// Until electron/ops/table.ts exists the table is typed loosely from the names list (input unknown, output any).
// Phase 2: `import type { operations } from '../../electron/ops/table'; type Table = typeof operations;`
type Table = { readonly [N in OperationName]: AnyOperation<never> };

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
