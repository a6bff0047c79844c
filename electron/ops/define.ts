// One operation = one name, one input schema, one handler. Electron IPC, the CLI and the browser bridge
// all call `invokeOperation`, so validation and error shaping happen in exactly one place.

import type { z } from 'zod';
import { type Result, toAppError } from '../core/errors';

export interface OperationSpec<Input extends z.ZodType, Output, Ctx> {
  /** Dotted name, e.g. `keys.generate`; also the IPC channel suffix and the typed client's method key. */
  readonly name: string;
  readonly summary: string;
  /** Channel names of the original design that map onto this operation (e.g. `online:admin-declaration:sign`). */
  readonly aliases?: readonly string[];
  readonly input: Input;
  handler(input: z.output<Input>, ctx: Ctx): Output | Promise<Output>;
}

export function defineOperation<Ctx>() {
  return <Input extends z.ZodType, Output>(spec: OperationSpec<Input, Output, Ctx>) => spec;
}

// `any` here is the variance escape hatch for a heterogeneous table; callers get precise types via the helpers below.
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export type AnyOperation<Ctx> = OperationSpec<z.ZodType, any, Ctx>;

export type OperationInput<Op> = Op extends OperationSpec<infer I, unknown, unknown> ? z.input<I> : never;
export type OperationOutput<Op> = Op extends OperationSpec<z.ZodType, infer O, never> ? Awaited<O> : never;

/** Validates `rawInput` against the operation's schema and runs it; never throws. */
export async function invokeOperation<Ctx>(
  operation: AnyOperation<Ctx>,
  rawInput: unknown,
  ctx: Ctx,
): Promise<Result<unknown>> {
  const parsed = operation.input.safeParse(rawInput ?? {});
  if (!parsed.success) {
    const issues = parsed.error.issues.map((issue) => ({
      path: issue.path.join('.'),
      message: issue.message,
    }));
    const first = issues[0];
    const where = first && first.path ? ` at ${first.path}` : '';
    return {
      ok: false,
      error: {
        code: 'invalid_input',
        message: `Invalid input for ${operation.name}${where}: ${first?.message ?? 'rejected'}`,
        details: { issues },
      },
    };
  }
  try {
    return { ok: true, value: await operation.handler(parsed.data, ctx) };
  } catch (thrown) {
    return { ok: false, error: toAppError(thrown) };
  }
}
