// The `declsign` command table: each command names the operation it runs, how argv becomes that operation's
// input, and how its value is shown to a person. The operation does the work; nothing here decides trust.

import { npubEncode } from 'nostr-tools/nip19';
import { CONTENT_SCHEMA_VERSION } from '../core/authority/content';
import { DeclsignError } from '../core/errors';
import type { FlagSpecs, ParsedArgs } from './args';
import { promptHidden, readInputBytes, readInputText } from './io';
import { renderRecord, renderTable } from './render';
import { renderAudit, renderDeclaration, renderKey, renderKeyList, type DeclarationView } from './views';
import type { DiscardedDeclaration } from '../ops/handlers/declarations';
import type { KeyView } from '../ops/handlers/keys';
import type { VerifyTextResult } from '../ops/handlers/verify';
import type { AuditEntry } from '../store/audit';
import type { RelayInfoView, RelayView } from '../ops/handlers/relays';
import type { RelaySuggestion, RelaySuggestionsView } from '../ops/handlers/relay-lists';
import type { PublicationView, PublishRunResult } from '../ops/handlers/publish';
import type { KeyChangeWarning } from '../core/authority';
import type { AnchorView, ChainView } from '../ops/handlers/authority';
import type { ImportRunResult, QuarantineItemView } from '../ops/handlers/import';
import { renderAnchor, renderAnchorList, renderChain, renderVerificationWithAuthority } from './authority-views';
import type { OperationContext } from '../ops/context';
import { createDiscoverySupervisor, type DiscoveryBatch, type DiscoveryStatusView } from '../ops/discovery-supervisor';
import { listFollowedRelays } from '../store/relays';
import { normalizeRelayUrls } from '../relays/url';

export interface CommandOutput {
  text: string;
  /** Overrides the default exit code 0 (e.g. 1 for a failed verification). */
  exitCode?: number;
}

export interface Command {
  /** The words after `declsign`, e.g. `['decl', 'sign']`. */
  path: readonly string[];
  usage: string;
  summary: string;
  operation: string;
  /** When a flag selects another operation (e.g. `publish --resume`); defaults to `operation`. */
  operationFor?(args: ParsedArgs): string;
  flags: FlagSpecs;
  /** How many positionals the command takes (after its path words). */
  positionals: { min: number; max: number };
  /** argv → the operation's input; `call` runs another operation first when the input depends on stored data. */
  input(args: ParsedArgs, call: OperationCaller): Promise<unknown> | unknown;
  /** Human output; `--json` prints the value instead. */
  render(value: unknown, args: ParsedArgs): CommandOutput;
  /** Exit code for `--json` mode, derived from the value (defaults to 0). */
  exitCode?(value: unknown): number;
  /**
   * A long-running part that comes first (`watch`: follows relays until SIGINT/SIGTERM, printing as it goes); the
   * operation then reports how it ended.
   */
  follow?(ctx: OperationContext, args: ParsedArgs, json: boolean): Promise<void>;
}

type Row = Record<string, unknown>;

/** Runs an operation of the table and gives its value; a refusal is thrown as the DeclsignError it carries. */
export type OperationCaller = (operation: string, input: unknown) => Promise<unknown>;

const DECL_COLUMNS = ['declaration_uuid', 'declaration_type', 'status', 'signer', 'valid_until', 'updated_at'];

const str = (args: ParsedArgs, name: string) => args.strings.get(name);
const need = (args: ParsedArgs, name: string): string => {
  const value = args.strings.get(name);
  if (value === undefined) throw new DeclsignError('invalid_input', `Missing --${name}.`);
  return value;
};
const positional = (args: ParsedArgs, index: number) => args.positionals[index]!;

/** Passwords for key files come from DECLSIGN_KEY_PASSWORD or a hidden prompt — never from argv, where `ps` would show them. */
async function keyPassword(question: string, confirm = false): Promise<string> {
  const fromEnv = process.env.DECLSIGN_KEY_PASSWORD;
  if (fromEnv !== undefined) return fromEnv;
  const first = await promptHidden(question, 'key-password');
  if (confirm && (await promptHidden('Repeat it: ', 'key-password')) !== first) throw new DeclsignError('invalid_input', 'The two passwords differ.');
  return first;
}

function parseJsonObject(text: string, source: string): Record<string, unknown> {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (thrown) {
    throw new DeclsignError('invalid_json', `${source} is not valid JSON: ${(thrown as Error).message}`);
  }
  if (value === null || typeof value !== 'object' || Array.isArray(value)) {
    throw new DeclsignError('invalid_input', `${source} must be a JSON object.`);
  }
  return value as Record<string, unknown>;
}

const keyView = (value: unknown): CommandOutput => ({ text: renderKey(value as KeyView) });
const declarationView = (value: unknown): CommandOutput => ({ text: renderDeclaration(value as DeclarationView) });

const declarationFlags: FlagSpecs = {
  type: { kind: 'string', description: 'declaration type (trust-declaration, privilege-grant, …)' },
  issuer: { kind: 'string', description: 'issuer key id' },
  subject: { kind: 'string', description: 'subject: a local key id' },
  'subject-pubkey': { kind: 'string', description: 'subject: an external public key (npub, or hex with --subject-type)' },
  'subject-type': { kind: 'string', description: 'algorithm of --subject-pubkey when it is hex (default nostr)' },
  content: { kind: 'string', description: 'content JSON file, or - for stdin' },
  'valid-from': { kind: 'string', description: 'start of validity (ISO 8601 UTC; default: now)' },
  'valid-until': { kind: 'string', description: 'end of validity (ISO 8601 UTC; default: permanent)' },
};

async function revisionTargetOf(args: ParsedArgs, call: OperationCaller): Promise<DeclarationView> {
  return (await call('declarations.get', { uuid: positional(args, 0) })) as DeclarationView;
}

/** Issuer and validity of a revocation or update Draft; the operation takes the subject from the target. */
async function revisionFields(args: ParsedArgs, target: DeclarationView): Promise<Row> {
  const fields: Row = {};
  const issuer = str(args, 'issuer') ?? target.issuer_keypair_uuid ?? undefined;
  if (issuer === undefined) throw new DeclsignError('invalid_input', `Declaration ${target.declaration_uuid} was not issued by a key of this store; give --issuer.`);
  fields.issuer = issuer;
  const validFrom = str(args, 'valid-from');
  if (validFrom !== undefined) fields.valid_from = validFrom;
  const validUntil = str(args, 'valid-until');
  if (validUntil !== undefined) fields.valid_until = validUntil;
  return fields;
}

