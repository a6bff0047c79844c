// NIP-65 relay lists (kind 10002): suggest relays from the lists of the administrators this store knows, and publish
// our own. Suggestions are only suggestions — nothing is added to the relay list without the administrator — and a
// list counts only when its signature verifies (a relay must not be able to steer our publishing).

import { z } from 'zod';
import { npubEncode } from 'nostr-tools/nip19';
import { DeclsignError } from '../../core/errors';
import { appendAudit } from '../../store/audit';
import { listAnchors } from '../../store/anchors';
import { listKeypairs, type KeypairRow } from '../../store/keypairs';
import { listRelays, setRelayPublishErrors } from '../../store/relays';
import { bulkSchnorrBackend } from '../../relays/import-pool';
import { authorHex } from '../../relays/import-relays';
import { RELAY_LIST_KIND, buildRelayListTemplate, currentRelayLists } from '../../relays/nip65';
import { relayErrorAfter } from '../../relays/outcome';
import { publishBatch } from '../../relays/publisher';
import { queryRelay, type QueryEnd } from '../../relays/query';
import { normalizeRelayUrls } from '../../relays/url';
import { defineOperation } from '../define';
import type { OperationContext } from '../context';
import { signingNostrKeys } from '../nostr-keys';
import { readAuthFor } from '../relay-auth';
import { defaultAuthors } from './import';
import { signWithStoredKey } from './publish';

const op = defineOperation<OperationContext>();

const QUERY_DEADLINE_MS = 10_000;
const PUBLISH_DEADLINE_MS = 15_000;
const MAX_AUTHORS = 500;

export interface RelayListAuthorView {
  pubkey: string;
  npub: string;
  /** The store's label for the key (own, watched or anchor), if it has one. */
  name: string | null;
  /** A private key of this store: suggestions treat its list as ours. */
  own: boolean;
  /** Null when no relay served a valid list. */
  event_id: string | null;
  created_at: number | null;
  read: string[];
  write: string[];
}

export interface RelaySuggestion {
  url: string;
  /** Why, one line per list that names it. */
  reasons: string[];
  /** Already in this store's relay list (whatever its markers). */
  listed: boolean;
}

export interface RelaySuggestionsView {
  authors: RelayListAuthorView[];
  /** Where to publish: our own write relays, and the read relays (inboxes) of the other administrators. */
  publish: RelaySuggestion[];
  /** Where to read: the write relays of the other administrators, where their declarations appear. */
  read: RelaySuggestion[];
  relays: Array<{ relay: string; end: QueryEnd; reason: string; events: number }>;
  /** Events served that were not a valid kind-10002 list by one of the authors (ignored). */
  refused: number;
}

function namesByPubkey(keys: readonly KeypairRow[], anchors: ReturnType<typeof listAnchors>): Map<string, string> {
  const names = new Map<string, string>();
  for (const anchor of anchors) if (anchor.algorithm === 'nostr' && anchor.label) names.set(anchor.public_key, anchor.label);
  for (const key of keys) if (key.label) names.set(key.public_key, key.label);
  return names;
}

function suggestions(entries: ReadonlyArray<{ url: string; reason: string }>, listed: ReadonlySet<string>): RelaySuggestion[] {
  const byUrl = new Map<string, string[]>();
  for (const { url, reason } of entries) byUrl.set(url, [...(byUrl.get(url) ?? []), reason]);
  return [...byUrl].map(([url, reasons]) => ({ url, reasons, listed: listed.has(url) }));
}

