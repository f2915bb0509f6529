import * as z from 'zod/mini';
import type { FileAnalysis } from './types';

const count = z.number().check(z.int(), z.nonnegative());

/**
 * What a cached analysis must look like: every figure the report and the summary add up.
 * Typed as the value it stands for, so the compiler checks that it accepts nothing else.
 */
export const cachedAnalyzeValue: z.ZodMiniType<FileAnalysis> = z.looseObject({
  lines: z.looseObject({ total: count, code: count, comment: count, blank: count }),
  functions: z.array(z.looseObject({ name: z.string(), line: count, column: count, complexity: count })),
  maxNesting: count,
  imports: z.array(z.string()),
  todos: count,
});
