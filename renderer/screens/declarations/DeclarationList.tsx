// The declarations list: filters and search on the server, keyset pages fetched as the view nears the end, and a
// windowed body so a store of 100,000 declarations scrolls like a small one. Pages are kept as they arrive
// (PagedRows), so loading one more costs the same at row 100,000 as at row 500. A declaration discovered live is
// merged in at the top from a fresh first page; the pages loaded further down, and the view, stay where they are.

import { useCallback, useEffect, useId, useRef, useState } from 'react';
import type { DeclarationStatus, DeclarationType } from '../../../electron/core/declaration/types';
import { call, type AppError } from '../../api/client';
import { Badge } from '../../components/Badge';
import { EmptyState } from '../../components/EmptyState';
import { ErrorBanner } from '../../components/ErrorBanner';
import { Icon } from '../../components/Icon';
import { Spinner } from '../../components/Progress';
import { VirtualList } from '../../components/VirtualList';
import { useDiscoveryImports } from '../../lib/discovery';
import { PagedRows } from '../../lib/pagedRows';
import { DECLARATION_STATUS_LIST, DECLARATION_TYPE_LIST, formatUtc, shortUuid, STATUS_TONES, TYPE_LABELS } from '../../lib/format';
import { useKeyDirectory, shortCanonical, type KeyDirectory } from '../../lib/keyDirectory';
import { navigate, routeHref } from '../../lib/router';
import { useSession } from '../../lib/session';
import type { DeclarationItem } from './types';

const PAGE_SIZE = 500;
const ROW_HEIGHT = 52;
const SEARCH_DELAY_MS = 250;

interface Filters {
  status: DeclarationStatus | '';
  type: DeclarationType | '';
  search: string;
}

interface Listing {
  rows: PagedRows<DeclarationItem>;
  cursor: string | null;
  loading: boolean;
  error: AppError | undefined;
  /** A merge found new rows it could not join to the loaded ones: load from the top again. */
  gap: boolean;
}

const NO_ROWS = PagedRows.of<DeclarationItem>();
const declarationKey = (item: DeclarationItem) => item.declaration_uuid;

type StatusFacts = Pick<DeclarationItem, 'status' | 'is_revoked' | 'is_local'> & { superseded_by?: string | null };

/**
 * Status, then what makes a version not the one in force: revoked, or superseded by an update (a link to it, so an
 * old version is never taken for the current one). The link is out of the tab order inside the list, which is one
 * tab stop; the details screen's Superseded banner links the update for keyboard use.
 */
export function StatusBadges({ item }: { item: StatusFacts }) {
  const supersededBy = item.superseded_by ?? null;
  return (
    <span className="badges">
      <Badge tone={STATUS_TONES[item.status]}>{item.status}</Badge>
      {item.is_revoked && <Badge tone="danger">Revoked</Badge>}
      {supersededBy && (
        <a
          className="badge neutral link-badge"
          href={routeHref('declarations', supersededBy)}
          title={`Superseded by the update ${shortUuid(supersededBy)}… — open it`}
          data-superseded-by={supersededBy}
          tabIndex={-1}
          // The row around it opens this version; the badge opens the update instead.
          onClick={(event) => event.stopPropagation()}
        >
          Superseded
        </a>
      )}
      {!item.is_local && <Badge tone="neutral" title="Imported from a relay or a bundle; not created in this store">Not local</Badge>}
    </span>
  );
}

/** A cell's title: the label (cut with an ellipsis when long) and the whole canonical name. */
function named(label: string | null | undefined, canonicalName: string | null): string | undefined {
  if (!canonicalName) return label ?? undefined;
  return label ? `${label} — ${canonicalName}` : canonicalName;
}

