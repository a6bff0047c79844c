// Every operation name, as data the preload can bundle without pulling in a single handler.
// The operation table (./table.ts) is the source of truth; tests/shell/names.test.ts asserts the two agree.

export const OPERATION_NAMES = [
  'store.status',
  'store.init',
  'store.unlock',
  'store.lock',
  'store.keychain',
  'keys.generate',
  'keys.import',
  'keys.list',
  'keys.get',
  'keys.export',
  'keys.deletePreview',
  'keys.delete',
  'keys.update',
  'declarations.create',
  'declarations.update',
  'declarations.finalize',
  'declarations.reopen',
  'declarations.discard',
  'declarations.sign',
  'declarations.countersign',
  'declarations.get',
  'declarations.list',
  'declarations.export',
  'verify.text',
  'relays.add',
  'relays.list',
  'relays.remove',
  'relays.update',
  'relays.info',
  'relays.suggest',
  'relays.publishList',
  'publish.start',
  'publish.status',
  'publish.retry',
  'import.text',
  'import.relays',
  'import.quarantine',
  'import.quarantineExport',
  'discovery.status',
  'anchors.add',
  'anchors.list',
  'anchors.remove',
  'authority.chain',
  'audit.list',
] as const;

export type OperationName = (typeof OPERATION_NAMES)[number];

const NAME_SET: ReadonlySet<string> = new Set(OPERATION_NAMES);

export function isOperationName(value: unknown): value is OperationName {
  return typeof value === 'string' && NAME_SET.has(value);
}
