// Live discovery as seen from the operations: what the shell's supervisor follows and how each subscription is doing.
// The supervisor itself (../discovery-supervisor.ts) is started by the shells, not by an operation.

import { z } from 'zod';
import { discoverySupervisorOf, type DiscoveryStatusView } from '../discovery-supervisor';
import { defineOperation } from '../define';
import type { OperationContext } from '../context';

const op = defineOperation<OperationContext>();

export const discoveryOperations = {
  'discovery.status': op({
    name: 'discovery.status',
    summary:
      'Live discovery: per followed relay (enabled, read and subscribed) its state, since when, the last error, the cursor and what was imported since start.',
    input: z.strictObject({}),
    handler: (_input, ctx): DiscoveryStatusView => {
      ctx.services.requireInitialized();
      // Where no shell started discovery (a one-off CLI command), nothing is followed.
      return discoverySupervisorOf(ctx.services)?.status() ?? { running: false, authors: [], problem: null, relays: [] };
    },
  }),
};
