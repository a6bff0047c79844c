// The operation table: every operation the app, the browser bridge and the CLI can run, declared once.
// electron/ops/names.ts repeats the names as plain data for the preload; a test keeps the two equal.

import { auditOperations } from './handlers/audit';
import { authorityOperations } from './handlers/authority';
import { declarationOperations } from './handlers/declarations';
import { discoveryOperations } from './handlers/discovery';
import { importOperations } from './handlers/import';
import { keyOperations } from './handlers/keys';
import { publishOperations } from './handlers/publish';
import { relayListOperations } from './handlers/relay-lists';
import { relayOperations } from './handlers/relays';
import { storeOperations } from './handlers/store';
import { verifyOperations } from './handlers/verify';

export const operations = {
  ...storeOperations,
  ...keyOperations,
  ...declarationOperations,
  ...verifyOperations,
  ...auditOperations,
  ...relayOperations,
  ...relayListOperations,
  ...publishOperations,
  ...authorityOperations,
  ...importOperations,
  ...discoveryOperations,
} as const;

export type Operations = typeof operations;
export type OperationKey = keyof Operations;
