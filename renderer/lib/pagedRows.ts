// The rows of a keyset-paged list, kept as the pages they arrived in. Appending a page stores a reference to it and
// copies no row, so the 200th page of 100,000 rows costs what the first did; reading a row binary-searches the page
// starts. A value never changes once made (React state can hold it): every change returns a new PagedRows.

/** What a windowed list reads: how many rows, and the row at an index. Arrays fit it too. */
export interface RowSource<T> {
  readonly length: number;
  at(index: number): T | undefined;
}

export class PagedRows<T> implements RowSource<T> {
  private constructor(
    /**
     * Shared by the versions appended one after another: a version sees only its first `pageCount` entries, so the
     * newest version may push onto them in O(1); any other version that appends copies its own part first.
     */
    private readonly pages: (readonly T[])[],
    private readonly starts: number[],
    private readonly pageCount: number,
    readonly length: number,
  ) {}

  static of<T>(...pages: readonly (readonly T[])[]): PagedRows<T> {
    const kept = pages.filter((page) => page.length > 0);
    const starts: number[] = [];
    let length = 0;
    for (const page of kept) {
      starts.push(length);
      length += page.length;
    }
    return new PagedRows(kept, starts, kept.length, length);
  }

  append(page: readonly T[]): PagedRows<T> {
    if (page.length === 0) return this;
    const newest = this.pages.length === this.pageCount;
    const pages = newest ? this.pages : this.pages.slice(0, this.pageCount);
    const starts = newest ? this.starts : this.starts.slice(0, this.pageCount);
    pages.push(page);
    starts.push(this.length);
    return new PagedRows(pages, starts, this.pageCount + 1, this.length + page.length);
  }

  at(index: number): T | undefined {
    if (!Number.isInteger(index) || index < 0 || index >= this.length) return undefined;
    const page = this.pageOf(index);
    return this.pages[page]![index - this.starts[page]!];
  }

  /**
   * A freshly fetched first page laid over the loaded rows: rows it brings that were loaded already move to its
   * place (with their new content), new ones come in on top, and every deeper page stays. Undefined when the pages
   * cannot be joined without a possible gap — the loaded first row is not in `first`, so more new rows than a page
   * may lie between them — and the caller must load from the top again.
   *
   * Only the first `first.length` loaded rows are searched: keys are keyset-ordered and a row's key never changes,
   * so a loaded row that is in today's first page had no more than `first.length - 1` rows above it when loaded.
   */
  mergeFirstPage(first: readonly T[], keyOf: (row: T) => string): PagedRows<T> | undefined {
    if (this.length === 0) return PagedRows.of(first);
    const fresh = new Set(first.map(keyOf));
    if (!fresh.has(keyOf(this.at(0)!))) return undefined;
    const overlap = Math.min(first.length, this.length);
    const kept: T[] = [];
    for (let index = 0; index < overlap; index++) {
      const row = this.at(index)!;
      if (!fresh.has(keyOf(row))) kept.push(row);
    }
    return PagedRows.of([...first, ...kept], ...this.pagesFrom(overlap));
  }

  /**
   * The same rows with those named in `fresh` replaced where they stand (a row changed elsewhere: revoked, superseded,
   * countersigned). Only pages holding a replaced row are copied; rows not loaded are ignored, nothing moves.
   */
  replaceRows(fresh: readonly T[], keyOf: (row: T) => string): PagedRows<T> {
    if (fresh.length === 0 || this.length === 0) return this;
    const byKey = new Map(fresh.map((row) => [keyOf(row), row]));
    let changed = false;
    const pages = this.pages.slice(0, this.pageCount).map((page) => {
      if (!page.some((row) => byKey.has(keyOf(row)))) return page;
      changed = true;
      return page.map((row) => byKey.get(keyOf(row)) ?? row);
    });
    return changed ? PagedRows.of(...pages) : this;
  }

  /** The rows from `index` on, as pages: the page holding `index` cut there, the later ones as they are. */
  private pagesFrom(index: number): (readonly T[])[] {
    if (index >= this.length) return [];
    const page = this.pageOf(index);
    const head = this.pages[page]!.slice(index - this.starts[page]!);
    return [head, ...this.pages.slice(page + 1, this.pageCount)];
  }

  /** The page holding row `index` (0 ≤ index < length): the last page that starts at or before it. */
  private pageOf(index: number): number {
    let low = 0;
    let high = this.pageCount - 1;
    while (low < high) {
      const middle = (low + high + 1) >> 1;
      if (this.starts[middle]! <= index) low = middle;
      else high = middle - 1;
    }
    return low;
  }
}