/** The Draft, and what takes it into force. */
const revisionView = (value: unknown): CommandOutput => {
  const uuid = (value as DeclarationView).declaration_uuid;
  return { text: `${renderDeclaration(value as DeclarationView)}\nReview it, then: declsign decl finalize ${uuid} && declsign decl sign ${uuid} && declsign publish ${uuid}` };
};

function renderRelaySuggestions(view: RelaySuggestionsView): string {
  const lines: string[] = [];
  for (const author of view.authors) {
    const who = `${author.name ?? author.npub}${author.own ? ' (ours)' : ''}`;
    lines.push(author.event_id === null ? `${who}: no relay list found` : `${who}: writes to ${author.write.join(', ') || 'none'}; reads from ${author.read.join(', ') || 'none'}`);
  }
  const section = (title: string, items: RelaySuggestion[]) => {
    lines.push('', title);
    if (items.length === 0) lines.push('  (none)');
    for (const item of items) lines.push(`  ${item.url}${item.listed ? '  [already listed]' : ''}  — ${item.reasons.join('; ')}`);
  };
  section('Publish to (relays add URL --write):', view.publish);
  section('Read from (relays add URL --read):', view.read);
  const unanswered = view.relays.filter((r) => r.end !== 'eose');
  if (unanswered.length > 0) lines.push('', ...unanswered.map((r) => `${r.relay}: ${r.end}${r.reason ? ` — ${r.reason}` : ''}`));
  if (view.refused > 0) lines.push('', `${view.refused} event(s) ignored: not a valid relay list by one of these keys.`);
  return lines.join('\n');
}

async function declarationFields(args: ParsedArgs): Promise<Row> {
  const fields: Row = {};
  const type = str(args, 'type');
  if (type !== undefined) fields.type = type;
  const issuer = str(args, 'issuer');
  if (issuer !== undefined) fields.issuer = issuer;
  const subject = str(args, 'subject');
  const subjectPubkey = str(args, 'subject-pubkey');
  if (subject !== undefined && subjectPubkey !== undefined) {
    throw new DeclsignError('invalid_input', 'Give either --subject or --subject-pubkey, not both.');
  }
  if (subject !== undefined) fields.subject = subject;
  if (subjectPubkey !== undefined) {
    fields.subject_pubkey = subjectPubkey;
    const subjectType = str(args, 'subject-type');
    if (subjectType !== undefined) fields.subject_algorithm = subjectType;
  }
  const content = str(args, 'content');
  if (content !== undefined) fields.content = parseJsonObject(await readInputText(content), content === '-' ? 'Standard input' : content);
  const validFrom = str(args, 'valid-from');
  if (validFrom !== undefined) fields.valid_from = validFrom;
  const validUntil = str(args, 'valid-until');
  if (validUntil !== undefined) fields.valid_until = validUntil;
  return fields;
}

