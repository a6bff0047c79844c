// Password-encrypted PKCS#8 (RFC 5958 EncryptedPrivateKeyInfo, PBES2 from RFC 8018):
// PBKDF2-HMAC-SHA256 + AES-256-CBC. We build it ourselves instead of KeyObject.export({cipher})
// because OpenSSL's export fixes PBKDF2 at 2048 iterations, far too cheap for an exported admin key.
// OpenSSL (and node's createPrivateKey) read the result like any other encrypted PKCS#8 file.

import { createCipheriv, pbkdf2Sync, randomBytes } from 'node:crypto';
import forge from 'node-forge';
import { toPem } from './pem';

// OWASP's 2023 figure for PBKDF2-HMAC-SHA256; about half a second here, once per export.
export const PKCS8_PBKDF2_ITERATIONS = 600_000;

const OID_PBES2 = '1.2.840.113549.1.5.13';
const OID_PBKDF2 = '1.2.840.113549.1.5.12';
const OID_HMAC_SHA256 = '1.2.840.113549.2.9';
const OID_AES256_CBC = '2.16.840.1.101.3.4.1.42';

/**
 * Encrypts DER PKCS#8 under `password` (UTF-8, as OpenSSL reads it). Salt and IV come from node's
 * CSPRNG: they must be fresh for every export, and a caller-supplied source would add only risk.
 */
export function encryptPkcs8Pem(pkcs8Der: Uint8Array, password: string): string {
  const salt = randomBytes(16);
  const iv = randomBytes(16);
  const key = pbkdf2Sync(Buffer.from(password, 'utf8'), salt, PKCS8_PBKDF2_ITERATIONS, 32, 'sha256');
  const cipher = createCipheriv('aes-256-cbc', key, iv);
  const ciphertext = Buffer.concat([cipher.update(pkcs8Der), cipher.final()]);
  key.fill(0);

  const { asn1 } = forge;
  const seq = (items: forge.asn1.Asn1[]) => asn1.create(asn1.Class.UNIVERSAL, asn1.Type.SEQUENCE, true, items);
  const oid = (dotted: string) => asn1.create(asn1.Class.UNIVERSAL, asn1.Type.OID, false, asn1.oidToDer(dotted).getBytes());
  const octets = (bytes: Buffer) => asn1.create(asn1.Class.UNIVERSAL, asn1.Type.OCTETSTRING, false, bytes.toString('binary'));
  const integer = (n: number) => asn1.create(asn1.Class.UNIVERSAL, asn1.Type.INTEGER, false, asn1.integerToDer(n).getBytes());
  const nullValue = asn1.create(asn1.Class.UNIVERSAL, asn1.Type.NULL, false, '');

  const encryptedPrivateKeyInfo = seq([
    seq([
      oid(OID_PBES2),
      seq([
        seq([oid(OID_PBKDF2), seq([octets(salt), integer(PKCS8_PBKDF2_ITERATIONS), seq([oid(OID_HMAC_SHA256), nullValue])])]),
        seq([oid(OID_AES256_CBC), octets(iv)]),
      ]),
    ]),
    octets(ciphertext),
  ]);
  const der = Buffer.from(asn1.toDer(encryptedPrivateKeyInfo).getBytes(), 'binary');
  return toPem('ENCRYPTED PRIVATE KEY', der);
}
