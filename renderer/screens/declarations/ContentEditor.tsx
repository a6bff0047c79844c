// The content step: a guided form per declaration type, or raw JSON with live checks. Both produce the same
// `content` object; switching from the form to JSON carries the form's content over.

import { useId } from 'react';
import type { DeclarationType } from '../../../electron/core/declaration/types';
import {
  CONTROL_MESSAGE_TYPES,
  FIELDS_BY_TYPE,
  MODERATION_ACTIONS,
  PERMISSION_LABELS,
  PERMISSIONS,
  TRUST_LEVELS,
  UPDATABLE_TYPES,
  checkContent,
  contentFromForm,
  type ContentForm,
} from '../../lib/content';
import { DECLARATION_TYPE_LIST, ROLE_LABELS, TYPE_LABELS } from '../../lib/format';

export interface ContentState {
  type: DeclarationType;
  mode: 'form' | 'json';
  form: ContentForm;
  json: string;
}

/** The content the step currently describes, or why it cannot be read. */
export function currentContent(state: ContentState): { content: Record<string, unknown> | undefined; problems: string[] } {
  if (state.mode === 'form') {
    const content = contentFromForm(state.type, state.form);
    return { content, problems: checkContent(state.type, content) };
  }
  let parsed: unknown;
  try {
    parsed = JSON.parse(state.json);
  } catch (thrown) {
    return { content: undefined, problems: [`Not valid JSON: ${(thrown as Error).message}`] };
  }
  const problems = checkContent(state.type, parsed);
  return { content: typeof parsed === 'object' && parsed !== null && !Array.isArray(parsed) ? (parsed as Record<string, unknown>) : undefined, problems };
}

