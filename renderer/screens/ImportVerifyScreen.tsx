// Import & verify: paste or drop a bundle, an event, a JSON array or JSON Lines; every check of every declaration
// is listed, with the authority chain behind it. The banner says "valid" only when the operation's report does.
// Import stores what verifies and quarantines the rest; relays can be fetched from directly; the quarantine shows
// what was refused and why.

import { useId, useState, type DragEvent } from 'react';
import { call, type AppError, type OutputOf } from '../api/client';
import { ReportAuthorityView } from '../components/AuthorityPicture';
import { firstWhen, ShowMoreList } from '../components/ShowMore';
import { Badge } from '../components/Badge';
import { ErrorBanner } from '../components/ErrorBanner';
import { Fingerprint } from '../components/Fingerprint';
import { Icon } from '../components/Icon';
import { Tabs } from '../components/Tabs';
import { useToasts } from '../components/Toasts';
import { isUnavailableOperation } from '../lib/availability';
import { useKeyDirectory, type KeyDirectory } from '../lib/keyDirectory';
import { readFileForImport } from '../lib/download';
import { TYPE_LABELS } from '../lib/format';
import { useSession } from '../lib/session';
import { ImportResultView, QuarantinePanel, RelayImportPanel } from './ImportPanels';

type VerifyResult = OutputOf<'verify.text'>;
type Report = VerifyResult['reports'][number];
type ImportResult = OutputOf<'import.text'>;

/** Full reports shown at a time (each is a few hundred elements). */
const REPORTS_STEP = 20;
/**
 * A file up to this many characters goes into the text box, to read and edit; a larger one is held as it was read and
 * named instead (a 28 MB file took five seconds to appear in the box, and nobody edits ten thousand events by hand).
 */
const EDITABLE_FILE_CHARS = 256 * 1024;

const TABS = [
  { id: 'text', label: 'Verify & import' },
  { id: 'relays', label: 'Fetch from relays' },
  { id: 'quarantine', label: 'Quarantine' },
] as const;
type TabId = (typeof TABS)[number]['id'];

/**
 * What the declaration is. Its type is set only when its own checks passed; otherwise nothing the events claim is
 * shown as fact: no type, and the UUID (from their d tags) marked as only claimed.
 */
function ReportIdentity({ report }: { report: Report }) {
  const uuid = report.declaration_uuid;
  return (
    <span data-testid="report-identity">
      {report.declaration_type ? (
        <>
          {TYPE_LABELS[report.declaration_type]} · <span className="mono">{uuid}</span>
        </>
      ) : (
        <>
          Type not verified · {uuid === null ? 'no UUID' : <>UUID claimed by its events: <span className="mono">{uuid}</span></>}
        </>
      )}
    </span>
  );
}