export const COMMANDS: readonly Command[] = [
  {
    path: ['init'],
    usage: 'declsign init',
    summary: 'Create the store, protected by a passphrase (DECLSIGN_PASSPHRASE or a prompt).',
    operation: 'store.init',
    flags: {},
    positionals: { min: 0, max: 0 },
    async input() {
      const fromEnv = process.env.DECLSIGN_PASSPHRASE;
      if (fromEnv !== undefined) return { passphrase: fromEnv };
      const first = await promptHidden('New store passphrase: ', 'store-passphrase');
      if ((await promptHidden('Repeat it: ', 'store-passphrase')) !== first) throw new DeclsignError('invalid_input', 'The two passphrases differ.');
      return { passphrase: first };
    },
    render: (value) => ({ text: `Store created at ${String((value as Row).path)}.` }),
  },
  {
    path: ['status'],
    usage: 'declsign status',
    summary: 'Show the store: path, schema version, whether it is initialised, key and declaration counts.',
    operation: 'store.status',
    flags: {},
    positionals: { min: 0, max: 0 },
    input: () => ({}),
    render: (value) => ({ text: renderRecord(value as Row) }),
  },
  {
    path: ['keys', 'generate'],
    usage: 'declsign keys generate --type nostr|ed25519|rsa|ml-dsa-65 --label NAME [--role ROLE] [--bits 3072]',
    summary: 'Generate a keypair; the private key is encrypted in the store.',
    operation: 'keys.generate',
    flags: {
      type: { kind: 'string', description: 'nostr, ed25519, rsa or ml-dsa-65' },
      label: { kind: 'string', description: 'a name for the key' },
      role: { kind: 'string', description: 'master-admin, operating-admin, authorized-admin or none' },
      bits: { kind: 'string', description: 'RSA modulus size (2048, 3072, 4096; default 3072)' },
    },
    positionals: { min: 0, max: 0 },
    input(args) {
      const input: Row = { algorithm: need(args, 'type'), label: need(args, 'label') };
      const role = str(args, 'role');
      if (role !== undefined) input.role = role;
      const bits = str(args, 'bits');
      if (bits !== undefined) input.rsa_bits = Number(bits);
      return input;
    },
    render: keyView,
  },
  {
    path: ['keys', 'import'],
    usage: 'declsign keys import FILE|- --label NAME [--type ALG] [--role ROLE] [--password]',
    summary: 'Import a key: hex/nsec/ncryptsec/npub, PEM (PKCS#1, PKCS#8, encrypted, SPKI), PKCS#12, ML-DSA hex.',
    operation: 'keys.import',
    flags: {
      label: { kind: 'string', description: 'a name for the key' },
      type: { kind: 'string', description: 'algorithm, needed when the input is bare hex' },
      role: { kind: 'string', description: 'master-admin, operating-admin, authorized-admin or none' },
      password: { kind: 'boolean', description: 'the file is encrypted: read its password (DECLSIGN_KEY_PASSWORD or a prompt)' },
    },
    positionals: { min: 1, max: 1 },
    async input(args) {
      const bytes = await readInputBytes(positional(args, 0));
      const input: Row = { data_base64: bytes.toString('base64'), label: need(args, 'label') };
      const type = str(args, 'type');
      if (type !== undefined) input.algorithm = type;
      const role = str(args, 'role');
      if (role !== undefined) input.role = role;
      // DECLSIGN_KEY_PASSWORD is always passed on: a binary PKCS#12 does not announce that it is encrypted.
      const encrypted = /ncryptsec1|ENCRYPTED/.test(bytes.toString('latin1'));
      if (process.env.DECLSIGN_KEY_PASSWORD !== undefined || args.booleans.has('password') || encrypted) {
        input.password = await keyPassword('Password of the key file: ');
      }
      return input;
    },
    render: keyView,
  },
  {
    path: ['keys', 'list'],
    usage: 'declsign keys list',
    summary: 'List keys (public information only).',
    operation: 'keys.list',
    flags: {},
    positionals: { min: 0, max: 0 },
    input: () => ({}),
    render: (value) => ({ text: renderKeyList((value as { keys: KeyView[] }).keys) }),
  },
  {
    path: ['keys', 'show'],
    usage: 'declsign keys show ID',
    summary: 'Show one key.',
    operation: 'keys.get',
    flags: {},
    positionals: { min: 1, max: 1 },
    input: (args) => ({ id: positional(args, 0) }),
    render: keyView,
  },
  {
    path: ['keys', 'export'],
    usage: 'declsign keys export ID --format public|hex|npub|ncryptsec|pem|pem-private',
    summary: 'Export a key. Private formats are always encrypted with a password you choose.',
    operation: 'keys.export',
    flags: { format: { kind: 'string', description: 'public (default), hex, npub, ncryptsec, pem (public), pem-private (encrypted PKCS#8)' } },
    positionals: { min: 1, max: 1 },
    async input(args) {
      const format = str(args, 'format') ?? 'public';
      const input: Row = { id: positional(args, 0), format };
      if (format === 'ncryptsec' || format === 'pem-private') input.password = await keyPassword('Password for the exported key: ', true);
      return input;
    },
    render: (value) => ({ text: String((value as { data: string }).data).replace(/\n$/, '') }),
  },
  {
    path: ['keys', 'delete'],
    usage: 'declsign keys delete ID',
    summary: 'Delete a key. The last Nostr key with a private key cannot be deleted.',
    operation: 'keys.delete',
    flags: {},
    positionals: { min: 1, max: 1 },
    input: (args) => ({ id: positional(args, 0) }),
    render: (value) => ({ text: `Deleted ${String((value as Row).id)}.` }),
  },
  {
    path: ['keys', 'update'],
    usage: 'declsign keys update ID [--label NAME] [--role ROLE]',
    summary: 'Rename a key or change its role.',
    operation: 'keys.update',
    flags: {
      label: { kind: 'string', description: 'new name' },
      role: { kind: 'string', description: 'new role' },
    },
    positionals: { min: 1, max: 1 },
    input(args) {
      const input: Row = { id: positional(args, 0) };
      const label = str(args, 'label');
      if (label !== undefined) input.label = label;
      const role = str(args, 'role');
      if (role !== undefined) input.role = role;
      return input;
    },
    render: keyView,
  },
  {
    path: ['decl', 'create'],
    usage: 'declsign decl create --type TYPE --issuer KEY_ID (--subject KEY_ID | --subject-pubkey NPUB_OR_HEX) --content FILE|- [--valid-from ISO] [--valid-until ISO]\n  (a revocation or update without a subject takes its target\'s; see also decl revoke, decl update)',
    summary: 'Create a Draft declaration.',
    operation: 'declarations.create',
    flags: declarationFlags,
    positionals: { min: 0, max: 0 },
    input: declarationFields,
    render: declarationView,
  },
  {
    path: ['decl', 'edit'],
    usage: 'declsign decl edit UUID [--type TYPE] [--issuer KEY_ID] [--subject …] [--content FILE|-] [--valid-from ISO] [--valid-until ISO]',
    summary: 'Edit a Draft declaration (only Drafts can change).',
    operation: 'declarations.update',
    flags: declarationFlags,
    positionals: { min: 1, max: 1 },
    input: async (args) => ({ uuid: positional(args, 0), ...(await declarationFields(args)) }),
    render: declarationView,
  },
  {
    path: ['decl', 'revoke'],
    usage: 'declsign decl revoke UUID --reason TEXT [--issuer KEY_ID] [--valid-from ISO] [--valid-until ISO]',
    summary: "Draft a declaration-revoke of a declaration: same subject; issuer defaults to the target's. Finalize and sign it to take effect.",
    operation: 'declarations.create',
    flags: {
      reason: { kind: 'string', description: 'why it is revoked (part of the signed content)' },
      issuer: { kind: 'string', description: "revoking key id (default: the target's issuer, when this store holds it)" },
      'valid-from': declarationFlags['valid-from']!,
      'valid-until': declarationFlags['valid-until']!,
    },
    positionals: { min: 1, max: 1 },
    async input(args, call) {
      const target = await revisionTargetOf(args, call);
      return {
        ...(await revisionFields(args, target)),
        type: 'declaration-revoke',
        content: { content_schema_version: CONTENT_SCHEMA_VERSION, target_declaration_uuid: target.declaration_uuid, reason: need(args, 'reason') },
      };
    },
    render: revisionView,
  },
  {
    path: ['decl', 'update'],
    usage: 'declsign decl update UUID --reason TEXT --content FILE|- [--issuer KEY_ID] [--valid-from ISO] [--valid-until ISO]',
    summary: "Draft a declaration-update: FILE is the new content of the target's type; same subject; issuer defaults to the target's.",
    operation: 'declarations.create',
    flags: {
      reason: { kind: 'string', description: 'why it changes (part of the signed content)' },
      content: { kind: 'string', description: 'the new content (JSON object of the target type), or - for stdin' },
      issuer: { kind: 'string', description: "updating key id (default: the target's issuer, when this store holds it)" },
      'valid-from': declarationFlags['valid-from']!,
      'valid-until': declarationFlags['valid-until']!,
    },
    positionals: { min: 1, max: 1 },
    async input(args, call) {
      const target = await revisionTargetOf(args, call);
      const source = need(args, 'content');
      const updatedContent = parseJsonObject(await readInputText(source), source === '-' ? 'Standard input' : source);
      // An update keeps the type its target puts in force: for an update, the type it updated.
      const targetContent = target.content.content as Row;
      const updatedType = target.declaration_type === 'declaration-update' ? targetContent.updated_declaration_type : target.declaration_type;
      return {
        ...(await revisionFields(args, target)),
        type: 'declaration-update',
        content: {
          content_schema_version: CONTENT_SCHEMA_VERSION,
          target_declaration_uuid: target.declaration_uuid,
          reason: need(args, 'reason'),
          updated_declaration_type: updatedType,
          updated_content: updatedContent,
        },
      };
    },
    render: revisionView,
  },
  {
    path: ['decl', 'finalize'],
    usage: 'declsign decl finalize UUID',
    summary: 'Freeze a Draft so it can be signed.',
    operation: 'declarations.finalize',
    flags: {},
    positionals: { min: 1, max: 1 },
    input: (args) => ({ uuid: positional(args, 0) }),
    render: declarationView,
  },
  {
    path: ['decl', 'reopen'],
    usage: 'declsign decl reopen UUID',
    summary: 'Take a Finalized declaration back to Draft (nothing was signed): its content stays, editable again with decl edit.',
    operation: 'declarations.reopen',
    flags: {},
    positionals: { min: 1, max: 1 },
    input: (args) => ({ uuid: positional(args, 0) }),
    render: declarationView,
  },
  {
    path: ['decl', 'discard'],
    usage: 'declsign decl discard UUID',
    summary: 'Erase a Draft or Finalized declaration from this store (never signed or published). A signed one is withdrawn with decl revoke.',
    operation: 'declarations.discard',
    flags: {},
    positionals: { min: 1, max: 1 },
    input: (args) => ({ uuid: positional(args, 0) }),
    render: (value) => {
      const discarded = value as DiscardedDeclaration;
      return {
        text: `Discarded ${discarded.declaration_type} ${discarded.declaration_uuid} (${discarded.status}, never signed). The audit log keeps its uuid, type and content hash ${discarded.content_hash_sha256 ?? '(none)'}.`,
      };
    },
  },
  {
    path: ['decl', 'sign'],
    usage: 'declsign decl sign UUID [--key KEY_ID] [--wrap-with NOSTR_KEY_ID]',
    summary: "Sign a Finalized declaration with its issuer key; non-Nostr signatures are wrapped in an admin's Nostr event.",
    operation: 'declarations.sign',
    flags: {
      key: { kind: 'string', description: 'signing key id (must be the issuer key; default: the issuer key)' },
      'wrap-with': { kind: 'string', description: 'Nostr key that wraps a non-Nostr signature (default: the default Nostr key)' },
    },
    positionals: { min: 1, max: 1 },
    input(args) {
      const input: Row = { uuid: positional(args, 0) };
      const key = str(args, 'key');
      if (key !== undefined) input.key = key;
      const wrap = str(args, 'wrap-with');
      if (wrap !== undefined) input.wrap_with = wrap;
      return input;
    },
    render: declarationView,
  },
  {
    path: ['decl', 'countersign'],
    usage: 'declsign decl countersign UUID --key KEY_ID [--wrap-with NOSTR_KEY_ID]',
    summary: 'Add a countersignature by another key.',
    operation: 'declarations.countersign',
    flags: {
      key: { kind: 'string', description: 'countersigning key id' },
      'wrap-with': { kind: 'string', description: 'Nostr key that re-wraps the declaration with a non-Nostr countersignature' },
    },
    positionals: { min: 1, max: 1 },
    input(args) {
      const input: Row = { uuid: positional(args, 0), key: need(args, 'key') };
      const wrap = str(args, 'wrap-with');
      if (wrap !== undefined) input.wrap_with = wrap;
      return input;
    },
    render: declarationView,
  },
  {
    path: ['decl', 'show'],
    usage: 'declsign decl show UUID [--format 1|2|3|4]',
    summary: 'Show a declaration, or one of its formats (1 content, 2 signed data, 3 with signature, 4 complete export).',
    operation: 'declarations.get',
    flags: { format: { kind: 'string', description: '1, 2, 3 or 4' } },
    positionals: { min: 1, max: 1 },
    input(args) {
      const format = str(args, 'format');
      return format === undefined ? { uuid: positional(args, 0) } : { uuid: positional(args, 0), format: Number(format) };
    },
    render: (value, args) => (args.strings.has('format') ? { text: JSON.stringify(value, null, 2) } : declarationView(value)),
  },
  {
    path: ['decl', 'list'],
    usage: 'declsign decl list [--status S] [--type T] [--search TEXT] [--limit N]',
    summary: 'List declarations, newest first.',
    operation: 'declarations.list',
    flags: {
      status: { kind: 'string', description: 'Draft, Finalized, Signed or Published' },
      type: { kind: 'string', description: 'declaration type' },
      search: { kind: 'string', description: 'text in the uuid, type or key names' },
      limit: { kind: 'string', description: 'at most this many rows (default 100)' },
    },
    positionals: { min: 0, max: 0 },
    input(args) {
      const input: Row = {};
      for (const name of ['status', 'type', 'search']) {
        const value = str(args, name);
        if (value !== undefined) input[name] = value;
      }
      const limit = str(args, 'limit');
      if (limit !== undefined) input.limit = Number(limit);
      return input;
    },
    render: (value) => ({ text: renderTable((value as { items: Row[] }).items, DECL_COLUMNS) }),
  },
  {
    path: ['decl', 'export'],
    usage: 'declsign decl export UUID',
    summary: 'Print the bundle: every Nostr event of the declaration plus Format 4.',
    operation: 'declarations.export',
    flags: {},
    positionals: { min: 1, max: 1 },
    input: (args) => ({ uuid: positional(args, 0) }),
    render: (value) => ({ text: JSON.stringify(value, null, 2) }),
  },
  {
    path: ['verify'],
    usage: 'declsign verify FILE|- [--at ISO] [--anchors FILE]',
    summary: 'Verify a bundle, an event, an array of events or JSON Lines, offline. Exit 0 valid, 1 invalid.',
    operation: 'verify.text',
    flags: {
      at: { kind: 'string', description: 'judge validity at this time (ISO 8601 UTC; default: now)' },
      verbose: { kind: 'boolean', description: 'list every check, not only the failing ones' },
      anchors: { kind: 'string', description: 'a file of trust anchors (npub/hex/fingerprint per line, or JSON) to check authority against' },
    },
    positionals: { min: 1, max: 1 },
    async input(args) {
      const input: Row = { text: await readInputText(positional(args, 0)) };
      const at = str(args, 'at');
      if (at !== undefined) input.at = at;
      const anchors = str(args, 'anchors');
      if (anchors !== undefined) input.anchors_text = await readInputText(anchors);
      return input;
    },
    render: (value, args) => {
      const result = value as VerifyTextResult;
      return { text: renderVerificationWithAuthority(result, args.booleans.has('verbose')), exitCode: result.valid ? 0 : 1 };
    },
    exitCode: (value) => ((value as { valid: boolean }).valid ? 0 : 1),
  },
  {
    path: ['audit', 'list'],
    usage: 'declsign audit list [--subject-type TYPE] [--subject ID] [--limit N]',
    summary: 'Show the audit log, newest first: what was generated, signed, countersigned, exported, when.',
    operation: 'audit.list',
    flags: {
      'subject-type': { kind: 'string', description: 'keypair or declaration' },
      subject: { kind: 'string', description: 'a key id or declaration uuid' },
      limit: { kind: 'string', description: 'at most this many entries (default 100, at most 1000)' },
    },
    positionals: { min: 0, max: 0 },
    input(args) {
      const input: Row = {};
      const subjectType = str(args, 'subject-type');
      if (subjectType !== undefined) input.subject_type = subjectType;
      const subject = str(args, 'subject');
      if (subject !== undefined) input.subject_id = subject;
      const limit = str(args, 'limit');
      if (limit !== undefined) input.limit = Number(limit);
      return input;
    },
    render: (value) => ({ text: renderAudit((value as { entries: AuditEntry[] }).entries) }),
  },
  {
    path: ['relays', 'add'],
    usage: 'declsign relays add URL [--read] [--write] [--subscribe] [--auth-key KEY]',
    summary:
      'Add a relay (ws:// or wss://); neither --read nor --write = both. --subscribe follows it live while the app (or declsign watch) runs. --auth-key: the Nostr key (id, npub or fingerprint) that answers its NIP-42 AUTH when reading.',
    operation: 'relays.add',
    flags: {
      read: { kind: 'boolean', description: 'read declarations from this relay' },
      write: { kind: 'boolean', description: 'publish declarations to this relay' },
      subscribe: { kind: 'boolean', description: 'follow this relay live for new declarations (needs read)' },
      'auth-key': { kind: 'string', description: "the Nostr key that answers the relay's NIP-42 AUTH when reading (tells the relay which key reads)" },
    },
    positionals: { min: 1, max: 1 },
    input(args) {
      const read = args.booleans.has('read');
      const write = args.booleans.has('write');
      return {
        url: positional(args, 0),
        ...(read || write ? { read, write } : {}),
        ...(args.booleans.has('subscribe') ? { subscribe: true } : {}),
        ...(str(args, 'auth-key') !== undefined ? { auth_key: str(args, 'auth-key') } : {}),
      };
    },
    render: (value) => ({ text: `${(value as { added: boolean }).added ? 'Added' : 'Updated'} ${relayUses((value as { relay: RelayView }).relay)}.` }),
  },
  {
    path: ['relays', 'update'],
    usage: 'declsign relays update URL [--enable|--disable] [--read|--no-read] [--write|--no-write] [--subscribe|--no-subscribe] [--auth-key KEY|--no-auth-key]',
    summary: 'Change a listed relay: enabled, read from, written to, followed live, the key that answers its NIP-42 AUTH when reading.',
    operation: 'relays.update',
    flags: {
      enable: { kind: 'boolean', description: 'use the relay again' },
      disable: { kind: 'boolean', description: 'keep the relay listed but do not use it' },
      read: { kind: 'boolean', description: 'read declarations from it' },
      'no-read': { kind: 'boolean', description: 'do not read from it' },
      write: { kind: 'boolean', description: 'publish to it' },
      'no-write': { kind: 'boolean', description: 'do not publish to it' },
      subscribe: { kind: 'boolean', description: 'follow it live for new declarations' },
      'no-subscribe': { kind: 'boolean', description: 'stop following it live' },
      'auth-key': { kind: 'string', description: 'answer its NIP-42 AUTH with this Nostr key (id, npub or fingerprint) when reading' },
      'no-auth-key': { kind: 'boolean', description: 'answer its NIP-42 AUTH with no key' },
    },
    positionals: { min: 1, max: 1 },
    input(args) {
      const input: Row = { url: positional(args, 0) };
      for (const [on, off, field] of [['enable', 'disable', 'enabled'], ['read', 'no-read', 'read'], ['write', 'no-write', 'write'], ['subscribe', 'no-subscribe', 'subscribe']] as const) {
        const value = switchFlag(args, on, off);
        if (value !== undefined) input[field] = value;
      }
      const authKey = str(args, 'auth-key');
      if (authKey !== undefined && args.booleans.has('no-auth-key')) throw new DeclsignError('invalid_input', 'Give --auth-key or --no-auth-key, not both.');
      if (authKey !== undefined) input.auth_key = authKey;
      if (args.booleans.has('no-auth-key')) input.auth_key = null;
      if (Object.keys(input).length === 1) {
        throw new DeclsignError('invalid_input', 'Nothing to change: give --enable/--disable, --read/--no-read, --write/--no-write, --subscribe/--no-subscribe or --auth-key/--no-auth-key.');
      }
      return input;
    },
    render: (value) => ({ text: `Updated ${relayUses((value as { relay: RelayView }).relay)}.` }),
  },
  {
    path: ['relays', 'list'],
    usage: 'declsign relays list',
    summary: 'List relays: enabled, read, write, followed live (subscribe), the key answering NIP-42 AUTH when reading, NIP-11 name and requirements, last error.',
    operation: 'relays.list',
    flags: {},
    positionals: { min: 0, max: 0 },
    input: () => ({}),
    render: (value) => ({
      text: renderTable(
        (value as { relays: RelayView[] }).relays.map((r) => ({ ...r, auth_key: authKeyName(r), auth: r.auth_required, payment: r.payment_required })),
        ['url', 'enabled', 'read', 'write', 'subscribe', 'auth_key', 'name', 'auth', 'payment', 'last_error'],
      ),
    }),
  },
  {
    path: ['relays', 'remove'],
    usage: 'declsign relays remove URL',
    summary: 'Remove a relay; its unfinished sends are dropped.',
    operation: 'relays.remove',
    flags: {},
    positionals: { min: 1, max: 1 },
    input: (args) => ({ url: positional(args, 0) }),
    render: (value) => {
      const { url, dropped_sends } = value as { url: string; dropped_sends: number };
      return { text: `Removed ${url}${dropped_sends ? ` (${dropped_sends} unfinished send(s) dropped)` : ''}.` };
    },
  },
  {
    path: ['relays', 'info'],
    usage: 'declsign relays info URL [--refresh]',
    summary: "Show a relay's NIP-11 information: limits, AUTH and payment requirements (cached unless --refresh).",
    operation: 'relays.info',
    flags: { refresh: { kind: 'boolean', description: 'fetch the document again instead of using the cached one' } },
    positionals: { min: 1, max: 1 },
    input: (args) => ({ url: positional(args, 0), ...(args.booleans.has('refresh') ? { refresh: true } : {}) }),
    render: (value) => {
      const { limitation, ignored_fields, ...rest } = value as RelayInfoView;
      return { text: renderRecord({ ...rest, limitation: { ...limitation }, ...(ignored_fields.length ? { ignored_fields } : {}) }) };
    },
  },
  {
    path: ['relays', 'suggest'],
    usage: 'declsign relays suggest [--author NPUB …] [--from URL …]',
    summary: "Read the NIP-65 relay lists of known administrators (your keys and anchors) and suggest where to publish and where to read. Adds nothing.",
    operation: 'relays.suggest',
    flags: {
      author: { kind: 'list', description: 'whose list to read, npub or hex (repeatable; default: this store\'s Nostr keys and pinned anchors)' },
      from: { kind: 'list', description: 'a relay to ask (repeatable; default: the enabled read relays)' },
    },
    positionals: { min: 0, max: 0 },
    input: (args) => ({
      ...(args.lists.get('author')?.length ? { authors: args.lists.get('author') } : {}),
      ...(args.lists.get('from')?.length ? { relays: args.lists.get('from') } : {}),
    }),
    render: (value) => ({ text: renderRelaySuggestions(value as RelaySuggestionsView) }),
  },
  {
    path: ['relays', 'publish-list'],
    usage: 'declsign relays publish-list [--key NOSTR_KEY_ID] [--relay URL …]',
    summary: 'Publish your NIP-65 relay list (kind 10002) from the enabled relays and their read/write markers, signed by your Nostr key.',
    operation: 'relays.publishList',
    flags: {
      key: { kind: 'string', description: 'the Nostr key that signs it (default: the default Nostr key)' },
      relay: { kind: 'list', description: 'send it to this relay (repeatable; default: every enabled relay)' },
    },
    positionals: { min: 0, max: 0 },
    input: (args) => ({ ...(str(args, 'key') ? { key: str(args, 'key') } : {}), ...(args.lists.get('relay')?.length ? { relays: args.lists.get('relay') } : {}) }),
    render: (value) => {
      const { event, relays } = value as { event: { id: string; tags: string[][] }; relays: Array<{ relay: string; state: string; reason: string }> };
      const accepted = relays.some((r) => r.state === 'published');
      return {
        text: [
          `Relay list ${event.id}: ${event.tags.map((tag) => (tag[2] ? `${tag[1]} (${tag[2]})` : tag[1])).join(', ')}`,
          renderTable(relays.map((r) => ({ relay: r.relay, state: r.state, reason: r.reason })), ['relay', 'state', 'reason']),
        ].join('\n'),
        exitCode: accepted ? 0 : 1,
      };
    },
    exitCode: (value) => ((value as { relays: Array<{ state: string }> }).relays.some((r) => r.state === 'published') ? 0 : 1),
  },
  {
    path: ['publish'],
    usage: 'declsign publish UUID… [--relay URL …] [--deadline SECONDS] | declsign publish --resume',
    summary: "Publish to relays (default: enabled write relays) with each relay's answer; --resume sends what the outbox still owes. Exit 0 if a relay accepted.",
    operation: 'publish.start',
    // `--resume` runs the outbox instead of a new publication.
    operationFor: (args) => (args.booleans.has('resume') ? 'publish.retry' : 'publish.start'),
    flags: {
      relay: { kind: 'list', description: 'publish to this relay (repeatable; default: the enabled write relays)' },
      resume: { kind: 'boolean', description: 'send every pending and due retrying send in the outbox (after a crash, or later)' },
      deadline: { kind: 'string', description: 'seconds the round may take at most (default 30)' },
    },
    positionals: { min: 0, max: 10_000 },
    input(args) {
      const deadline = str(args, 'deadline');
      const extra: Row = {};
      if (deadline !== undefined) {
        const seconds = Number(deadline);
        if (!Number.isFinite(seconds) || seconds <= 0) throw new DeclsignError('invalid_input', '--deadline must be a positive number of seconds.');
        extra.deadline_ms = Math.round(seconds * 1000);
      }
      if (args.booleans.has('resume')) {
        if (args.positionals.length > 0 || args.lists.has('relay')) {
          throw new DeclsignError('invalid_input', '--resume takes no UUID or --relay: it sends what the outbox owes (declsign publish UUID retries one declaration).');
        }
        return extra;
      }
      if (args.positionals.length === 0) throw new DeclsignError('invalid_input', 'Usage: declsign publish UUID… [--relay URL …] | declsign publish --resume');
      const relays = args.lists.get('relay');
      return { uuids: args.positionals, ...(relays ? { relays } : {}), ...extra };
    },
    render: (value) => {
      const result = value as PublishRunResult;
      return { text: renderPublishRun(result), exitCode: result.ok ? 0 : 1 };
    },
    exitCode: (value) => ((value as PublishRunResult).ok ? 0 : 1),
  },
  {
    path: ['publish', 'status'],
    usage: 'declsign publish status UUID',
    summary: "Where a declaration is published: each relay's state and reason, and naddr/nevent share links.",
    operation: 'publish.status',
    flags: {},
    positionals: { min: 1, max: 1 },
    input: (args) => ({ uuid: positional(args, 0) }),
    render: (value) => ({ text: renderPublication(value as PublicationView, true) }),
  },
  {
    path: ['anchors', 'add'],
    usage: 'declsign anchors add (NPUB | HEX --type ALG | FINGERPRINT | KEY_ID) [--label NAME] [--note TEXT]',
    summary: 'Pin a Master Admin key as a trust anchor. A fingerprint alone pins only a key this store knows.',
    operation: 'anchors.add',
    flags: {
      type: { kind: 'string', description: 'the key is a hex public key of this algorithm (nostr, ed25519, rsa, ml-dsa-65)' },
      label: { kind: 'string', description: "the administrator's name (a declaration claiming it under another key raises a warning)" },
      note: { kind: 'string', description: 'why or how this key was checked' },
    },
    positionals: { min: 1, max: 1 },
    input(args) {
      const input: Row = { key: positional(args, 0) };
      for (const [flag, field] of [['type', 'algorithm'], ['label', 'label'], ['note', 'note']] as const) {
        const value = str(args, flag);
        if (value !== undefined) input[field] = value;
      }
      return input;
    },
    render: (value) => {
      const view = value as AnchorView & { created: boolean };
      return { text: `${renderAnchor(view, view.created ? 'Pinned' : 'Already pinned')}
Compare the fingerprint with its owner, group by group, before relying on it.` };
    },
  },
  {
    path: ['anchors', 'list'],
    usage: 'declsign anchors list',
    summary: 'List the pinned trust anchors.',
    operation: 'anchors.list',
    flags: {},
    positionals: { min: 0, max: 0 },
    input: () => ({}),
    render: (value) => {
      const { anchors, key_change_warnings } = value as { anchors: AnchorView[]; key_change_warnings: KeyChangeWarning[] };
      return { text: renderAnchorList(anchors, key_change_warnings) };
    },
  },
  {
    path: ['anchors', 'remove'],
    usage: 'declsign anchors remove FINGERPRINT',
    summary: 'Unpin a trust anchor (the key itself stays).',
    operation: 'anchors.remove',
    flags: {},
    positionals: { min: 1, max: 1 },
    input: (args) => ({ fingerprint: positional(args, 0).replace(/^(?:ed25519|rsa|ml-dsa-65):/, '').replace(/\s+/g, '') }),
    render: (value) => ({ text: renderAnchor((value as { removed: AnchorView }).removed, 'Unpinned') }),
  },
  {
    path: ['chain'],
    usage: 'declsign chain UUID',
    summary: "Show the chain of delegations from a pinned anchor to a declaration's signer, or the rule that refuses it. Exit 1 without authority.",
    operation: 'authority.chain',
    flags: {},
    positionals: { min: 1, max: 1 },
    input: (args) => ({ uuid: positional(args, 0) }),
    render: (value) => {
      const view = value as ChainView;
      return { text: renderChain(view), exitCode: view.result.ok ? 0 : 1 };
    },
    exitCode: (value) => ((value as ChainView).result.ok ? 0 : 1),
  },
  importCommand(),
  watchCommand(),
  {
    path: ['quarantine'],
    usage: 'declsign quarantine [--uuid UUID] [--limit N]',
    summary: 'List events import refused (newest first) with the check that failed. They are never used or shown as valid.',
    operation: 'import.quarantine',
    flags: {
      uuid: { kind: 'string', description: 'only events claiming this declaration UUID' },
      limit: { kind: 'string', description: 'at most this many (default 50, at most 500)' },
    },
    positionals: { min: 0, max: 0 },
    input: (args) => {
      const input: Row = {};
      const uuid = str(args, 'uuid');
      if (uuid !== undefined) input.uuid = uuid;
      const limit = str(args, 'limit');
      if (limit !== undefined) input.limit = wholeNumber(limit, 'limit');
      return input;
    },
    render: (value) => ({ text: renderQuarantineList((value as { items: QuarantineItemView[] }).items) }),
  },
  {
    path: ['quarantine', 'export'],
    usage: 'declsign quarantine export',
    summary: 'Print every quarantined event as JSON Lines: the raw text as received and why it was refused.',
    operation: 'import.quarantineExport',
    flags: {},
    positionals: { min: 0, max: 0 },
    input: () => ({}),
    render: (value) => ({ text: (value as { jsonl: string }).jsonl.replace(/\n$/, '') }),
  },
];

