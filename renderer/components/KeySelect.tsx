// Choosing one of the store's keys: label, algorithm and the first fingerprint groups, as administrators tell keys apart.

import { useId } from 'react';
import type { KeyView } from '../screens/keys/types';
import { ALGORITHM_LABELS, ROLE_LABELS } from '../lib/format';
import { fingerprintGroups } from '../lib/fingerprint';

export function keyOptionLabel(key: KeyView): string {
  return `${key.label} — ${ALGORITHM_LABELS[key.type]}, ${ROLE_LABELS[key.role]} — ${fingerprintGroups(key.fingerprint).slice(0, 3).join(' ')}`;
}

export function KeySelect({ label, keys, value, onChange, hint, placeholder = 'Choose a key' }: {
  label: string;
  keys: readonly KeyView[];
  value: string;
  onChange(id: string): void;
  hint?: string;
  placeholder?: string;
}) {
  const id = useId();
  const hintId = useId();
  return (
    <div className="field">
      <label htmlFor={id}>{label}</label>
      <select id={id} className="input" value={value} aria-describedby={hint ? hintId : undefined} onChange={(e) => onChange(e.target.value)}>
        <option value="">{keys.length === 0 ? 'No suitable key in this store' : placeholder}</option>
        {keys.map((key) => (
          <option key={key.id} value={key.id}>
            {keyOptionLabel(key)}
          </option>
        ))}
      </select>
      {hint && (
        <span className="hint" id={hintId}>
          {hint}
        </span>
      )}
    </div>
  );
}
