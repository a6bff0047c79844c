// A BIP-340 verifier that comes from outside our TypeScript (a WebAssembly module, a native addon) is only trusted
// after it answers known vectors exactly: a valid signature, an altered message, an altered signature, a key that is
// not on the curve, and hex it must refuse. Binding the wrong export or loading a broken library fails here, at
// start, instead of later as signatures that all "verify".

import type { SchnorrVerifier } from './nostr-event';

// BIP-340 test vectors (bip-0340/test-vectors.csv): index 1 is valid; the others are derived from it.
const VECTOR = {
  pubkey: 'dff1d77f2a671c5f36183726db2341be58feae1da2deced843240f7b502ba659',
  message: '243f6a8885a308d313198a2e03707344a4093822299f31d0082efa98ec4e6c89',
  signature:
    '6896bd60eeae296db48a229ff71dfe071bde413e6d43f917dc8dcf8c78de33418906d11ac976abccb20b091292bff4ea897efcb639ea871cfa95f6de339e4b0a',
};
/** Vector 5 of the same file: a public key that is not on the curve. */
const OFF_CURVE_PUBKEY = 'eefdea4cdb677750a420fee807eacf21eb9898ae79b9768766e4faa04a2d4a34';

export function passesBip340SelfTest(verify: SchnorrVerifier): boolean {
  const flip = (hex: string, at: number) => hex.slice(0, at) + (hex[at] === '0' ? '1' : '0') + hex.slice(at + 1);
  const answers = [
    verify(VECTOR.signature, VECTOR.message, VECTOR.pubkey) === true,
    verify(VECTOR.signature, flip(VECTOR.message, 10), VECTOR.pubkey) === false,
    verify(flip(VECTOR.signature, 100), VECTOR.message, VECTOR.pubkey) === false,
    verify(VECTOR.signature, VECTOR.message, OFF_CURVE_PUBKEY) === false,
    verify(VECTOR.signature.toUpperCase(), VECTOR.message, VECTOR.pubkey) === false,
    verify(`${VECTOR.signature}00`, VECTOR.message, VECTOR.pubkey) === false,
  ];
  return answers.every(Boolean);
}