// --- relays ---------------------------------------------------------------------------------------------------------

/** `--name` → true, `--no-name` (or `--disable`) → false, neither → undefined; both is a contradiction. */
function switchFlag(args: ParsedArgs, on: string, off: string): boolean | undefined {
  const yes = args.booleans.has(on);
  const no = args.booleans.has(off);
  if (yes && no) throw new DeclsignError('invalid_input', `Give --${on} or --${off}, not both.`);
  return yes ? true : no ? false : undefined;
}

/** The key answering a relay's AUTH by its label, else its npub; null (shown as -) when none. */
const authKeyName = (relay: RelayView) => (relay.auth_key ? relay.auth_key.label || relay.auth_key.canonical_name : null);

function relayUses(relay: RelayView): string {
  const uses = [relay.read ? 'read' : null, relay.write ? 'write' : null, relay.subscribe ? 'followed live' : null].filter(Boolean).join(' + ');
  return `${relay.url} (${uses}${relay.enabled ? '' : ', disabled'}${relay.auth_key ? `; AUTH as ${authKeyName(relay)}` : ''})`;
}

// --- watch -----------------------------------------------------------------------------------------------------------

/**
 * `declsign watch`: live discovery in the foreground. Follows the subscribed relays (or those given with --relay),
 * prints one line per import batch, and on SIGINT/SIGTERM finishes the batch in progress and reports the totals.
 */
