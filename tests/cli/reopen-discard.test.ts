// Backing out of an unsigned declaration through the real `declsign` binary: `decl reopen` takes a Finalized one back to
// Draft, `decl discard` erases a Draft or Finalized one. Success exits 0 (with --json, the value); a refusal of the
// store's rules exits 2 like every other refusal, with its code, and leaves every row of every table as it was.

import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CliStore, ensureCliBuilt, generateKey } from './helpers';

describe('declsign decl reopen / decl discard', () => {
  let store: CliStore;
  let issuer: string;
  let subject: string;
  let content: string;

  const draft = (): string =>
    store.ok(['decl', 'create', '--type', 'trust-declaration', '--issuer', issuer, '--subject', subject, '--content', content]).declaration_uuid as string;

  beforeAll(() => {
    ensureCliBuilt();
    store = new CliStore().init();
    issuer = generateKey(store, 'nostr', 'issuer', ['--role', 'master-admin']).id;
    subject = generateKey(store, 'ed25519', 'subject').id;
    content = store.file('content.json', JSON.stringify({ trust_level: 'operating-admin', permissions: ['moderate'], scope: { namespaces: ['games'] } }));
  });
  afterAll(() => store.remove());

  it('are listed in --help, each with its own usage', () => {
    const help = store.run(['--help']);
    expect(help.code).toBe(0);
    expect(help.stdout).toMatch(/decl reopen\s+Take a Finalized declaration back to Draft/);
    expect(help.stdout).toMatch(/decl discard\s+Erase a Draft or Finalized declaration from this store/);
    const own = store.run(['decl', 'discard', '--help']);
    expect(own.code).toBe(0);
    expect(own.stdout).toContain('Usage: declsign decl discard UUID');
    expect(own.stdout).toContain('decl revoke');
  });

  it('reopen: a Finalized declaration is a Draft again, with its content, and can be edited', () => {
    const uuid = draft();
    const finalized = store.ok(['decl', 'finalize', uuid]);
    const reopened = store.ok(['decl', 'reopen', uuid]);
    expect(reopened).toMatchObject({ declaration_uuid: uuid, status: 'Draft', content_hash_sha256: finalized.content_hash_sha256 });
    expect(store.ok(['decl', 'edit', uuid, '--valid-until', '2099-01-01T00:00:00Z']).valid_until).toBe('2099-01-01T00:00:00Z');

    store.ok(['decl', 'finalize', uuid]);
    const human = store.run(['decl', 'reopen', uuid]);
    expect(human.code, human.stderr).toBe(0);
    expect(human.stdout).toMatch(/Draft/);
  });

  it('discard: a Draft and a Finalized declaration are erased; the audit log keeps uuid, type, status and content hash', () => {
    const drafted = draft();
    const hash = store.ok(['decl', 'show', drafted]).content_hash_sha256 as string;
    expect(store.ok(['decl', 'discard', drafted])).toEqual({ declaration_uuid: drafted, declaration_type: 'trust-declaration', status: 'Draft', content_hash_sha256: hash, discarded: true });
    store.fails(['decl', 'show', drafted], 'not_found');

    const finalized = draft();
    store.ok(['decl', 'finalize', finalized]);
    const human = store.run(['decl', 'discard', finalized]);
    expect(human.code, human.stderr).toBe(0);
    expect(human.stdout).toMatch(new RegExp(`^Discarded trust-declaration ${finalized} \\(Finalized, never signed\\)\\. The audit log keeps its uuid, type and content hash [0-9a-f]{64}\\.\\n$`));

    const audit = store.ok(['audit', 'list']).entries as Array<{ action: string; subject_id: string; details: Record<string, unknown> }>;
    expect(audit.find((e) => e.action === 'declaration.discard' && e.subject_id === drafted)?.details).toEqual({ declaration_uuid: drafted, declaration_type: 'trust-declaration', status: 'Draft', content_hash_sha256: hash });
  });

  it('discard refuses a Draft that a revocation Draft names, exit 2 and nothing changed; once that one is discarded, it goes', () => {
    const target = draft();
    const revocation = store.ok(['decl', 'revoke', target, '--reason', 'typo']).declaration_uuid as string;
    const before = store.snapshot();
    const error = store.fails(['decl', 'discard', target], 'referenced_by_declarations');
    expect(error.message).toContain(`${revocation} (Draft declaration-revoke)`);
    expect(store.snapshot()).toEqual(before);
    const human = store.run(['decl', 'discard', target]);
    expect(human.code).toBe(2);
    expect(human.stderr).toMatch(/^declsign: .*Discard those first.* \(referenced_by_declarations\)\n$/);

    store.ok(['decl', 'discard', revocation]);
    store.ok(['decl', 'discard', target]);
    store.fails(['decl', 'discard', randomUUID()], 'not_found');
  });
});
