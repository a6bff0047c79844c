// Offline verification of any text a user hands us: a bundle, an event, an array of events, or JSON Lines.
// Works without a store; when one exists, its known revocations are consulted too. With trust anchors (the store's, or
// a list given for this check) each report also gets an `authority` check; without, `report.authority` says plainly
// that authority was not evaluated and validity rests on the cryptographic checks.

import { z } from 'zod';
import type { ReportWithAuthority } from '../../core/authority';
import { verifyAll, type Revocation } from '../../core/declaration';
import type { SchnorrVerifier } from '../../core/declaration/nostr-event';
import { bulkSchnorrBackend } from '../../relays/import-pool';
import { defineOperation } from '../define';
import type { OperationContext } from '../context';
import { revocationLookup } from '../../store/declarations';
import { verificationAuthority } from './authority';

const op = defineOperation<OperationContext>();

export const instant = z
  .string()
  .refine((s) => /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d{1,3})?)?Z$/.test(s) && !Number.isNaN(Date.parse(s)), {
    message: 'expected an ISO 8601 UTC time like 2026-01-31T12:00:00Z',
  });

export interface VerifyTextResult {
  /** True only when there was at least one declaration and every report is valid. */
  valid: boolean;
  /** Each report carries `authority` (core/authority/report.ts `ReportAuthority`). */
  reports: ReportWithAuthority[];
}

/** Revocations this store knows of (its own and imported ones), for the `not_revoked` check. */
function localRevocations(ctx: OperationContext): ((uuid: string) => Revocation | undefined) | undefined {
  return ctx.services.exists() ? revocationLookup(ctx.services.db()) : undefined;
}

/** `anchorsText` (npub/hex/fingerprint lines or JSON) replaces the store's anchors for this check. */
function verifyText(text: string, at: Date, ctx: OperationContext, verifySchnorr: SchnorrVerifier, anchorsText?: string): VerifyTextResult {
  const revoked = localRevocations(ctx);
  const options = { at, ...(revoked ? { revoked } : {}), backend: { verifySchnorr } };
  const reports = verificationAuthority(ctx, verifyAll(text, options), anchorsText, at);
  return { valid: reports.length > 0 && reports.every((r) => r.valid), reports };
}

export const verifyOperations = {
  'verify.text': op({
    name: 'verify.text',
    summary: 'Verify a bundle, one event, an array of events or JSON Lines; every check is reported.',
    input: z.strictObject({
      text: z.string().min(1, 'Nothing to verify: the input is empty.'),
      at: instant.optional(),
      anchors_text: z.string().optional(),
    }),
    handler: async (input, ctx) => {
      // libsecp256k1 (native, else its WebAssembly build), as import uses: with noble's pure-JavaScript BIP-340, a file
      // of 10,000 declarations took ≈ 12 s to verify here instead of ≈ 2.
      const { verify } = await bulkSchnorrBackend();
      return verifyText(input.text, input.at ? new Date(input.at) : ctx.now(), ctx, verify, input.anchors_text);
    },
  }),
};