function watchCommand(): Command {
  return {
    path: ['watch'],
    usage: 'declsign watch [--relay URL …]',
    summary: 'Follow relays live (default: the enabled read relays switched to subscribe) and import new declarations as they arrive; one line per import, until Ctrl-C.',
    operation: 'discovery.status',
    flags: { relay: { kind: 'list', description: 'follow this relay instead of the subscribed ones (repeatable)' } },
    positionals: { min: 0, max: 0 },
    input: () => ({}),
    async follow(ctx, args, json) {
      ctx.services.requireInitialized();
      // Checked here: a bad URL is a usage error, not a relay the supervisor would quietly never follow.
      const relays = args.lists.has('relay') ? normalizeRelayUrls(args.lists.get('relay')!) : undefined;
      if (relays === undefined && listFollowedRelays(ctx.services.db()).length === 0) {
        throw new DeclsignError('invalid_input', 'No relay to follow: switch one on with "declsign relays update URL --subscribe", or give --relay URL.');
      }
      const supervisor = createDiscoverySupervisor(ctx, {
        ...(relays !== undefined ? { relays, resyncMs: 0 } : {}),
        onBatch: (batch) => process.stdout.write(`${json ? JSON.stringify(batch) : renderBatch(batch)}\n`),
        onState: (status) => {
          if (!json) process.stderr.write(`${status.relay}: ${status.state}${status.state === 'error' ? ` (${status.last_error ?? ''}; retrying)` : ''}\n`);
        },
      });
      // Listening before starting: a signal during the first connection must still end cleanly.
      const stopped = new Promise<void>((resolve) => {
        process.once('SIGINT', () => resolve());
        process.once('SIGTERM', () => resolve());
      });
      supervisor.start();
      const followed = supervisor.status().relays.map((r) => r.relay);
      const authors = supervisor.status().authors.length;
      if (!json) process.stderr.write(`Following ${followed.join(', ')} for ${authors ? `${authors} author(s)` : 'any author'}. Ctrl-C to stop.\n`);
      await stopped;
      await supervisor.stop();
    },
    render: (value) => ({ text: renderWatchEnd(value as DiscoveryStatusView) }),
  };
}

