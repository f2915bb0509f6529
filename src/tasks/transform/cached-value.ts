import * as z from 'zod/mini';
import { toolInfoSchema } from '../tool-info-schema';
import type { TransformValue } from './types';

/**
 * What a cached transform value must look like: the new text is there exactly when the file changes.
 * Typed as the value it stands for, so the compiler checks that it accepts nothing else.
 */
export const cachedTransformValue: z.ZodMiniType<TransformValue> = z
  .looseObject({
    changed: z.boolean(),
    output: z.optional(z.string()),
    hash: z.string().check(z.regex(/^[0-9a-f]{64}$/)),
    tool: z.optional(toolInfoSchema),
    remainingErrors: z.optional(z.number().check(z.int(), z.nonnegative())),
  })
  .check(z.refine((value) => value.changed === (value.output !== undefined), 'output must be present exactly when the file changed'));
