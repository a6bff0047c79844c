// PagedRows, the declarations list's row store: reading across pages, appending without disturbing earlier
// versions, and laying a fresh first page over loaded pages (new rows on top, changed rows replaced, deeper pages kept).

import { describe, expect, it } from 'vitest';
import { PagedRows } from '../../renderer/lib/pagedRows';

interface Row {
  id: string;
  version: number;
}

const row = (id: string, version = 1): Row => ({ id, version });
const ids = (rows: { length: number; at(index: number): Row | undefined }) => Array.from({ length: rows.length }, (_, i) => rows.at(i)!.id);
const page = (from: number, to: number) => Array.from({ length: to - from }, (_, i) => row(`r${from + i}`));
const keyOf = (r: Row) => r.id;

describe('PagedRows', () => {
  it('reads every row across pages of different sizes, and nothing outside them', () => {
    const rows = PagedRows.of(page(0, 3)).append(page(3, 4)).append([]).append(page(4, 9));
    expect(rows.length).toBe(9);
    expect(ids(rows)).toEqual(page(0, 9).map((r) => r.id));
    for (const index of [-1, 9, 1.5, Number.NaN]) expect(rows.at(index)).toBeUndefined();
    expect(PagedRows.of<Row>().length).toBe(0);
    expect(PagedRows.of<Row>().at(0)).toBeUndefined();
  });

  it('keeps each version as it was when a newer one appends, or when an older one appends again', () => {
    const one = PagedRows.of(page(0, 2));
    const two = one.append(page(2, 4));
    const three = two.append(page(4, 6));
    // An older version appending after a newer one did must not see, or overwrite, the newer one's pages.
    const branch = two.append([row('x'), row('y')]);
    expect(ids(one)).toEqual(['r0', 'r1']);
    expect(ids(two)).toEqual(['r0', 'r1', 'r2', 'r3']);
    expect(ids(three)).toEqual(['r0', 'r1', 'r2', 'r3', 'r4', 'r5']);
    expect(ids(branch)).toEqual(['r0', 'r1', 'r2', 'r3', 'x', 'y']);
    expect(ids(three.append(page(6, 7)))).toEqual(page(0, 7).map((r) => r.id));
  });

  it('merges new rows in on top and changed ones in place, keeping the deeper pages', () => {
    const loaded = PagedRows.of(page(0, 4)).append(page(4, 8)).append(page(8, 12));
    // Two new rows arrived; r1 changed; the fresh first page (size 4) therefore ends at r1.
    const first = [row('n1'), row('n0'), row('r0'), row('r1', 2)];
    const merged = loaded.mergeFirstPage(first, keyOf)!;
    expect(ids(merged)).toEqual(['n1', 'n0', 'r0', 'r1', 'r2', 'r3', ...page(4, 12).map((r) => r.id)]);
    expect(merged.at(3)!.version).toBe(2);
    expect(merged.length).toBe(14);
    // The loaded value is untouched, and the merged one still appends.
    expect(ids(loaded)).toEqual(page(0, 12).map((r) => r.id));
    expect(ids(merged.append([row('r12')])).slice(-2)).toEqual(['r11', 'r12']);
  });

  it('merges a first page with nothing new: same rows, changed content', () => {
    const loaded = PagedRows.of(page(0, 3)).append(page(3, 6));
    const merged = loaded.mergeFirstPage([row('r0', 5), row('r1'), row('r2')], keyOf)!;
    expect(ids(merged)).toEqual(ids(loaded));
    expect(merged.at(0)!.version).toBe(5);
  });

  it('refuses to merge when the loaded top row is not in the fresh first page (more new rows than a page)', () => {
    const loaded = PagedRows.of(page(0, 3)).append(page(3, 6));
    expect(loaded.mergeFirstPage([row('n2'), row('n1'), row('n0')], keyOf)).toBeUndefined();
    expect(loaded.mergeFirstPage([], keyOf)).toBeUndefined();
  });

  it('takes the first page as it is when nothing was loaded', () => {
    expect(ids(PagedRows.of<Row>().mergeFirstPage(page(0, 3), keyOf)!)).toEqual(['r0', 'r1', 'r2']);
  });

  it('replaces rows changed elsewhere where they stand, copying only the pages that hold them', () => {
    const rows = PagedRows.of(page(0, 3)).append(page(3, 6)).append(page(6, 9));
    const replaced = rows.replaceRows([row('r4', 2), row('r8', 2), row('elsewhere', 2)], keyOf);
    expect(ids(replaced)).toEqual(ids(rows));
    expect([replaced.at(4), replaced.at(8), replaced.at(5)]).toEqual([row('r4', 2), row('r8', 2), row('r5')]);
    expect(replaced.at(0)).toBe(rows.at(0)); // an untouched page is the same page
    expect(rows.at(4)).toEqual(row('r4')); // the earlier version is unchanged
    expect(rows.replaceRows([row('elsewhere', 2)], keyOf)).toBe(rows);
    expect(rows.replaceRows([], keyOf)).toBe(rows);
  });
});

