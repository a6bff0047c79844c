// What the Electron window may do besides showing our renderer: nothing, except open a few well-known pages
// in the user's browser. Pure functions so the rules are tested without Electron.

import { RENDERER_ORIGIN } from './sender';

/** https origins the app links to (NIPs, event viewers). Anything else is dropped, not opened. */
export const EXTERNAL_LINK_HOSTS: readonly string[] = ['github.com', 'nostr.com', 'njump.me'];

export function isAllowedExternalUrl(raw: string): boolean {
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    return false;
  }
  return url.protocol === 'https:' && url.username === '' && url.password === '' && url.port === '' && EXTERNAL_LINK_HOSTS.includes(url.hostname);
}

/**
 * Requests the renderer's session may make. Relays, HTTP and everything else go through main; the page loads only
 * its own files (and devtools its own).
 */
export function isAllowedRendererRequest(raw: string): boolean {
  return raw.startsWith(`${RENDERER_ORIGIN}/`) || raw.startsWith('devtools://');
}
