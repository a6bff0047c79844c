// Human-readable output. `--json` bypasses all of this and prints the operation's value as one JSON object.

type Row = Record<string, unknown>;

function cell(value: unknown): string {
  if (value === null || value === undefined) return '-';
  if (typeof value === 'boolean') return value ? 'yes' : 'no';
  if (typeof value === 'object') return JSON.stringify(value);
  return String(value);
}

/** Aligned columns; long cells are kept whole (a fingerprint cut short is worse than a wide table). */
export function renderTable(rows: readonly Row[], columns: readonly string[]): string {
  if (rows.length === 0) return '(none)';
  const widths = columns.map((c) => Math.max(c.length, ...rows.map((r) => cell(r[c]).length)));
  const line = (values: string[]) => values.map((v, i) => v.padEnd(widths[i]!)).join('  ').trimEnd();
  return [line(columns.map((c) => c.toUpperCase())), ...rows.map((r) => line(columns.map((c) => cell(r[c]))))].join('\n');
}

/** `key: value` lines for one record, nested objects indented. */
export function renderRecord(record: Row, indent = ''): string {
  const width = Math.max(0, ...Object.keys(record).map((k) => k.length));
  const lines: string[] = [];
  for (const [key, value] of Object.entries(record)) {
    if (value !== null && typeof value === 'object' && !Array.isArray(value)) {
      lines.push(`${indent}${key}:`);
      lines.push(renderRecord(value as Row, `${indent}  `));
    } else {
      lines.push(`${indent}${key.padEnd(width)}  ${cell(value)}`);
    }
  }
  return lines.join('\n');
}