function Row({ item, directory }: { item: DeclarationItem; directory: KeyDirectory }) {
  const subjectLabel = directory.labelOf(item.target_canonical_name);
  // The issuing key's label when this store holds it; else whatever the directory knows (a watched key, an anchor).
  const issuerLabel = item.issuer_label ?? directory.labelOf(item.issuer_canonical_name);
  return (
    <>
      <span role="gridcell" className="col-type">
        <span className="cell-title">{TYPE_LABELS[item.declaration_type]}</span>
        <span className="cell-sub mono">{item.declaration_uuid}</span>
      </span>
      <span role="gridcell" className="col-status">
        <StatusBadges item={item} />
      </span>
      <span role="gridcell" className="col-issuer" title={named(issuerLabel, item.issuer_canonical_name)}>
        {issuerLabel && <span className="cell-title">{issuerLabel}</span>}
        <span className={issuerLabel ? 'cell-sub mono' : 'mono'}>{item.issuer_canonical_name ? shortCanonical(item.issuer_canonical_name) : '—'}</span>
      </span>
      <span role="gridcell" className="col-subject" title={named(subjectLabel, item.target_canonical_name)}>
        {subjectLabel && <span className="cell-title">{subjectLabel}</span>}
        <span className={subjectLabel ? 'cell-sub mono' : 'mono'}>{item.target_canonical_name ? shortCanonical(item.target_canonical_name) : '—'}</span>
      </span>
      <span role="gridcell" className="col-validity">
        <span className="cell-sub">{formatUtc(item.valid_from)}</span>
        <span className="cell-sub">{item.valid_until ? `until ${formatUtc(item.valid_until)}` : 'no end'}</span>
      </span>
    </>
  );
}

