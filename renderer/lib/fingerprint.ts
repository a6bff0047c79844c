// Groups a hex fingerprint for reading aloud over the phone: `ab12 cd34 …`.
// Mirrors groupFingerprint in electron/core/keys/identity.ts, which the renderer cannot bundle (it imports node:crypto).

export function fingerprintGroups(fingerprint: string, groupSize = 4): string[] {
  const groups: string[] = [];
  for (let i = 0; i < fingerprint.length; i += groupSize) groups.push(fingerprint.slice(i, i + groupSize));
  return groups;
}
