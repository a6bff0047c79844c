// Determinate when the operation reports done/total, indeterminate otherwise; always announced to assistive tech.

export function ProgressBar({ label, done, total }: { label: string; done?: number; total?: number }) {
  const determinate = done !== undefined && total !== undefined && total > 0;
  const percent = determinate ? Math.min(100, Math.round((done / total) * 100)) : undefined;
  return (
    <div className="progress">
      <div className="progress-label">
        <span>{label}</span>
        {determinate && (
          <span>
            {done} / {total}
          </span>
        )}
      </div>
      <div
        className={determinate ? 'progress-track' : 'progress-track indeterminate'}
        role="progressbar"
        aria-label={label}
        aria-valuemin={determinate ? 0 : undefined}
        aria-valuemax={determinate ? 100 : undefined}
        aria-valuenow={percent}
      >
        <div className="progress-fill" style={determinate ? { width: `${percent}%` } : undefined} />
      </div>
    </div>
  );
}

export function Spinner({ label }: { label: string }) {
  return (
    <div className="loading" role="status">
      <div className="spinner" aria-hidden="true" />
      <span>{label}</span>
    </div>
  );
}
