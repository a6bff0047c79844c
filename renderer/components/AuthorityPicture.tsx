// The authority behind a signed declaration as a picture: anchor → delegation → … → signer → this declaration, one
// box per key and one connector per delegation. A refused chain marks the link that failed with the evaluator's rule
// and message; without pinned anchors it says plainly that nothing was evaluated. The evaluator's result is shown,
// never re-judged here.

import type { AuthorityResult, ChainLink, KeyChangeWarning } from '../../electron/core/authority/types';
import type { OutputOf } from '../api/client';
import type { DeclarationType } from '../../electron/core/declaration/types';
import type { KeyDirectory } from '../lib/keyDirectory';

/** `report.authority` of a verification report (core/authority/report.ts ReportAuthority), as verify.text returns it. */
type ReportAuthority = OutputOf<'verify.text'>['reports'][number]['authority'];
import { ROLE_LABELS, TYPE_LABELS } from '../lib/format';
import { routeHref } from '../lib/router';
import { Badge } from './Badge';
import { Icon } from './Icon';

interface Signer {
  fingerprint: string;
  canonical_name?: string | null;
}

interface KeyStep {
  kind: 'key';
  fingerprint: string;
  /** What this key is in the chain: Anchor, Delegate, Signer… */
  role: string;
  level: string | null;
}

interface EdgeStep {
  kind: 'edge';
  link: ChainLink | null;
  failed: boolean;
}

type Step = KeyStep | EdgeStep | { kind: 'declaration' };

function levelLabel(level: string | null): string | null {
  return level === null ? null : (ROLE_LABELS[level as keyof typeof ROLE_LABELS] ?? level);
}

/** The keys and links to draw, anchor side first, ending with the declaration itself. */
function stepsOf(result: AuthorityResult, signer: Signer | undefined, directory: KeyDirectory): Step[] {
  const keyRole = (fingerprint: string, fallback: string) => (directory.byFingerprint(fingerprint)?.isAnchor ? 'Anchor' : fallback);
  if (result.ok) {
    if (result.basis === 'issuer_of_target') {
      return signer
        ? [{ kind: 'key', fingerprint: signer.fingerprint, role: 'Signer · issuer of the target', level: null }, { kind: 'edge', link: null, failed: false }, { kind: 'declaration' }]
        : [{ kind: 'declaration' }];
    }
    const steps: Step[] = [{ kind: 'key', fingerprint: result.anchor_fingerprint!, role: result.basis === 'anchor' ? 'Anchor · signer' : 'Anchor', level: 'master-admin' }];
    result.chain.forEach((link, index) => {
      steps.push({ kind: 'edge', link, failed: false });
      steps.push({ kind: 'key', fingerprint: link.subject_fingerprint, role: index === result.chain.length - 1 ? 'Signer' : 'Delegate', level: link.trust_level });
    });
    steps.push({ kind: 'edge', link: null, failed: false }, { kind: 'declaration' });
    return steps;
  }
  const path = result.path_tried ?? [];
  // The failing link: the delegation the message names, else the signer's own act of signing this declaration.
  const failedIndex = path.findIndex((link) => result.message.includes(link.declaration_uuid));
  const steps: Step[] = [];
  if (path.length > 0) {
    const top = path[0]!.issuer_fingerprint;
    // A pinned anchor acts as master-admin (devdocs/authority.md §1).
    steps.push({ kind: 'key', fingerprint: top, role: keyRole(top, 'Issuer'), level: directory.byFingerprint(top)?.isAnchor ? 'master-admin' : null });
    path.forEach((link, index) => {
      steps.push({ kind: 'edge', link, failed: index === failedIndex });
      const last = index === path.length - 1;
      const isSigner = last && (signer === undefined || signer.fingerprint === link.subject_fingerprint);
      steps.push({ kind: 'key', fingerprint: link.subject_fingerprint, role: isSigner ? 'Signer' : 'Delegate', level: link.trust_level });
    });
    const lastSubject = path.at(-1)!.subject_fingerprint;
    if (signer && signer.fingerprint !== lastSubject) steps.push({ kind: 'edge', link: null, failed: false }, { kind: 'key', fingerprint: signer.fingerprint, role: 'Signer', level: null });
  } else if (signer) {
    steps.push({ kind: 'key', fingerprint: signer.fingerprint, role: keyRole(signer.fingerprint, 'Signer'), level: null });
  }
  steps.push({ kind: 'edge', link: null, failed: failedIndex === -1 }, { kind: 'declaration' });
  return steps;
}

function Failure({ rule, message }: { rule: string; message: string }) {
  return (
    <div className="chain-failure" data-rule={rule}>
      <Icon name="alert" />
      <div>
        <code>{rule}</code>
        <p>{message}</p>
      </div>
    </div>
  );
}

