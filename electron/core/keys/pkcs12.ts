// PKCS#12 (.p12/.pfx) reading through node-forge, because node:crypto cannot parse PKCS#12.
// We take the private key out as DER PKCS#8 and hand it back to node:crypto for everything else.

import forge from 'node-forge';
import { DeclsignError } from '../errors';

const PFX_FORMAT_HINT = 'PKCS#12 (.p12/.pfx)';

/** True when the bytes parse as an ASN.1 structure shaped like a PFX (version 3, authSafe). */
export function looksLikePkcs12(der: Uint8Array): boolean {
  try {
    const pfx = forge.asn1.fromDer(forge.util.createBuffer(Buffer.from(der).toString('binary')), false);
    const version = pfx.value[0] as forge.asn1.Asn1 | undefined;
    return (
      Array.isArray(pfx.value) &&
      version?.type === forge.asn1.Type.INTEGER &&
      forge.util.bytesToHex(version.value as string) === '03'
    );
  } catch {
    return false;
  }
}

/** The single private key in a PKCS#12 file, as DER PKCS#8 PrivateKeyInfo. */
export function privateKeyInfoFromPkcs12(der: Uint8Array, password: string | undefined): Uint8Array {
  let p12: forge.pkcs12.Pkcs12Pfx;
  try {
    const asn1 = forge.asn1.fromDer(forge.util.createBuffer(Buffer.from(der).toString('binary')));
    p12 = forge.pkcs12.pkcs12FromAsn1(asn1, password ?? '');
  } catch (error) {
    const message = error instanceof Error ? error.message : '';
    // forge says "Invalid password?" when the MAC fails and "wrong password?" when a shrouded key
    // bag does not decrypt; everything else is a damaged or unsupported file.
    if (/password/i.test(message)) {
      throw new DeclsignError(
        'wrong_key_password',
        password === undefined || password === '' ? `This ${PFX_FORMAT_HINT} file needs a password.` : `Wrong password for this ${PFX_FORMAT_HINT} file.`,
      );
    }
    throw new DeclsignError('invalid_key', `The ${PFX_FORMAT_HINT} file is truncated, corrupt or uses an unsupported cipher.`);
  }
  const bags = [
    ...(p12.getBags({ bagType: forge.pki.oids.pkcs8ShroudedKeyBag! })[forge.pki.oids.pkcs8ShroudedKeyBag!] ?? []),
    ...(p12.getBags({ bagType: forge.pki.oids.keyBag! })[forge.pki.oids.keyBag!] ?? []),
  ];
  if (bags.length === 0) throw new DeclsignError('invalid_key', `The ${PFX_FORMAT_HINT} file holds no private key.`);
  if (bags.length > 1) throw new DeclsignError('invalid_key', `The ${PFX_FORMAT_HINT} file holds ${bags.length} private keys; export the one you mean on its own.`);
  const bag = bags[0]!;
  // forge decodes RSA keys itself; any other key type stays as its raw PrivateKeyInfo ASN.1.
  const info = bag.key
    ? forge.pki.wrapRsaPrivateKey(forge.pki.privateKeyToAsn1(bag.key as forge.pki.rsa.PrivateKey))
    : (bag as { asn1?: forge.asn1.Asn1 }).asn1;
  if (info === undefined) throw new DeclsignError('invalid_key', `The ${PFX_FORMAT_HINT} key bag is empty.`);
  return Uint8Array.from(Buffer.from(forge.asn1.toDer(info).getBytes(), 'binary'));
}