export function DeclarationList() {
  const { noticeError } = useSession();
  const directory = useKeyDirectory();
  const [filters, setFilters] = useState<Filters>({ status: '', type: '', search: '' });
  const [searchText, setSearchText] = useState('');
  const [listing, setListing] = useState<Listing>({ rows: NO_ROWS, cursor: null, loading: true, error: undefined, gap: false });
  const generation = useRef(0);
  /** The cursor of the page last asked for: each page is fetched once, even when a render that predates its arrival asks again. */
  const requested = useRef<string | null>(null);
  const merging = useRef(false);
  const mergeAgain = useRef(false);
  const ids = { search: useId(), status: useId(), type: useId() };

  const fetchPage = useCallback(
    (cursor: string | null) =>
      call('declarations.list', {
        limit: PAGE_SIZE,
        ...(cursor ? { cursor } : {}),
        ...(filters.status ? { status: filters.status } : {}),
        ...(filters.type ? { type: filters.type } : {}),
        ...(filters.search.trim() ? { search: filters.search.trim() } : {}),
      }),
    [filters],
  );

  /** From the first page again: on mount, when the filters change, and when new rows cannot be merged in. */
  const reload = useCallback(async () => {
    const ticket = ++generation.current;
    requested.current = null;
    setListing({ rows: NO_ROWS, cursor: null, loading: true, error: undefined, gap: false });
    const result = await fetchPage(null);
    if (ticket !== generation.current) return;
    if (!result.ok) {
      noticeError(result.error);
      setListing((l) => ({ ...l, loading: false, error: result.error }));
      return;
    }
    setListing({ rows: PagedRows.of(result.value.items), cursor: result.value.next_cursor, loading: false, error: undefined, gap: false });
  }, [fetchPage, noticeError]);

  useEffect(() => {
    void reload();
  }, [reload]);

  const loadMore = useCallback(async () => {
    const cursor = listing.cursor;
    if (!cursor || requested.current === cursor) return;
    requested.current = cursor;
    const ticket = generation.current;
    setListing((l) => ({ ...l, loading: true }));
    const result = await fetchPage(cursor);
    if (ticket !== generation.current) return;
    if (!result.ok) {
      requested.current = null; // scrolling asks again
      noticeError(result.error);
      setListing((l) => ({ ...l, loading: false, error: result.error }));
      return;
    }
    setListing((l) => ({ ...l, rows: l.rows.append(result.value.items), cursor: result.value.next_cursor, loading: false, error: undefined }));
  }, [fetchPage, noticeError, listing.cursor]);

  /** New and changed rows from a fresh first page, laid over the loaded ones; one fetch at a time, the last one wins. */
  const mergeNewRows = useCallback(async () => {
    if (merging.current) {
      mergeAgain.current = true;
      return;
    }
    merging.current = true;
    do {
      mergeAgain.current = false;
      const ticket = generation.current;
      const result = await fetchPage(null);
      // A failed refresh changes nothing; the next import or a scroll will show the problem.
      if (ticket !== generation.current || !result.ok) continue;
      setListing((l) => {
        // An empty list has no cursor to keep: it simply loads from the top.
        const merged = l.rows.length > 0 ? l.rows.mergeFirstPage(result.value.items, declarationKey) : undefined;
        return merged ? { ...l, rows: merged } : { ...l, gap: true };
      });
    } while (mergeAgain.current);
    merging.current = false;
  }, [fetchPage]);

  // More new rows than a page arrived at once (the loaded pages cannot be joined to the new first page without a gap),
  // or nothing was loaded yet.
  useEffect(() => {
    if (listing.gap) void reload();
  }, [listing.gap, reload]);

  /** Rows already loaded that changed elsewhere (an imported revocation, update or countersignature), refetched in place. */
  const refreshRows = useCallback(async (uuids: readonly string[]) => {
    const ticket = generation.current;
    const result = await call('declarations.list', { uuids: [...uuids], limit: 500 });
    if (ticket !== generation.current || !result.ok) return;
    setListing((l) => ({ ...l, rows: l.rows.replaceRows(result.value.items, declarationKey) }));
  }, []);

  // A declaration discovered live on a followed relay shows up without a manual refresh, and the rows it changed
  // further down (revoked, superseded) are refreshed where they stand.
  useDiscoveryImports((batch) => {
    if (batch.changed > 0) void mergeNewRows();
    if (batch.refreshUuids.length > 0) void refreshRows(batch.refreshUuids);
  });

  useEffect(() => {
    const timer = setTimeout(() => setFilters((f) => (f.search === searchText ? f : { ...f, search: searchText })), SEARCH_DELAY_MS);
    return () => clearTimeout(timer);
  }, [searchText]);

  const filtered = filters.status !== '' || filters.type !== '' || filters.search.trim() !== '';
  return (
    <div className="stack">
      <div className="toolbar">
        <button type="button" className="button primary" onClick={() => navigate('declarations', 'new')}>
          <Icon name="plus" />
          New declaration
        </button>
        <div className="search">
          <Icon name="search" />
          <label htmlFor={ids.search} className="visually-hidden">
            Search declarations
          </label>
          <input id={ids.search} className="input" type="search" placeholder="Search UUID, type, key name or label" value={searchText} onChange={(e) => setSearchText(e.target.value)} />
        </div>
        <label htmlFor={ids.status} className="visually-hidden">
          Status
        </label>
        <select id={ids.status} className="input narrow" value={filters.status} onChange={(e) => setFilters((f) => ({ ...f, status: e.target.value as Filters['status'] }))}>
          <option value="">All statuses</option>
          {DECLARATION_STATUS_LIST.map((s) => (
            <option key={s} value={s}>
              {s}
            </option>
          ))}
        </select>
        <label htmlFor={ids.type} className="visually-hidden">
          Type
        </label>
        <select id={ids.type} className="input narrow" value={filters.type} onChange={(e) => setFilters((f) => ({ ...f, type: e.target.value as Filters['type'] }))}>
          <option value="">All types</option>
          {DECLARATION_TYPE_LIST.map((t) => (
            <option key={t} value={t}>
              {TYPE_LABELS[t]}
            </option>
          ))}
        </select>
      </div>
      {listing.error && <ErrorBanner error={listing.error} onDismiss={() => setListing((l) => ({ ...l, error: undefined }))} />}
      <div className="panel list-panel" aria-busy={listing.loading}>
        {listing.rows.length === 0 && listing.loading ? (
          <Spinner label="Loading declarations…" />
        ) : listing.rows.length === 0 ? (
          filtered ? (
            <EmptyState icon="search" title="No matching declarations" text="Nothing matches these filters. Clear the search or choose another status or type." />
          ) : (
            <EmptyState icon="document" title="No declarations" text="Create a declaration to grant trust, privileges or delegations to another key." action={{ label: 'New declaration', onClick: () => navigate('declarations', 'new') }} />
          )
        ) : (
          <VirtualList
            rows={listing.rows}
            rowHeight={ROW_HEIGHT}
            label="Declarations"
            itemKey={declarationKey}
            onActivate={(item) => navigate('declarations', item.declaration_uuid)}
            onEndReached={loadMore}
            hasMore={listing.cursor !== null}
            prefetchRows={PAGE_SIZE}
            header={
              <div className="vrow header" role="row" aria-rowindex={1}>
                <span role="columnheader" className="col-type">Type</span>
                <span role="columnheader" className="col-status">Status</span>
                <span role="columnheader" className="col-issuer">Issuer</span>
                <span role="columnheader" className="col-subject">Subject</span>
                <span role="columnheader" className="col-validity">Validity</span>
              </div>
            }
            renderRow={(item) => <Row item={item} directory={directory} />}
          />
        )}
      </div>
      <p className="list-summary" role="status" data-testid="declaration-count">
        {listing.rows.length} shown{listing.cursor !== null ? ' · more load as you scroll' : ''}
      </p>
    </div>
  );
}
