// The administrator-role picker shared by the generate and import dialogs.

import type { KeyRole } from '../../electron/core/keys/types';
import { ROLE_LABELS } from '../lib/format';

/** Least to most privileged, so the safe choice comes first. */
const ROLES: readonly KeyRole[] = ['none', 'authorized-admin', 'operating-admin', 'master-admin'];

export function RoleField({ id, value, onChange }: { id: string; value: KeyRole; onChange(role: KeyRole): void }) {
  return (
    <div className="field">
      <label htmlFor={id}>Role</label>
      <select id={id} className="input" value={value} onChange={(e) => onChange(e.target.value as KeyRole)}>
        {ROLES.map((r) => (
          <option key={r} value={r}>
            {ROLE_LABELS[r]}
          </option>
        ))}
      </select>
    </div>
  );
}
