// Copying to the clipboard. The API may be refused (Electron without the permission, an insecure origin): callers
// then select the text so Ctrl+C (⌘C) copies it.

/** True when the text is on the clipboard; false when the clipboard refused it. */
export async function copyText(value: string): Promise<boolean> {
  try {
    await navigator.clipboard.writeText(value);
    return true;
  } catch {
    return false;
  }
}
