// Terminal I/O for the CLI: reading files or stdin, and asking for a passphrase without echo.

import { readFileSync } from 'node:fs';
import { DeclsignError } from '../core/errors';

/** Upper bound on anything the CLI reads (a bundle, content JSON, a key file). */
export const MAX_INPUT_BYTES = 64 * 1024 * 1024;

export async function readAllStdin(): Promise<Buffer> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of process.stdin as AsyncIterable<Buffer>) {
    size += chunk.length;
    if (size > MAX_INPUT_BYTES) throw new DeclsignError('content_too_large', `Standard input is larger than ${MAX_INPUT_BYTES} bytes.`);
    chunks.push(chunk);
  }
  return Buffer.concat(chunks);
}

/** `-` means standard input. */
export async function readInputBytes(pathOrDash: string): Promise<Buffer> {
  if (pathOrDash === '-') return readAllStdin();
  try {
    const bytes = readFileSync(pathOrDash);
    if (bytes.length > MAX_INPUT_BYTES) throw new DeclsignError('content_too_large', `${pathOrDash} is larger than ${MAX_INPUT_BYTES} bytes.`);
    return bytes;
  } catch (thrown) {
    if (thrown instanceof DeclsignError) throw thrown;
    const code = (thrown as NodeJS.ErrnoException).code;
    throw new DeclsignError('not_found', code === 'ENOENT' ? `No such file: ${pathOrDash}` : `Cannot read ${pathOrDash}: ${String(thrown)}`);
  }
}

export async function readInputText(pathOrDash: string): Promise<string> {
  const bytes = await readInputBytes(pathOrDash);
  const text = new TextDecoder('utf-8', { fatal: true, ignoreBOM: false });
  try {
    return text.decode(bytes);
  } catch {
    throw new DeclsignError('invalid_input', `${pathOrDash === '-' ? 'Standard input' : pathOrDash} is not valid UTF-8.`);
  }
}

/** Which secret a prompt asks for decides what a script without a terminal is told to set instead. */
export type SecretKind = 'store-passphrase' | 'key-password';

function noTerminal(kind: SecretKind): DeclsignError {
  return kind === 'store-passphrase'
    ? new DeclsignError('store_locked', 'The store passphrase is needed: set DECLSIGN_PASSPHRASE or run in a terminal.')
    : new DeclsignError('invalid_input', 'The key file password is needed: set DECLSIGN_KEY_PASSWORD or run in a terminal.');
}

/** Reads a line from the terminal with echo off. Fails (instead of hanging) when there is no terminal. */
export async function promptHidden(question: string, kind: SecretKind): Promise<string> {
  const stdin = process.stdin;
  if (!stdin.isTTY) throw noTerminal(kind);
  process.stderr.write(question);
  stdin.setRawMode(true);
  stdin.resume();
  stdin.setEncoding('utf8');
  return new Promise((resolve, reject) => {
    let answer = '';
    const onData = (chunk: string) => {
      for (const ch of chunk) {
        if (ch === '\r' || ch === '\n' || ch === '\u0004') {
          finish();
          resolve(answer);
          return;
        }
        if (ch === '\u0003') {
          finish();
          reject(new DeclsignError('invalid_input', 'Cancelled.'));
          return;
        }
        if (ch === '\u007f' || ch === '\b') answer = answer.slice(0, -1);
        else answer += ch;
      }
    };
    const finish = () => {
      stdin.off('data', onData);
      stdin.setRawMode(false);
      stdin.pause();
      process.stderr.write('\n');
    };
    stdin.on('data', onData);
  });
}