function Warnings({ warnings }: { warnings: readonly KeyChangeWarning[] }) {
  if (warnings.length === 0) return null;
  return (
    <div className="callout warning" data-testid="key-change-warnings">
      <strong>Key change warning</strong>
      <ul className="plain-list">
        {warnings.map((w) => (
          <li key={`${w.declaration_uuid}-${w.presented_fingerprint}`}>{w.message}</li>
        ))}
      </ul>
    </div>
  );
}

export function NoAnchorsNotice() {
  return (
    <div className="callout" data-state="authority-not-evaluated">
      <strong>Authority not evaluated — no trust anchors pinned.</strong> Validity rests on the signatures alone. <a href={routeHref('anchors')}>Pin a Master Admin key on the Anchors page</a> to check who may issue what.
    </div>
  );
}

export function AuthorityPicture({
  result,
  signer,
  declaration,
  directory,
  signerName,
}: {
  result: AuthorityResult;
  signer?: Signer;
  declaration: { uuid: string; type: DeclarationType | null };
  directory: KeyDirectory;
  /** A canonical name for the signer when the directory does not know it (e.g. a report's signer). */
  signerName?: string | null;
}) {
  if (!result.ok && !result.evaluated) return <NoAnchorsNotice />;
  const steps = stepsOf(result, signer, directory);
  // The evaluator's message goes on the link that failed; when no drawn link carries it, the verdict says it.
  const messageOnEdge = !result.ok && steps.some((step) => step.kind === 'edge' && step.failed);
  return (
    <div className="stack tight">
      <div className={result.ok ? 'chain-verdict ok' : 'chain-verdict failed'} data-testid="authority-verdict" data-ok={result.ok}>
        <Icon name={result.ok ? 'shieldCheck' : 'alert'} />
        {result.ok ? (
          <span>
            <strong>Authorized</strong>
            {result.basis === 'anchor' && ' — the signer is a pinned anchor.'}
            {result.basis === 'delegation' && ` — ${result.chain.length} delegation${result.chain.length === 1 ? '' : 's'} from a pinned anchor.`}
            {result.basis === 'issuer_of_target' && ' — the issuer withdraws its own declaration, which needs no further authority.'}
          </span>
        ) : (
          <span>
            <strong>Not authorized</strong> — <code>{result.rule}</code>
            {!messageOnEdge && <span data-testid="authority-verdict-message">: {result.message}</span>}
          </span>
        )}
      </div>
      <ol className="chain" aria-label="Authority chain">
        {steps.map((step, index) => {
          if (step.kind === 'declaration') {
            return (
              <li key={index} className="chain-node declaration">
                <span className="chain-role">This declaration</span>
                <span className="chain-title">{declaration.type ? TYPE_LABELS[declaration.type] : 'Declaration'}</span>
                <span className="chain-sub mono">{declaration.uuid}</span>
              </li>
            );
          }
          if (step.kind === 'edge') {
            const failed = step.failed && !result.ok;
            return (
              <li key={index} className={failed ? 'chain-edge failed' : 'chain-edge'} data-failed={failed || undefined}>
                <span className="chain-edge-label">
                  {step.link ? (
                    <>
                      delegates by {TYPE_LABELS[step.link.declaration_type]} <span className="mono">{step.link.declaration_uuid}</span>
                    </>
                  ) : (
                    'signs'
                  )}
                </span>
                {failed && <Failure rule={result.rule} message={result.message} />}
              </li>
            );
          }
          const shown = directory.display(step.fingerprint, signer?.fingerprint === step.fingerprint ? signerName : null);
          const known = directory.byFingerprint(step.fingerprint);
          return (
            <li key={index} className="chain-node" data-fingerprint={step.fingerprint}>
              <span className="chain-role">{step.role}</span>
              <span className="chain-title">{shown.title}</span>
              {shown.sub && <span className="chain-sub mono">{shown.sub}</span>}
              <span className="badges">
                {levelLabel(step.level) && <Badge tone="info">{levelLabel(step.level)}</Badge>}
                {known?.isAnchor && <Badge tone="accent">Pinned anchor</Badge>}
                {known?.isLocal && <Badge>In this store</Badge>}
              </span>
            </li>
          );
        })}
      </ol>
      <Warnings warnings={result.warnings} />
    </div>
  );
}

/** `report.authority` of a verification report. */
export function ReportAuthorityView({
  authority,
  signer,
  declaration,
  directory,
}: {
  authority: ReportAuthority;
  signer?: { fingerprint: string; canonical_name: string } | null;
  declaration: { uuid: string; type: DeclarationType | null };
  directory: KeyDirectory;
}) {
  if (!authority.evaluated) {
    return authority.reason === 'no_anchors' ? <NoAnchorsNotice /> : <p className="muted">Authority not evaluated: the declaration itself did not verify.</p>;
  }
  return (
    <div className="stack tight">
      {authority.anchors === 'given' && <p className="muted">Checked against the anchors given for this check ({authority.anchor_count}), not the store’s.</p>}
      <AuthorityPicture result={authority.result} {...(signer ? { signer } : {})} signerName={signer?.canonical_name ?? null} declaration={declaration} directory={directory} />
    </div>
  );
}
