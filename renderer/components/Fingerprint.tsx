// A fingerprint as administrators compare it: monospace groups of four, read aloud group by group.
// Screen readers get the groups separated by commas so they are spoken in chunks too.

import { fingerprintGroups } from '../lib/fingerprint';

export function Fingerprint({ value, block = false }: { value: string; block?: boolean }) {
  const groups = fingerprintGroups(value);
  return (
    <span className={block ? 'fingerprint block' : 'fingerprint'} aria-label={`Fingerprint ${groups.join(', ')}`} data-fingerprint={value}>
      {groups.map((group, index) => (
        <span key={index} aria-hidden="true">
          {group}
        </span>
      ))}
    </span>
  );
}