function renderBatch(batch: DiscoveryBatch): string {
  const { verified, quarantined, duplicates, superseded } = batch.counts;
  const fresh = batch.declarations.filter((d) => d.status === 'new' || d.status === 'updated').map((d) => `${d.declaration_uuid} ${d.status}`);
  return `${batch.at}  ${batch.relay}: ${verified} verified, ${quarantined} quarantined, ${duplicates} duplicate(s), ${superseded} superseded${fresh.length ? `  [${fresh.join(', ')}]` : ''}`;
}

function renderWatchEnd(view: DiscoveryStatusView): string {
  const lines = view.relays.map(
    (r) => `  ${r.relay}: ${r.counts.batches} import(s), ${r.counts.verified} verified, ${r.counts.quarantined} quarantined, ${r.counts.duplicates} duplicate(s)${r.last_error ? `; last error: ${r.last_error}` : ''}`,
  );
  return ['Stopped.', ...lines].join('\n');
}

// --- publish output -------------------------------------------------------------------------------------------------

/** Declarations shown with every send; beyond this only one line each (a bulk publish stays readable). */
const DETAILED_DECLARATIONS = 10;

function renderPublication(view: PublicationView, withLinks: boolean): string {
  const relays = new Set(view.sends.map((send) => send.relay)).size;
  const head = `${view.uuid}  ${view.publish_status ?? 'not published'} (current event on ${view.published_to.length} of ${relays} relay(s))`;
  const table = renderTable(
    view.sends.map((send) => ({
      relay: send.relay,
      role: send.role,
      event: `${send.event_id.slice(0, 12)}…`,
      state: send.state,
      tries: send.attempts,
      next_try: send.next_attempt_at,
      reason: send.reason,
    })),
    ['relay', 'role', 'event', 'state', 'tries', 'next_try', 'reason'],
  );
  const links = withLinks && view.links ? `\nnaddr   ${view.links.naddr}\nnevent  ${view.links.nevent}` : '';
  return `${head}\n${table.replace(/^/gm, '  ')}${links}`;
}

