import type { ReactNode } from 'react';

export type BadgeTone = 'neutral' | 'info' | 'success' | 'accent' | 'warning' | 'danger';

export function Badge({ tone = 'neutral', children, title }: { tone?: BadgeTone; children: ReactNode; title?: string }) {
  return (
    <span className={`badge ${tone}`} title={title}>
      {children}
    </span>
  );
}