/** `lockType`: the type is fixed (an update keeps its target's type); it is shown but cannot be changed. */
export function ContentEditor({ state, onChange, lockType = false }: { state: ContentState; onChange(next: ContentState): void; lockType?: boolean }) {
  const ids = {
    type: useId(),
    json: useId(),
    problems: useId(),
    level: useId(),
    namespaces: useId(),
    action: useId(),
    reason: useId(),
    object: useId(),
    messageType: useId(),
    body: useId(),
    target: useId(),
    updatedType: useId(),
    updated: useId(),
    label: useId(),
  };
  const fields = FIELDS_BY_TYPE[state.type];
  const form = state.form;
  const set = (patch: Partial<ContentForm>) => onChange({ ...state, form: { ...form, ...patch } });
  const { problems } = currentContent(state);

  function switchMode(mode: 'form' | 'json') {
    if (mode === state.mode) return;
    onChange({ ...state, mode, json: mode === 'json' ? JSON.stringify(contentFromForm(state.type, form), null, 2) : state.json });
  }

  return (
    <div className="stack tight">
      <div className="field-row">
        <div className="field">
          <label htmlFor={ids.type}>Declaration type</label>
          <select id={ids.type} className="input" value={state.type} disabled={lockType} onChange={(e) => onChange({ ...state, type: e.target.value as DeclarationType })}>
            {DECLARATION_TYPE_LIST.map((t) => (
              <option key={t} value={t}>
                {TYPE_LABELS[t]}
              </option>
            ))}
          </select>
        </div>
        <div className="field">
          <span className="field-label" id={`${ids.type}-mode`}>
            Edit as
          </span>
          <div className="segmented" role="radiogroup" aria-labelledby={`${ids.type}-mode`}>
            <button type="button" role="radio" aria-checked={state.mode === 'form'} onClick={() => switchMode('form')}>
              Guided form
            </button>
            <button type="button" role="radio" aria-checked={state.mode === 'json'} onClick={() => switchMode('json')}>
              Raw JSON
            </button>
          </div>
        </div>
      </div>

      {state.mode === 'json' ? (
        <div className="field">
          <label htmlFor={ids.json}>Content (JSON object)</label>
          <textarea
            id={ids.json}
            className="input mono"
            rows={14}
            spellCheck={false}
            value={state.json}
            aria-invalid={problems.length > 0}
            aria-describedby={ids.problems}
            onChange={(e) => onChange({ ...state, json: e.target.value })}
          />
        </div>
      ) : (
        <div className="form-grid">
          {fields.includes('trust_level') && (
            <div className="field">
              <label htmlFor={ids.level}>Trust level granted</label>
              <select id={ids.level} className="input" value={form.trust_level} onChange={(e) => set({ trust_level: e.target.value as ContentForm['trust_level'] })}>
                {TRUST_LEVELS.map((l) => (
                  <option key={l} value={l}>
                    {ROLE_LABELS[l]}
                  </option>
                ))}
              </select>
            </div>
          )}
          {fields.includes('permissions') && (
            <fieldset className="choice-group compact">
              <legend>Permissions</legend>
              {PERMISSIONS.map((p) => (
                <label key={p} className="checkbox">
                  <input
                    type="checkbox"
                    checked={form.permissions.includes(p)}
                    onChange={(e) => set({ permissions: e.target.checked ? [...form.permissions, p] : form.permissions.filter((x) => x !== p) })}
                  />
                  <span>
                    <code>{p}</code> — {PERMISSION_LABELS[p]}
                  </span>
                </label>
              ))}
            </fieldset>
          )}
          {fields.includes('scope') && (
            <fieldset className="choice-group compact">
              <legend>Scope</legend>
              <label className="checkbox">
                <input type="radio" name="scope" checked={form.scopeAll} onChange={() => set({ scopeAll: true })} />
                Every namespace (<code>*</code>)
              </label>
              <label className="checkbox">
                <input type="radio" name="scope" checked={!form.scopeAll} onChange={() => set({ scopeAll: false })} />
                Only these namespaces
              </label>
              {!form.scopeAll && (
                <div className="field">
                  <label htmlFor={ids.namespaces}>Namespaces (comma or space separated)</label>
                  <input id={ids.namespaces} className="input mono" placeholder="games/chess, forum/announcements" value={form.namespaces} onChange={(e) => set({ namespaces: e.target.value })} />
                </div>
              )}
            </fieldset>
          )}
          {fields.includes('action') && (
            <div className="field">
              <label htmlFor={ids.action}>Moderation action</label>
              <select id={ids.action} className="input" value={form.action} onChange={(e) => set({ action: e.target.value as ContentForm['action'] })}>
                {MODERATION_ACTIONS.map((a) => (
                  <option key={a} value={a}>
                    {a}
                  </option>
                ))}
              </select>
            </div>
          )}
          {fields.includes('object_id') && (
            <div className="field">
              <label htmlFor={ids.object}>Object (optional: an event id, a post, an account)</label>
              <input id={ids.object} className="input mono" value={form.object_id} onChange={(e) => set({ object_id: e.target.value })} />
            </div>
          )}
          {fields.includes('message_type') && (
            <div className="field">
              <label htmlFor={ids.messageType}>Message type</label>
              <select id={ids.messageType} className="input" value={form.message_type} onChange={(e) => set({ message_type: e.target.value as ContentForm['message_type'] })}>
                {CONTROL_MESSAGE_TYPES.map((m) => (
                  <option key={m} value={m}>
                    {m}
                  </option>
                ))}
              </select>
            </div>
          )}
          {fields.includes('body') && (
            <div className="field span-2">
              <label htmlFor={ids.body}>Message</label>
              <textarea id={ids.body} className="input" rows={4} value={form.body} onChange={(e) => set({ body: e.target.value })} />
            </div>
          )}
          {fields.includes('target_declaration_uuid') && (
            <div className="field span-2">
              <label htmlFor={ids.target}>Declaration this refers to (UUID)</label>
              <input id={ids.target} className="input mono" placeholder="xxxxxxxx-xxxx-xxxx-xxxx-xxxxxxxxxxxx" value={form.target_declaration_uuid} onChange={(e) => set({ target_declaration_uuid: e.target.value.trim().toLowerCase() })} />
            </div>
          )}
          {fields.includes('updated_declaration_type') && (
            <div className="field">
              <label htmlFor={ids.updatedType}>Type of the updated declaration</label>
              <select id={ids.updatedType} className="input" value={form.updated_declaration_type} onChange={(e) => set({ updated_declaration_type: e.target.value as ContentForm['updated_declaration_type'] })}>
                {UPDATABLE_TYPES.map((t) => (
                  <option key={t} value={t}>
                    {TYPE_LABELS[t]}
                  </option>
                ))}
              </select>
            </div>
          )}
          {fields.includes('updated_content') && (
            <div className="field span-2">
              <label htmlFor={ids.updated}>New content (JSON)</label>
              <textarea id={ids.updated} className="input mono" rows={6} spellCheck={false} value={form.updated_content} onChange={(e) => set({ updated_content: e.target.value })} />
            </div>
          )}
          {fields.includes('reason') && (
            <div className="field span-2">
              <label htmlFor={ids.reason}>Reason</label>
              <textarea id={ids.reason} className="input" rows={2} value={form.reason} onChange={(e) => set({ reason: e.target.value })} />
            </div>
          )}
          <div className="field span-2">
            <label htmlFor={ids.label}>Your administrator name (optional, shown to verifiers)</label>
            <input id={ids.label} className="input" value={form.issuer_label} onChange={(e) => set({ issuer_label: e.target.value })} />
          </div>
        </div>
      )}
      <div id={ids.problems} className={problems.length ? 'check-list bad' : 'check-list good'} role="status" data-testid="content-problems">
        {problems.length === 0 ? (
          <span>Content looks complete for a {TYPE_LABELS[state.type].toLowerCase()}.</span>
        ) : (
          <ul>
            {problems.map((p) => (
              <li key={p}>{p}</li>
            ))}
          </ul>
        )}
      </div>
    </div>
  );
}
