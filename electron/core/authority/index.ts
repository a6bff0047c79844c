// Authority: "was this signer allowed to say this?" — devdocs/authority.md.

export * from './vocabulary';
export * from './types';
export {
  CONTENT_SCHEMA_VERSION,
  CONTROL_MESSAGE_TYPES,
  DELEGATION_TYPES,
  MODERATION_ACTIONS,
  REVISION_TYPES,
  UNDERSTOOD_EXTENSIONS,
  UPDATABLE_TYPES,
  isDelegationType,
  parseAuthorityContent,
  type ContentCheck,
  type ParsedContent,
} from './content';
export { anchorIdentity, anchorKeyFromText, parseAnchorList, pinAnchor, type AnchorKey } from './anchors';
export { buildAuthorityGraph, type AuthorityGraph, type Grant, type GraphNode } from './graph';
export {
  AuthorityEvaluator,
  DEFAULT_COUNTERSIGNATURE_POLICY,
  DEFAULT_MAX_DEPTH,
  MAX_ALLOWED_DEPTH,
  computeRevocations,
  evaluateAuthority,
  findKeyChangeWarnings,
} from './evaluate';
export {
  authorityDeclarationOf,
  chainSteps,
  describeAuthority,
  keyNamer,
  withAuthority,
  type AnchorSource,
  type ReportAuthority,
  type ReportAuthorityOptions,
  type ReportWithAuthority,
} from './report';
