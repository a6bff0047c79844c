// Who signed a Nostr event, as the rest of the app names keys: the label of a key this store knows (its own keys,
// else a pinned anchor's), else the shortened npub. The full npub is in the title and one click copies it; when the
// clipboard is refused, it appears selected for Ctrl+C instead.

import { useState } from 'react';
import { copyText } from '../lib/clipboard';
import { shortCanonical } from '../lib/keyDirectory';
import { Icon } from './Icon';

export function NostrAuthor({ npub, label }: { npub: string; label: string | null }) {
  const [copied, setCopied] = useState<'copied' | 'selected'>();
  const name = label ?? shortCanonical(npub);

  async function copy() {
    setCopied((await copyText(npub)) ? 'copied' : 'selected');
  }

  return (
    <span className="nostr-author" title={npub} data-npub={npub}>
      <span className="nostr-author-name">
        <span className={label ? 'cell-title' : 'cell-title mono'}>{name}</span>
        {label && <span className="cell-sub mono">{shortCanonical(npub)}</span>}
      </span>
      <button type="button" className="button small ghost" onClick={() => void copy()} aria-label={`Copy the npub of ${name}`}>
        <Icon name={copied === 'copied' ? 'check' : 'document'} />
        {copied === 'copied' ? 'Copied' : 'Copy npub'}
      </button>
      {copied === 'selected' && <input className="input mono npub-fallback" readOnly autoFocus value={npub} aria-label={`npub of ${name}, selected: press Ctrl+C to copy`} onFocus={(e) => e.currentTarget.select()} />}
    </span>
  );
}