function ReportView({ report, index, directory }: { report: Report; index: number; directory: KeyDirectory }) {
  const failed = report.checks.filter((c) => !c.ok);
  return (
    <article className="panel report" aria-label={`Declaration ${index + 1}`} data-valid={report.valid}>
      <header className={report.valid ? 'report-banner valid' : 'report-banner invalid'} role="status">
        <Icon name={report.valid ? 'check' : 'alert'} />
        <div>
          <strong>{report.valid ? 'Valid declaration' : 'Not valid'}</strong>
          <ReportIdentity report={report} />
          {!report.valid && <span>{failed.length} check{failed.length === 1 ? '' : 's'} failed: {failed.map((c) => c.name).join(', ')}</span>}
        </div>
      </header>
      <div className="report-body">
        {report.signer && (
          <section>
            <h3>Signer</h3>
            <p className="mono break">
              {report.signer.algorithm} · {report.signer.canonical_name}
            </p>
            <Fingerprint value={report.signer.fingerprint} block />
          </section>
        )}
        {report.countersigners.length > 0 && (
          <section>
            <h3>Countersigners</h3>
            <ul className="plain-list">
              {report.countersigners.map((c) => (
                <li key={c.fingerprint} className="mono break">
                  {c.algorithm} · {c.canonical_name} ({c.via})
                </li>
              ))}
            </ul>
          </section>
        )}
        <section aria-label="Authority">
          <h3>Authority</h3>
          <ReportAuthorityView authority={report.authority} signer={report.signer} declaration={{ uuid: report.declaration_uuid ?? '—', type: report.declaration_type }} directory={directory} />
        </section>
        <section>
          <h3>Checks</h3>
          <table className="table compact checks" aria-label="Checks">
            <thead>
              <tr>
                <th scope="col">Result</th>
                <th scope="col">Check</th>
                <th scope="col">Message</th>
              </tr>
            </thead>
            <tbody>
              {report.checks.map((c, i) => (
                <tr key={`${c.name}-${i}`} data-check={c.name} data-ok={c.ok}>
                  <td>{c.ok ? <Badge tone="success">ok</Badge> : <Badge tone="danger">fail</Badge>}</td>
                  <td className="mono">{c.name}</td>
                  <td>{c.message}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </section>
        <section>
          <h3>Events</h3>
          <table className="table compact" aria-label="Events">
            <thead>
              <tr>
                <th scope="col">Role</th>
                <th scope="col">Event id</th>
                <th scope="col">Author (pubkey)</th>
              </tr>
            </thead>
            <tbody>
              {report.events.map((e, i) => (
                <tr key={`${e.id ?? 'none'}-${i}`}>
                  <td>{e.role}</td>
                  <td className="mono break">{e.id ?? '—'}</td>
                  <td className="mono break">{e.pubkey ?? '—'}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </section>
      </div>
    </article>
  );
}

export function ImportVerifyScreen() {
  const [tab, setTab] = useState<TabId>('text');
  return (
    <div className="panel">
      <Tabs<TabId> tabs={TABS} selected={tab} onSelect={setTab} label="Import">
        {tab === 'text' && <VerifyText />}
        {tab === 'relays' && <RelayImportPanel />}
        {tab === 'quarantine' && <QuarantinePanel />}
      </Tabs>
    </div>
  );
}

function VerifyText() {
  const { noticeError } = useSession();
  const directory = useKeyDirectory();
  const toasts = useToasts();
  const [text, setText] = useState('');
  /** A file too large for the text box: verified and imported as read. */
  const [file, setFile] = useState<{ name: string; text: string; bytes: number; lines: number }>();
  const [runs, setRuns] = useState(0);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<AppError>();
  const [result, setResult] = useState<VerifyResult>();
  const [importUnavailable, setImportUnavailable] = useState(false);
  const [imported, setImported] = useState<ImportResult>();
  const [dragging, setDragging] = useState(false);
  const ids = { input: useId(), file: useId() };

  function fail(e: AppError) {
    setError(e);
    noticeError(e);
  }

  async function verify() {
    setBusy(true);
    setError(undefined);
    setResult(undefined);
    setImported(undefined);
    const answer = await call('verify.text', { text: input });
    setBusy(false);
    setRuns((n) => n + 1);
    if (answer.ok) setResult(answer.value);
    else fail(answer.error);
  }

  async function importVerified() {
    setBusy(true);
    setError(undefined);
    const answer = await call('import.text', { text: input, source: file ? `file:${file.name}` : 'pasted text' });
    setBusy(false);
    if (answer.ok) {
      setImported(answer.value);
      const { verified, quarantined } = answer.value.counts;
      toasts.show({ tone: quarantined > 0 ? 'info' : 'success', title: 'Import finished', message: `${verified} verified · ${quarantined} quarantined` });
    } else if (isUnavailableOperation(answer.error)) setImportUnavailable(true);
    else fail(answer.error);
  }

  async function loadFile(chosen: File | undefined) {
    if (!chosen) return;
    const read = await readFileForImport(chosen);
    if ('text' in read) {
      if (read.text.length > EDITABLE_FILE_CHARS) {
        setFile({ name: chosen.name, text: read.text, bytes: chosen.size, lines: countLines(read.text) });
        setText('');
      } else {
        setFile(undefined);
        setText(read.text);
      }
      setResult(undefined);
      setImported(undefined);
    } else setError({ code: 'invalid_input', message: `${chosen.name} is not a text file; bundles and events are JSON.` });
  }

  function onDrop(event: DragEvent) {
    event.preventDefault();
    setDragging(false);
    void loadFile(event.dataTransfer.files[0]);
  }

  const input = file?.text ?? text;
  const allValid = result !== undefined && result.valid;
  return (
    <div className="stack">
      {error && <ErrorBanner error={error} onDismiss={() => setError(undefined)} />}
      <div
        className={dragging ? 'drop-zone dragging' : 'drop-zone'}
        onDragOver={(e) => {
          e.preventDefault();
          setDragging(true);
        }}
        onDragLeave={() => setDragging(false)}
        onDrop={onDrop}
      >
        <div className="field">
          <label htmlFor={file ? undefined : ids.input}>Bundle, event, JSON array or JSON Lines — paste here or drop a file</label>
          {file ? (
            <div className="loaded-file" data-testid="loaded-file">
              <Icon name="upload" />
              <span>
                <strong className="mono break">{file.name}</strong> · {formatSize(file.bytes)} · {file.lines} lines, held as read (too large to edit here)
              </span>
              <button
                type="button"
                className="button"
                onClick={() => {
                  setFile(undefined);
                  setResult(undefined);
                  setImported(undefined);
                }}
              >
                Clear
              </button>
            </div>
          ) : (
            <textarea
              id={ids.input}
              className="input mono"
              rows={10}
              spellCheck={false}
              value={text}
              placeholder='{"declaration_uuid":…,"events":[…]}'
              onChange={(e) => {
                setText(e.target.value);
                setResult(undefined);
                setImported(undefined);
              }}
            />
          )}
        </div>
        <div className="inline-actions">
          <button type="button" className="button primary" disabled={busy || input.trim() === ''} onClick={() => void verify()}>
            <Icon name="shieldCheck" />
            {busy ? 'Verifying…' : 'Verify'}
          </button>
          <label className="button" htmlFor={ids.file}>
            <Icon name="upload" />
            Open file…
          </label>
          <input id={ids.file} className="visually-hidden" type="file" accept=".json,.jsonl,.txt" onChange={(e) => void loadFile(e.target.files?.[0])} />
          {result && result.reports.length > 0 && !imported && (
            <button type="button" className={allValid ? 'button primary' : 'button'} disabled={busy || importUnavailable} onClick={() => void importVerified()}>
              <Icon name="download" />
              {allValid ? 'Import into this store' : 'Import (what fails its checks is quarantined)'}
            </button>
          )}
          {importUnavailable && <span className="toolbar-note">Importing is not available in this build yet; verification works.</span>}
        </div>
      </div>
      {imported && <ImportResultView result={imported} />}
      {result && (
        <>
          <div className={allValid ? 'summary-banner valid' : 'summary-banner invalid'} role="status" data-testid="verify-summary" data-valid={allValid}>
            {result.reports.length === 0
              ? 'No declaration found in this input.'
              : allValid
                ? `All ${result.reports.length} declaration(s) verified.`
                : `${result.reports.filter((r) => !r.valid).length} of ${result.reports.length} declaration(s) did not verify.`}
          </div>
          <ShowMoreList
            key={runs}
            items={firstWhen(result.reports.map((report, index) => ({ report, index })), ({ report }) => !report.valid, REPORTS_STEP)}
            step={REPORTS_STEP}
            keyOf={({ report, index }) => `${report.declaration_uuid ?? 'unknown'}-${index}`}
            render={({ report, index }) => <ReportView report={report} index={index} directory={directory} />}
            noun="declarations"
            orderNote={allValid ? undefined : 'those that failed first'}
          />
        </>
      )}
    </div>
  );
}

function formatSize(bytes: number): string {
  return bytes >= 1024 * 1024 ? `${(bytes / (1024 * 1024)).toFixed(1)} MB` : `${Math.ceil(bytes / 1024)} KB`;
}

function countLines(text: string): number {
  let lines = text.length > 0 && !text.endsWith('\n') ? 1 : 0;
  for (let at = text.indexOf('\n'); at !== -1; at = text.indexOf('\n', at + 1)) lines += 1;
  return lines;
}
