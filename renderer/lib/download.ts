// Saves text the user asked for (an exported bundle or public key) as a file, without a round trip through main.

export function downloadText(fileName: string, text: string, type = 'application/json'): void {
  const url = URL.createObjectURL(new Blob([text], { type }));
  const link = document.createElement('a');
  link.href = url;
  link.download = fileName;
  link.rel = 'noopener';
  document.body.append(link);
  link.click();
  link.remove();
  // Revoke after the click has been handled; the download keeps its own reference.
  setTimeout(() => URL.revokeObjectURL(url), 1000);
}

/** Reads a chosen or dropped file: text as-is, binary (PKCS#12, DER) as base64. */
export async function readFileForImport(file: File): Promise<{ text: string } | { base64: string }> {
  const bytes = new Uint8Array(await file.arrayBuffer());
  const decoded = new TextDecoder('utf-8', { fatal: false }).decode(bytes);
  const looksBinary = bytes.includes(0) || decoded.includes('\uFFFD') || /\.(p12|pfx|der|bin)$/i.test(file.name);
  if (!looksBinary) return { text: decoded };
  let binary = '';
  for (let i = 0; i < bytes.length; i += 0x8000) binary += String.fromCharCode(...bytes.subarray(i, i + 0x8000));
  return { base64: btoa(binary) };
}