function renderPublishRun(result: PublishRunResult): string {
  if (result.attempted === 0 && result.declarations.length === 0) return 'Nothing to send: the outbox owes no relay anything that is due.';
  const detailed = result.declarations.length <= DETAILED_DECLARATIONS;
  const lines = result.declarations.map((view) =>
    detailed ? renderPublication(view, result.declarations.length === 1) : `${view.uuid}  ${view.publish_status ?? 'not published'}  (${view.published_to.length} relay(s))`,
  );
  for (const [uuid, note] of Object.entries(result.deletion_notes)) lines.push(`No NIP-09 deletion request for revocation ${uuid}: ${note}.`);
  const { published, retrying, failed, pending } = result.summary;
  lines.push(`Sends: ${published} published, ${retrying} retrying, ${failed} failed${pending ? `, ${pending} pending` : ''}.`);
  if (retrying > 0) lines.push(`Retrying sends stay in the outbox${result.next_retry_at ? ` (next due ${result.next_retry_at})` : ''}: run "declsign publish --resume".`);
  if (!result.ok) lines.push('Not every declaration is on a relay yet.');
  return lines.join('\n');
}

// --- import ----------------------------------------------------------------------------------------------------------

function wholeNumber(text: string, name: string): number {
  if (!/^\d+$/.test(text)) throw new DeclsignError('invalid_input', `--${name} must be a whole number, got ${JSON.stringify(text)}.`);
  return Number(text);
}

