// Runs a user-triggered operation (generate, sign, delete…): busy flag, the failed Result for the error banner,
// and the session told about `store_locked`.

import { useCallback, useState } from 'react';
import { call, type AppError, type InputOf, type OperationName, type OutputOf } from '../api/client';
import { useSession } from './session';

export interface Action {
  busy: boolean;
  error: AppError | undefined;
  setError(error: AppError | undefined): void;
  run<N extends OperationName>(name: N, input: InputOf<N>): Promise<OutputOf<N> | undefined>;
}

export function useAction(): Action {
  const { noticeError } = useSession();
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<AppError>();
  const run = useCallback(
    async <N extends OperationName>(name: N, input: InputOf<N>): Promise<OutputOf<N> | undefined> => {
      setBusy(true);
      setError(undefined);
      try {
        const result = await call(name, input);
        if (result.ok) return result.value;
        setError(result.error);
        noticeError(result.error);
        return undefined;
      } finally {
        setBusy(false);
      }
    },
    [noticeError],
  );
  return { busy, error, setError, run };
}
