// Long operations (publishing to many relays, bulk imports) report progress; this shows the running ones in a
// corner, one bar per run, and drops each a moment after it completes.

import { useEffect, useState } from 'react';
import { onProgress } from '../api/client';
import { ProgressBar } from './Progress';

interface Run {
  key: string;
  operation: string;
  message: string | undefined;
  done: number | undefined;
  total: number | undefined;
  /** When the run reported done >= total (ms since epoch); it leaves LINGER_MS later. */
  finishedAt: number | undefined;
}

const LINGER_MS = 2500;

/** What each reporting operation is, in words; its message says the rest. Unknown names are shown as they are. */
const OPERATION_LABELS: Record<string, string> = {
  'publish.start': 'Publishing',
  'publish.retry': 'Resending',
  'import.text': 'Importing',
  'import.relays': 'Importing from relays',
  'discovery.import': 'New from a followed relay',
};

function labelOf(run: Run): string {
  const name = OPERATION_LABELS[run.operation] ?? run.operation;
  return run.message ? `${name} — ${run.message}` : name;
}

function readEvent(event: unknown): Pick<Run, 'message' | 'done' | 'total'> {
  const e = (typeof event === 'object' && event !== null ? event : {}) as { done?: unknown; total?: unknown; message?: unknown };
  return {
    done: typeof e.done === 'number' ? e.done : undefined,
    total: typeof e.total === 'number' ? e.total : undefined,
    message: typeof e.message === 'string' ? e.message : undefined,
  };
}

export function ProgressCenter() {
  const [runs, setRuns] = useState<Run[]>([]);

  useEffect(
    () =>
      onProgress((progress) => {
        if (progress.operation === 'store.lock') return;
        const key = `${progress.operation}:${progress.callId}`;
        const read = readEvent(progress.event);
        const finished = read.total !== undefined && read.done !== undefined && read.done >= read.total;
        setRuns((current) => [...current.filter((r) => r.key !== key), { key, operation: progress.operation, ...read, finishedAt: finished ? Date.now() : undefined }]);
      }),
    [],
  );

  // One timer for the earliest finished run; a run that reports again (a late answer) is no longer finished.
  const nextExpiry = Math.min(...runs.map((r) => (r.finishedAt === undefined ? Infinity : r.finishedAt + LINGER_MS)));
  useEffect(() => {
    if (nextExpiry === Infinity) return;
    const timer = setTimeout(() => setRuns((current) => current.filter((r) => r.finishedAt === undefined || r.finishedAt + LINGER_MS > Date.now())), Math.max(0, nextExpiry - Date.now()));
    return () => clearTimeout(timer);
  }, [nextExpiry]);

  if (runs.length === 0) return null;
  return (
    <section className="progress-center panel" aria-label="Running operations" aria-live="polite">
      {runs.map((run) => (
        <ProgressBar key={run.key} label={labelOf(run)} {...(run.done !== undefined ? { done: run.done } : {})} {...(run.total !== undefined ? { total: run.total } : {})} />
      ))}
    </section>
  );
}