/** `declsign import FILE|-` runs import.text; `declsign import --relay URL …` runs import.relays. */
function importCommand(): Command {
  return {
    path: ['import'],
    usage: 'declsign import FILE|- | --relay URL [--relay URL …] [--author NPUB …] [--d UUID] [--since UNIX] [--limit N] [--auth-key KEY]',
    summary: 'Import declarations from a file (bundle, event, array, JSON Lines) or from relays: verified ones are stored, the rest quarantined. Exit 1 if anything was quarantined.',
    operation: 'import.text',
    // A FILE (or -) imports text; without one, input() insists on --relay, so the relay operation runs.
    operationFor: (args) => (args.positionals[0] === undefined ? 'import.relays' : 'import.text'),
    flags: {
      relay: { kind: 'list', description: 'a relay to fetch kind-31106 events from (repeatable)' },
      author: { kind: 'list', description: 'only events by this key, npub or hex (repeatable; default: this store\'s Nostr keys and pinned anchors)' },
      d: { kind: 'string', description: 'only this declaration UUID' },
      since: { kind: 'string', description: 'only events created at or after this unix time' },
      limit: { kind: 'string', description: 'at most this many events per relay (default 10000)' },
      'auth-key': { kind: 'string', description: "answer a relay's NIP-42 AUTH with this Nostr key (id, npub or fingerprint) instead of the key chosen for it" },
    },
    positionals: { min: 0, max: 1 },
    async input(args) {
      const relays = args.lists.get('relay') ?? [];
      const file = args.positionals[0];
      const relayOnly = ['author', 'd', 'since', 'limit', 'auth-key'].filter((name) => args.strings.has(name) || args.lists.has(name));
      if (file !== undefined) {
        if (relays.length > 0 || relayOnly.length > 0) {
          throw new DeclsignError('invalid_input', `Give a FILE or --relay, not both (--${relays.length > 0 ? 'relay' : relayOnly[0]} applies to relays only).`);
        }
        return { text: await readInputText(file), source: file === '-' ? 'stdin' : `file:${file}` };
      }
      if (relays.length === 0) throw new DeclsignError('invalid_input', 'Nothing to import: give a FILE (or - for stdin) or at least one --relay URL.');
      const input: Row = { relays };
      const authors = args.lists.get('author');
      if (authors !== undefined) input.authors = authors;
      const d = str(args, 'd');
      if (d !== undefined) input.d = d;
      const since = str(args, 'since');
      if (since !== undefined) input.since = wholeNumber(since, 'since');
      const limit = str(args, 'limit');
      if (limit !== undefined) input.limit = wholeNumber(limit, 'limit');
      const authKey = str(args, 'auth-key');
      if (authKey !== undefined) input.auth_key = authKey;
      return input;
    },
    render: (value) => {
      const result = value as ImportRunResult;
      return { text: renderImport(result), exitCode: result.counts.quarantined > 0 ? 1 : 0 };
    },
    exitCode: (value) => ((value as ImportRunResult).counts.quarantined > 0 ? 1 : 0),
  };
}

function renderImport(result: ImportRunResult): string {
  const { verified, quarantined, duplicates, superseded } = result.counts;
  const lines = [`Imported: ${verified} verified, ${quarantined} quarantined, ${duplicates} duplicate(s), ${superseded} superseded.`];
  for (const relay of result.relays ?? []) {
    const as = relay.authenticated_as ? `, authenticated as ${npubEncode(relay.authenticated_as)}` : '';
    lines.push(`  ${relay.relay}: ${relay.events} event(s), ${relay.end}${as}${relay.reason ? ` (${relay.reason})` : ''}`);
  }
  const refused = result.declarations.flatMap((d) => d.quarantined.map((q) => ({ ...q, uuid: d.declaration_uuid })));
  if (refused.length > 0) {
    lines.push('Quarantined (never used, never shown as valid; see "declsign quarantine"):');
    for (const q of refused) {
      lines.push(`  ${q.event_id ? `${q.event_id.slice(0, 16)}…` : '(no id)'}  ${q.uuid ?? '(no d tag)'}  ${q.check}: ${q.message}`);
    }
  }
  return lines.join('\n');
}

function renderQuarantineList(items: readonly QuarantineItemView[]): string {
  if (items.length === 0) return 'The quarantine is empty.';
  return renderTable(
    items.map((item) => ({
      received_at: item.received_at,
      reason: item.reason,
      check: item.failed_check,
      event: item.claimed_event_id ? `${item.claimed_event_id.slice(0, 16)}…` : '',
      claimed_uuid: item.claimed_uuid ?? '',
      source: item.source,
      seen: item.times_seen,
      message: item.failed_message,
    })),
    ['received_at', 'reason', 'check', 'event', 'claimed_uuid', 'source', 'seen', 'message'],
  );
}
