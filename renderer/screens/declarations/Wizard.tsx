// Creating a declaration, one decision per step: issuer → validity → subject → content → review. The result is a
// Draft (editable until finalized) or, if the administrator says so, finalized at once.

import { useId, useState } from 'react';
import { ErrorBanner } from '../../components/ErrorBanner';
import { Icon } from '../../components/Icon';
import { Spinner } from '../../components/Progress';
import { useToasts } from '../../components/Toasts';
import { emptyContentForm } from '../../lib/content';
import { ALGORITHM_LABELS, fromInputUtc, TYPE_LABELS } from '../../lib/format';
import { navigate, routeHref } from '../../lib/router';
import { useAction } from '../../lib/useAction';
import { useOperation } from '../../lib/useOperation';
import { ContentEditor, currentContent, type ContentState } from './ContentEditor';
import { IssuerPicker, isSubjectChosen, NO_SUBJECT, SubjectPicker, subjectInput, type SubjectChoice } from './KeyPickers';

const STEPS = ['Issuer', 'Validity', 'Subject', 'Content', 'Review'] as const;

interface Draft {
  issuer: string;
  validFrom: string;
  validUntil: string;
  subject: SubjectChoice;
  content: ContentState;
}

export function Wizard() {
  const keys = useOperation('keys.list', {});
  const action = useAction();
  const toasts = useToasts();
  const [step, setStep] = useState(0);
  const [draft, setDraft] = useState<Draft>({
    issuer: '',
    validFrom: '',
    validUntil: '',
    subject: NO_SUBJECT,
    content: { type: 'trust-declaration', mode: 'form', form: emptyContentForm(), json: '{}' },
  });
  const ids = { from: useId(), until: useId(), steps: useId() };
  const set = (patch: Partial<Draft>) => setDraft((d) => ({ ...d, ...patch }));

  const allKeys = keys.value?.keys ?? [];
  const issuer = allKeys.find((k) => k.id === draft.issuer);
  const subjectKey = draft.subject.mode === 'local' ? allKeys.find((k) => k.id === draft.subject.keyId) : undefined;
  const content = currentContent(draft.content);
  const validFrom = fromInputUtc(draft.validFrom);
  const validUntil = fromInputUtc(draft.validUntil);
  const windowOk = !validUntil || Date.parse(validUntil) > (validFrom ? Date.parse(validFrom) : Date.now());

  const stepOk = [
    issuer !== undefined,
    windowOk,
    isSubjectChosen(draft.subject, allKeys),
    content.content !== undefined && content.problems.length === 0,
    true,
  ];

  async function create(finalize: boolean) {
    if (!content.content) return;
    const created = await action.run('declarations.create', {
      type: draft.content.type,
      issuer: draft.issuer,
      ...subjectInput(draft.subject),
      content: content.content,
      ...(validFrom ? { valid_from: validFrom } : {}),
      ...(validUntil ? { valid_until: validUntil } : {}),
    });
    if (!created) return;
    if (finalize) {
      const finalized = await action.run('declarations.finalize', { uuid: created.declaration_uuid });
      if (!finalized) {
        // The Draft exists; take the administrator to it with the error rather than leaving a half-done wizard.
        navigate('declarations', created.declaration_uuid);
        return;
      }
    }
    toasts.show({ tone: 'success', title: finalize ? 'Declaration created and finalized' : 'Draft saved', message: TYPE_LABELS[created.declaration_type] });
    navigate('declarations', created.declaration_uuid);
  }

  if (keys.loading && !keys.value) return <Spinner label="Loading keys…" />;

  return (
    <div className="stack">
      <a className="back-link" href={routeHref('declarations')}>
        <Icon name="back" />
        All declarations
      </a>
      <ol className="steps" aria-label="Steps">
        {STEPS.map((name, index) => (
          <li key={name} aria-current={index === step ? 'step' : undefined} className={index < step ? 'done' : index === step ? 'current' : ''}>
            <span className="step-number">{index + 1}</span>
            {name}
          </li>
        ))}
      </ol>
      {action.error && <ErrorBanner error={action.error} onDismiss={() => action.setError(undefined)} />}
      {keys.error && <ErrorBanner error={keys.error} onDismiss={keys.dismissError} />}
      <section className="panel wizard-panel" aria-labelledby={ids.steps}>
        <h2 id={ids.steps}>
          {step + 1}. {STEPS[step]}
        </h2>
        {step === 0 && (
          <>
            <p className="muted">The key that signs this declaration. Only keys whose private key is in this store can issue.</p>
            <IssuerPicker keys={allKeys} value={draft.issuer} onChange={(issuer) => set({ issuer })} />
          </>
        )}
        {step === 1 && (
          <>
            <p className="muted">Times are in UTC. Leave “valid from” empty to start when it is created, and “valid until” empty for no end.</p>
            <div className="field-row">
              <div className="field">
                <label htmlFor={ids.from}>Valid from (UTC)</label>
                <input id={ids.from} className="input" type="datetime-local" value={draft.validFrom} onChange={(e) => set({ validFrom: e.target.value })} />
              </div>
              <div className="field">
                <label htmlFor={ids.until}>Valid until (UTC)</label>
                <input id={ids.until} className="input" type="datetime-local" value={draft.validUntil} aria-invalid={!windowOk} onChange={(e) => set({ validUntil: e.target.value })} />
                {!windowOk && <span className="hint">The end must come after the start.</span>}
              </div>
            </div>
          </>
        )}
        {step === 2 && <SubjectPicker keys={allKeys} value={draft.subject} onChange={(subject) => set({ subject })} />}
        {step === 3 && <ContentEditor state={draft.content} onChange={(c) => set({ content: c })} />}
        {step === 4 && (
          <dl className="summary-list">
            <dt>Type</dt>
            <dd>{TYPE_LABELS[draft.content.type]}</dd>
            <dt>Issuer</dt>
            <dd>{issuer ? `${issuer.label} (${ALGORITHM_LABELS[issuer.type]})` : '—'}</dd>
            <dt>Subject</dt>
            <dd className="mono">{draft.subject.mode === 'local' ? (subjectKey ? `${subjectKey.label} · ${subjectKey.canonical_name}` : '—') : draft.subject.pubkey.trim().slice(0, 80)}</dd>
            <dt>Valid from</dt>
            <dd>{validFrom ?? 'when created'}</dd>
            <dt>Valid until</dt>
            <dd>{validUntil ?? 'no end'}</dd>
            <dt>Content</dt>
            <dd>
              <pre className="code-block">{JSON.stringify(content.content, null, 2)}</pre>
            </dd>
          </dl>
        )}
      </section>
      <div className="wizard-actions">
        <button type="button" className="button" disabled={step === 0 || action.busy} onClick={() => setStep((s) => s - 1)}>
          Back
        </button>
        <span className="spacer" />
        {step < STEPS.length - 1 ? (
          <button type="button" className="button primary" disabled={!stepOk[step]} onClick={() => setStep((s) => s + 1)}>
            Next
          </button>
        ) : (
          <>
            <button type="button" className="button" disabled={action.busy || !stepOk.every(Boolean)} onClick={() => void create(false)}>
              Create as Draft
            </button>
            <button type="button" className="button primary" disabled={action.busy || !stepOk.every(Boolean)} onClick={() => void create(true)}>
              Create and finalize
            </button>
          </>
        )}
      </div>
    </div>
  );
}
