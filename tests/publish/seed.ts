// Bulk signed declarations for the restart test and bench/publish.ts (no vitest imports: the bench runs outside it).

import { randomUUID } from 'node:crypto';
import { canonicalJson } from '../../electron/core/canonical';
import { buildContent, buildSignedData, contentHash, signWithNostr, signedDataSha256, timestampFromDate } from '../../electron/core/declaration';
import type { OperationContext } from '../../electron/ops/context';
import { withSigningKey } from '../../electron/ops/resolve';
import { withTransaction } from '../../electron/store/database';
import { insertDraftDeclaration, recordSignature, setDeclarationStatus } from '../../electron/store/declarations';
import { requireKeypair } from '../../electron/store/keypairs';

export const FUTURE = '2099-01-01T00:00:00Z';

/**
 * `count` signed Nostr declarations by `issuerId` about `subjectId`, written through the store repositories and the
 * core signer directly: the same rows `declarations.sign` makes, at bulk speed (the restart test and the bench need
 * hundreds, and what they test is publishing, not signing).
 */
export async function seedSignedDeclarations(ctx: OperationContext, issuerId: string, subjectId: string, count: number): Promise<string[]> {
  const db = ctx.services.db();
  const issuer = requireKeypair(db, issuerId);
  const subject = requireKeypair(db, subjectId);
  const now = ctx.now();
  const stamp = now.toISOString();
  const signingTimestamp = timestampFromDate(now);
  return withSigningKey(ctx, issuerId, (key) =>
    withTransaction(db, () =>
      Array.from({ length: count }, (_, n) => {
        const uuid = randomUUID();
        const content = buildContent('trust-declaration', { n, trust_level: 'authorized-admin' });
        insertDraftDeclaration(db, {
          declaration_uuid: uuid,
          declaration_type: 'trust-declaration',
          content_json: canonicalJson(content, 'content'),
          content_hash_sha256: contentHash(content),
          issuer_keypair_uuid: issuer.keypair_uuid,
          target_keypair_uuid: subject.keypair_uuid,
          target_algorithm: subject.algorithm,
          target_public_key: subject.public_key,
          target_fingerprint: subject.fingerprint,
          target_canonical_name: subject.canonical_name,
          valid_from: signingTimestamp,
          valid_until: FUTURE,
        }, stamp);
        setDeclarationStatus(db, uuid, 'Finalized', stamp);
        const format3 = signWithNostr({
          signedData: buildSignedData({
            declarationUuid: uuid,
            content,
            signer: { algorithm: 'nostr', publicKeyHex: issuer.public_key },
            target: { algorithm: subject.algorithm, publicKeyHex: subject.public_key, keypairUuid: subject.keypair_uuid },
            validFrom: signingTimestamp,
            validUntil: FUTURE,
            signingTimestamp,
          }),
          nostrPrivateKey: key.privateKey,
        });
        recordSignature(db, uuid, {
          signing_keypair_uuid: issuer.keypair_uuid,
          signing_keypair_fingerprint: issuer.fingerprint,
          signing_keypair_canonical_name: issuer.canonical_name,
          digital_signature: format3.signature.digital_signature,
          signed_data: canonicalJson(format3, 'signed data'),
          signed_data_sha256: signedDataSha256(format3),
          signing_timestamp: signingTimestamp,
          nostr_event_json: JSON.stringify(format3.nostr_event),
        }, stamp);
        return uuid;
      }),
    ),
  );
}
