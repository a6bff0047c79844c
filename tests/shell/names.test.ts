import { existsSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { isOperationName, OPERATION_NAMES } from '../../electron/ops/names';

const tablePath = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../electron/ops/table.ts');

describe('operation names', () => {
  // `area.action`, the action in lowerCamelCase when it is two words (import.quarantineExport).
  it('are unique dotted names', () => {
    expect(new Set(OPERATION_NAMES).size).toBe(OPERATION_NAMES.length);
    for (const name of OPERATION_NAMES) expect(name).toMatch(/^[a-z]+\.[a-z]+(?:[A-Z][a-z]+)*$/);
    expect(isOperationName('keys.list')).toBe(true);
    expect(isOperationName('keys.steal')).toBe(false);
    expect(isOperationName(42)).toBe(false);
  });

  // The preload bundles names.ts, not the table: they must not drift apart.
  it.skipIf(!existsSync(tablePath))('equal the keys of the operation table', async () => {
    const { operations } = (await import(/* @vite-ignore */ tablePath)) as { operations: Record<string, unknown> };
    expect(Object.keys(operations).sort()).toEqual([...OPERATION_NAMES].sort());
  });
});
