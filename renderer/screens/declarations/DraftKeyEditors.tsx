// Changing a Draft's issuer or subject on its details screen, with the wizard's pickers. Each editor runs its own
// declarations.update so a refusal from the store (a watch key, a subject its revision target does not name…) shows
// next to the choice that caused it rather than at the top of the screen.

import { useState } from 'react';
import { ErrorBanner } from '../../components/ErrorBanner';
import { useAction } from '../../lib/useAction';
import type { KeyView } from '../keys/types';
import { IssuerPicker, issuerCandidates, isSubjectChosen, NO_SUBJECT, SubjectPicker, subjectInput, type SubjectChoice } from './KeyPickers';
import type { DeclarationView } from './types';

function EditorActions({ saveLabel, canSave, busy, onSave, onCancel }: { saveLabel: string; canSave: boolean; busy: boolean; onSave(): void; onCancel: (() => void) | undefined }) {
  return (
    <div className="inline-actions">
      <button type="button" className="button primary" disabled={busy || !canSave} onClick={onSave}>
        {saveLabel}
      </button>
      {onCancel && (
        <button type="button" className="button" onClick={onCancel}>
          Cancel
        </button>
      )}
    </div>
  );
}

/** `onCancel` is left out when there is nothing to go back to: a Draft whose issuer key was deleted must get one. */
export function IssuerEditor({ declaration, keys, onSaved, onCancel }: { declaration: DeclarationView; keys: readonly KeyView[]; onSaved(next: DeclarationView): void; onCancel?: () => void }) {
  const action = useAction();
  const current = declaration.issuer_keypair_uuid;
  const [issuer, setIssuer] = useState(() => issuerCandidates(keys).find((k) => k.id === current)?.id ?? '');

  async function save() {
    const next = await action.run('declarations.update', { uuid: declaration.declaration_uuid, issuer });
    if (next) onSaved(next);
  }

  return (
    <div className="stack tight key-editor" data-testid="issuer-editor">
      <IssuerPicker keys={keys} value={issuer} onChange={setIssuer} />
      {action.error && <ErrorBanner error={action.error} onDismiss={() => action.setError(undefined)} />}
      <EditorActions saveLabel="Save issuer" canSave={issuer !== '' && issuer !== current} busy={action.busy} onSave={() => void save()} onCancel={onCancel} />
    </div>
  );
}

export function SubjectEditor({ declaration, keys, onSaved, onCancel }: { declaration: DeclarationView; keys: readonly KeyView[]; onSaved(next: DeclarationView): void; onCancel(): void }) {
  const action = useAction();
  const current = declaration.target_keypair_uuid;
  const [subject, setSubject] = useState<SubjectChoice>(() => ({ ...NO_SUBJECT, keyId: keys.find((k) => k.id === current)?.id ?? '' }));
  const unchanged = subject.mode === 'local' && subject.keyId === current;

  async function save() {
    const next = await action.run('declarations.update', { uuid: declaration.declaration_uuid, ...subjectInput(subject) });
    if (next) onSaved(next);
  }

  return (
    <div className="stack tight key-editor" data-testid="subject-editor">
      <SubjectPicker keys={keys} value={subject} onChange={setSubject} />
      {action.error && <ErrorBanner error={action.error} onDismiss={() => action.setError(undefined)} />}
      <EditorActions saveLabel="Save subject" canSave={isSubjectChosen(subject, keys) && !unchanged} busy={action.busy} onSave={() => void save()} onCancel={onCancel} />
    </div>
  );
}
