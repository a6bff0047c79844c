// A plain table of records whose exact shape this build does not fix yet (relays, anchors, publication results
// from operations still being added): one column per scalar field, in the order the first record gives them.

import type { ReactNode } from 'react';

export type Row = Record<string, unknown>;

/** The list inside an operation's answer: the answer itself, or its first array-valued field. */
export function rowsOf(value: unknown): Row[] {
  const isRow = (x: unknown): x is Row => typeof x === 'object' && x !== null && !Array.isArray(x);
  if (Array.isArray(value)) return value.filter(isRow);
  if (isRow(value)) {
    const list = Object.values(value).find(Array.isArray);
    if (list) return list.filter(isRow);
  }
  return [];
}

function cell(value: unknown): string {
  if (value === null || value === undefined) return '—';
  if (typeof value === 'boolean') return value ? 'yes' : 'no';
  if (typeof value === 'object') return JSON.stringify(value);
  return String(value);
}

export function RecordTable({ rows, label, maxColumns = 6, actions }: { rows: readonly Row[]; label: string; maxColumns?: number; actions?(row: Row): ReactNode }) {
  const columns = Object.keys(rows[0] ?? {})
    .filter((k) => rows.some((r) => r[k] !== null && typeof r[k] !== 'object'))
    .slice(0, maxColumns);
  return (
    <table className="table compact" aria-label={label}>
      <thead>
        <tr>
          {columns.map((c) => (
            <th key={c} scope="col">
              {c.replace(/_/g, ' ')}
            </th>
          ))}
          {actions && (
            <th scope="col">
              <span className="visually-hidden">Actions</span>
            </th>
          )}
        </tr>
      </thead>
      <tbody>
        {rows.map((row, index) => (
          <tr key={index}>
            {columns.map((c) => (
              <td key={c} className={typeof row[c] === 'string' && (row[c] as string).length > 40 ? 'mono break' : undefined}>
                {cell(row[c])}
              </td>
            ))}
            {actions && <td className="row-actions">{actions(row)}</td>}
          </tr>
        ))}
      </tbody>
    </table>
  );
}