export const relayListOperations = {
  'relays.suggest': op({
    name: 'relays.suggest',
    summary: "Read the NIP-65 relay lists (kind 10002) of known administrators and suggest where to publish and read.",
    input: z.strictObject({
      /** npub or hex; default: this store's Nostr keys and pinned Nostr anchors. */
      authors: z.array(z.string().min(1).max(200)).min(1).max(MAX_AUTHORS).optional(),
      /** Where to look; default: the enabled read relays. */
      relays: z.array(z.string().min(1).max(2048)).min(1).max(50).optional(),
    }),
    async handler(input, ctx): Promise<RelaySuggestionsView> {
      ctx.services.requireInitialized();
      const db = ctx.services.db();
      const authors = [...new Set(input.authors?.map(authorHex) ?? defaultAuthors(db))].slice(0, MAX_AUTHORS);
      if (authors.length === 0) throw new DeclsignError('invalid_input', 'No administrator to look up: this store has no Nostr key or anchor; name --author.');
      const stored = listRelays(db);
      const askRelays = input.relays ? normalizeRelayUrls(input.relays) : stored.filter((relay) => relay.enabled && relay.read).map((relay) => relay.url);
      if (askRelays.length === 0) throw new DeclsignError('invalid_input', 'No relay to ask: add or enable a read relay, or name one.');

      // Replaceable: each relay should serve one list per author, but a relay may keep old versions too.
      const answers = await Promise.all(
        askRelays.map((relay) =>
          queryRelay(relay, [{ kinds: [RELAY_LIST_KIND], authors }], { deadlineMs: QUERY_DEADLINE_MS, maxEvents: authors.length * 4 + 16, auth: readAuthFor(ctx, relay) }),
        ),
      );
      const { verify } = await bulkSchnorrBackend();
      const { lists, refused } = currentRelayLists(answers.flatMap((answer) => answer.eventTexts), new Set(authors), verify);

      const keys = listKeypairs(db, { algorithm: 'nostr' });
      const ownPubkeys = new Set(keys.filter((key) => key.has_private_key).map((key) => key.public_key));
      const names = namesByPubkey(keys, listAnchors(db));
      const listed = new Set(stored.map((relay) => relay.url));
      const publish: Array<{ url: string; reason: string }> = [];
      const read: Array<{ url: string; reason: string }> = [];
      const views: RelayListAuthorView[] = authors.map((pubkey) => {
        const list = lists.get(pubkey);
        const name = names.get(pubkey) ?? null;
        const who = name ?? npubEncode(pubkey);
        const own = ownPubkeys.has(pubkey);
        if (list) {
          if (own) for (const url of list.write) publish.push({ url, reason: `${who} (ours) writes there` });
          else {
            for (const url of list.read) publish.push({ url, reason: `${who} reads there` });
            for (const url of list.write) read.push({ url, reason: `${who} writes there` });
          }
        }
        return {
          pubkey,
          npub: npubEncode(pubkey),
          name,
          own,
          event_id: list?.event.id ?? null,
          created_at: list?.event.created_at ?? null,
          read: list?.read ?? [],
          write: list?.write ?? [],
        };
      });
      return {
        authors: views,
        publish: suggestions(publish, listed),
        read: suggestions(read, listed),
        relays: answers.map((answer) => ({ relay: answer.relay, end: answer.end, reason: answer.reason, events: answer.eventTexts.length })),
        refused,
      };
    },
  }),

  'relays.publishList': op({
    name: 'relays.publishList',
    summary: 'Publish our NIP-65 relay list (kind 10002) from the enabled relays and their read/write markers.',
    input: z.strictObject({
      /** The Nostr key that signs it; default: the default Nostr key. */
      key: z.string().uuid('expected a key id (a UUID)').optional(),
      /** Where to send it; default: every enabled relay. */
      relays: z.array(z.string().min(1).max(2048)).min(1).max(50).optional(),
    }),
    async handler(input, ctx) {
      ctx.services.requireInitialized();
      const db = ctx.services.db();
      const signers = signingNostrKeys(ctx);
      const key = input.key === undefined ? signers[0] : signers.find((candidate) => candidate.keypair_uuid === input.key);
      if (key === undefined) {
        throw new DeclsignError(
          'missing_signer_private_key',
          input.key === undefined ? 'No Nostr key with a private key in this store to sign the relay list.' : `Key ${input.key} is not a Nostr key of this store with a private key.`,
        );
      }
      const enabled = listRelays(db).filter((relay) => relay.enabled);
      const template = buildRelayListTemplate(enabled, Math.floor(ctx.now().getTime() / 1000));
      const sign = (unsigned: typeof template) => signWithStoredKey(ctx, key.keypair_uuid, unsigned);
      const event = await sign(template);
      const targets = input.relays ? normalizeRelayUrls(input.relays) : enabled.map((relay) => relay.url);
      const result = await publishBatch({ relays: targets, events: [event], deadlineMs: PUBLISH_DEADLINE_MS, signAuth: sign, now: () => ctx.now().getTime() });
      const relayErrors = new Map<string, string | null>();
      for (const outcome of result.outcomes) {
        const relayError = relayErrorAfter(outcome);
        if (relayError !== undefined) relayErrors.set(outcome.relay, relayError);
      }
      setRelayPublishErrors(db, relayErrors, ctx.now().toISOString());
      appendAudit(db, {
        at: ctx.now().toISOString(),
        actor: key.fingerprint,
        action: 'relays.publish_list',
        subject_type: 'relay_list',
        subject_id: event.id,
        details: { relays: template.tags.length, sent_to: targets.length, accepted: result.outcomes.filter((o) => o.state === 'published').length },
      });
      return {
        event,
        relays: result.outcomes.map((outcome) => ({ relay: outcome.relay, state: outcome.state, reason: outcome.reason })),
      };
    },
  }),
};
