// The append-only audit log, read side.

import { z } from 'zod';
import { listAudit } from '../../store/audit';
import { defineOperation } from '../define';
import type { OperationContext } from '../context';

const op = defineOperation<OperationContext>();

export const auditOperations = {
  'audit.list': op({
    name: 'audit.list',
    summary: 'The audit log, newest first: who generated, signed, countersigned, exported what, when.',
    input: z.strictObject({
      subject_type: z.string().max(50).optional(),
      subject_id: z.string().max(100).optional(),
      before_id: z.number().int().positive().optional(),
      limit: z.number().int().min(1).max(1000).optional(),
    }),
    handler: (input, ctx) => {
      ctx.services.requireInitialized();
      const { before_id, ...rest } = input;
      return { entries: listAudit(ctx.services.db(), { ...rest, ...(before_id !== undefined ? { beforeId: before_id } : {}) }) };
    },
  }),
};
