// The declarations list: filters and search on the server, keyset pages fetched as the view nears the end, and a
// windowed body so a store of 100,000 declarations scrolls like a small one.

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
import { DECLARATION_STATUS_LIST, DECLARATION_TYPE_LIST, formatUtc, STATUS_TONES, TYPE_LABELS } from '../../lib/format';
import { useKeyDirectory, shortCanonical, type KeyDirectory } from '../../lib/keyDirectory';
import { navigate } from '../../lib/router';
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
  items: DeclarationItem[];
  cursor: string | null;
  loading: boolean;
  error: AppError | undefined;
}

export function StatusBadges({ item }: { item: Pick<DeclarationItem, 'status' | 'is_revoked' | 'is_local'> }) {
  return (
    <span className="badges">
      <Badge tone={STATUS_TONES[item.status]}>{item.status}</Badge>
      {item.is_revoked && <Badge tone="danger">Revoked</Badge>}
      {!item.is_local && <Badge tone="neutral" title="Imported from a relay or a bundle; not created in this store">Not local</Badge>}
    </span>
  );
}

function Row({ item, directory }: { item: DeclarationItem; directory: KeyDirectory }) {
  const subjectLabel = directory.labelOf(item.target_canonical_name);
  return (
    <>
      <span role="gridcell" className="col-type">
        <span className="cell-title">{TYPE_LABELS[item.declaration_type]}</span>
        <span className="cell-sub mono">{item.declaration_uuid}</span>
      </span>
      <span role="gridcell" className="col-status">
        <StatusBadges item={item} />
      </span>
      <span role="gridcell" className="col-issuer" title={item.issuer_canonical_name ?? undefined}>
        <span className="cell-title">{item.issuer_label ?? '—'}</span>
        <span className="cell-sub mono">{item.issuer_canonical_name ? shortCanonical(item.issuer_canonical_name) : ''}</span>
      </span>
      <span role="gridcell" className="col-subject" title={item.target_canonical_name ?? undefined}>
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
  const [listing, setListing] = useState<Listing>({ items: [], cursor: null, loading: true, error: undefined });
  const generation = useRef(0);
  const inFlight = useRef(false);
  const ids = { search: useId(), status: useId(), type: useId() };

  const fetchPage = useCallback(
    async (cursor: string | null, reset: boolean) => {
      const ticket = reset ? ++generation.current : generation.current;
      inFlight.current = true;
      setListing((l) => ({ ...l, loading: true, ...(reset ? { items: [], cursor: null } : {}) }));
      const result = await call('declarations.list', {
        limit: PAGE_SIZE,
        ...(cursor ? { cursor } : {}),
        ...(filters.status ? { status: filters.status } : {}),
        ...(filters.type ? { type: filters.type } : {}),
        ...(filters.search.trim() ? { search: filters.search.trim() } : {}),
      });
      if (ticket !== generation.current) return;
      inFlight.current = false;
      if (!result.ok) {
        noticeError(result.error);
        setListing((l) => ({ ...l, loading: false, error: result.error }));
        return;
      }
      setListing((l) => ({
        items: reset ? result.value.items : [...l.items, ...result.value.items],
        cursor: result.value.next_cursor,
        loading: false,
        error: undefined,
      }));
    },
    [filters, noticeError],
  );

  useEffect(() => {
    void fetchPage(null, true);
  }, [fetchPage]);

  // A declaration discovered live on a followed relay shows up without a manual refresh.
  useDiscoveryImports((batch) => {
    if (batch.changed > 0) void fetchPage(null, true);
  });

  useEffect(() => {
    const timer = setTimeout(() => setFilters((f) => (f.search === searchText ? f : { ...f, search: searchText })), SEARCH_DELAY_MS);
    return () => clearTimeout(timer);
  }, [searchText]);

  const loadMore = useCallback(() => {
    if (!inFlight.current && listing.cursor) void fetchPage(listing.cursor, false);
  }, [fetchPage, listing.cursor]);

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
        {listing.items.length === 0 && listing.loading ? (
          <Spinner label="Loading declarations…" />
        ) : listing.items.length === 0 ? (
          filtered ? (
            <EmptyState icon="search" title="No matching declarations" text="Nothing matches these filters. Clear the search or choose another status or type." />
          ) : (
            <EmptyState icon="document" title="No declarations" text="Create a declaration to grant trust, privileges or delegations to another key." action={{ label: 'New declaration', onClick: () => navigate('declarations', 'new') }} />
          )
        ) : (
          <VirtualList
            items={listing.items}
            rowHeight={ROW_HEIGHT}
            label="Declarations"
            itemKey={(item) => item.declaration_uuid}
            onActivate={(item) => navigate('declarations', item.declaration_uuid)}
            onEndReached={loadMore}
            hasMore={listing.cursor !== null}
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
        {listing.items.length} shown{listing.cursor !== null ? ' · more load as you scroll' : ''}
      </p>
    </div>
  );
}
