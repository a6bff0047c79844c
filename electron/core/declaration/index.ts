// Public surface of the declaration core: formats, signing, wrapping, countersigning, bundles and verification.

export * from './types';
export { MAX_CONTENT_BYTES, buildContent, buildSignedData, contentHash, signedDataHash, validityProblem, type KeyReference, type SignedDataInput } from './build';
export { defaultBackend, verifySchnorrNoble, type DigestBackend, type DigestSigner, type DigestVerifier, type SchnorrVerifier, type VerifyBackend } from './backend';
export { signWithNostr, signDetached } from './sign';
export { nostrFormat3, signedDataOf, signedDataSha256 } from './format3';
export { countersignDetached, countersignWithNostr, type ExistingSignatures } from './countersign';
export { wrap } from './wrap';
export { BUNDLE_VERSION, MAX_INPUT_BYTES, buildBundle, parseVerifiableInput, type VerifiableInput } from './bundle';
export { CHECK_NAMES, type Check, type CheckName } from './checks';
export { computeEventId, declarationAlt, countersignatureAlt, shortCanonicalName } from './nostr-event';
export { isTimestamp, parseTimestamp, timestampFromDate, timestampFromUnix, toUnixSeconds } from './timestamp';
export {
  verifyAll,
  verifyDeclaration,
  type Countersigner,
  type EventRole,
  type ReportedEvent,
  type Revocation,
  type VerificationReport,
  type VerifyOptions,
} from './verify';
