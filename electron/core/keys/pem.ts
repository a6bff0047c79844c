// PEM armour (RFC 7468) for untrusted input: find the first block, tolerate labels, indentation and
// CRLF around it, and tell a truncated or corrupt block apart from a wrong password.

import { DeclsignError } from '../errors';

export interface PemBlock {
  label: string;
  /** RFC 1421 headers (legacy OpenSSL encryption: Proc-Type, DEK-Info), if any. */
  headers: Record<string, string>;
  der: Uint8Array;
}

const BEGIN = /-----BEGIN ([A-Z0-9 ]+)-----/;
const BASE64_BODY = /^[A-Za-z0-9+/]*={0,2}$/;

export function looksLikePem(text: string): boolean {
  return BEGIN.test(text);
}

/** Parses the first PEM block in `text`. Throws `invalid_key` saying what is wrong. */
export function parsePem(text: string): PemBlock {
  const begin = BEGIN.exec(text);
  if (begin === null) throw new DeclsignError('invalid_key', 'No PEM "-----BEGIN …-----" line found.');
  const label = begin[1]!;
  const endLine = `-----END ${label}-----`;
  const bodyStart = begin.index + begin[0].length;
  const endIndex = text.indexOf(endLine, bodyStart);
  if (endIndex < 0) {
    throw new DeclsignError('invalid_key', `The PEM block "${label}" is truncated: its "${endLine}" line is missing.`);
  }
  const lines = text
    .slice(bodyStart, endIndex)
    .split(/\r\n|\r|\n/)
    .map((line) => line.trim())
    .filter((line) => line !== '');
  const headers: Record<string, string> = {};
  while (lines.length > 0 && lines[0]!.includes(':')) {
    const line = lines.shift()!;
    const colon = line.indexOf(':');
    headers[line.slice(0, colon).trim()] = line.slice(colon + 1).trim();
  }
  const body = lines.join('');
  if (body === '' || body.length % 4 !== 0 || !BASE64_BODY.test(body)) {
    throw new DeclsignError('invalid_key', `The PEM block "${label}" is truncated or corrupt: its body is not complete base64.`);
  }
  const der = Uint8Array.from(Buffer.from(body, 'base64'));
  // Legacy-encrypted bodies are ciphertext, not DER; everything else must be one whole DER value.
  if (!('Proc-Type' in headers) && !isSingleDerValue(der)) {
    throw new DeclsignError('invalid_key', `The PEM block "${label}" is truncated or corrupt: its DER length does not match its content.`);
  }
  return { label, headers, der };
}

export function toPem(label: string, der: Uint8Array, headers: Record<string, string> = {}): string {
  const base64 = Buffer.from(der).toString('base64');
  const lines = base64.match(/.{1,64}/g) ?? [];
  const headerLines = Object.entries(headers).map(([name, value]) => `${name}: ${value}\n`);
  const headerBlock = headerLines.length > 0 ? headerLines.join('') + '\n' : '';
  return `-----BEGIN ${label}-----\n${headerBlock}${lines.join('\n')}\n-----END ${label}-----\n`;
}

/**
 * True when `bytes` is exactly one DER TLV whose length field matches the byte count. This is what a
 * truncated (or padded) file fails; it does not validate the contents.
 */
export function isSingleDerValue(bytes: Uint8Array): boolean {
  if (bytes.length < 2 || (bytes[0]! & 0x1f) === 0x1f) return false; // high-tag-number form: not used by key formats
  const first = bytes[1]!;
  let length: number;
  let header = 2;
  if (first < 0x80) {
    length = first;
  } else {
    const count = first & 0x7f;
    if (count === 0 || count > 4 || bytes.length < 2 + count) return false;
    length = 0;
    for (let i = 0; i < count; i++) length = length * 256 + bytes[2 + i]!;
    header += count;
  }
  return header + length === bytes.length;
}
