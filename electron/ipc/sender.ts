// Which frames may call operations: the main frame of our own renderer, served from the app:// origin.
// Signal-Desktop's handlers skip this check; we hold signing keys in main, so every IPC call is checked.

/** Privileged custom scheme the Electron shell serves the built renderer from (see electron/main.ts). */
export const APP_SCHEME = 'app';
export const APP_HOST = 'renderer';
export const RENDERER_ORIGIN = `${APP_SCHEME}://${APP_HOST}`;
export const RENDERER_ENTRY_URL = `${RENDERER_ORIGIN}/index.html`;

/** The parts of Electron's WebFrameMain the check needs; tests pass plain objects. */
export interface FrameLike {
  readonly url: string;
  readonly parent: FrameLike | null;
}

/** True only for a top-level frame whose document was loaded from our renderer origin. */
export function isOwnRendererFrame(frame: FrameLike | null | undefined): boolean {
  if (!frame || frame.parent !== null) return false;
  let url: URL;
  try {
    url = new URL(frame.url);
  } catch {
    return false;
  }
  return url.protocol === `${APP_SCHEME}:` && url.host === APP_HOST && url.username === '' && url.password === '';
}
