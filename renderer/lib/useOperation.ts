// Runs a read operation when a screen mounts (and on demand), tracking loading and the failed Result.

import { useCallback, useEffect, useRef, useState } from 'react';
import { call, type AppError, type InputOf, type OperationName, type OutputOf } from '../api/client';
import { useSession } from './session';

export interface OperationState<N extends OperationName> {
  loading: boolean;
  value: OutputOf<N> | undefined;
  error: AppError | undefined;
  reload(): void;
  dismissError(): void;
}

export function useOperation<N extends OperationName>(name: N, input: InputOf<N>): OperationState<N> {
  const { noticeError } = useSession();
  const [loading, setLoading] = useState(true);
  const [value, setValue] = useState<OutputOf<N>>();
  const [error, setError] = useState<AppError>();
  const [generation, setGeneration] = useState(0);
  // Input objects are usually literals; compare by content so a re-render does not refetch.
  const inputKey = JSON.stringify(input ?? null);
  const latest = useRef(0);

  useEffect(() => {
    const ticket = ++latest.current;
    setLoading(true);
    void call(name, JSON.parse(inputKey) as InputOf<N>).then((result) => {
      if (ticket !== latest.current) return;
      setLoading(false);
      if (result.ok) {
        setValue(result.value);
        setError(undefined);
      } else {
        setError(result.error);
        noticeError(result.error);
      }
    });
  }, [name, inputKey, generation, noticeError]);

  return {
    loading,
    value,
    error,
    reload: useCallback(() => setGeneration((g) => g + 1), []),
    dismissError: useCallback(() => setError(undefined), []),
  };
}
