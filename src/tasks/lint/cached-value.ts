import * as z from 'zod/mini';
import { toolInfoSchema } from '../tool-info-schema';
import type { LintValue } from './types';

const textEdit = z.looseObject({ range: z.tuple([z.number(), z.number()]), text: z.string() });

const message = z.looseObject({
  ruleId: z.nullable(z.string()),
  message: z.string(),
  severity: z.union([z.literal(1), z.literal(2)]),
  // ESLint's "File ignored because …" warning has neither (and `fatal: false`).
  line: z.optional(z.number()),
  column: z.optional(z.number()),
  endLine: z.optional(z.number()),
  endColumn: z.optional(z.number()),
  messageId: z.optional(z.string()),
  fatal: z.optional(z.boolean()),
  fix: z.optional(textEdit),
  suggestions: z.optional(z.array(z.looseObject({ desc: z.string(), fix: textEdit, messageId: z.optional(z.string()) }))),
});

const suppressedMessage = z.looseObject({
  ...message.def.shape,
  suppressions: z.array(z.looseObject({ kind: z.string(), justification: z.string() })),
});

const count = z.number().check(z.int(), z.nonnegative());

/**
 * What a cached lint value must look like before the cache may answer with it:
 * every field the reports, Problems and SARIF read, as ESLint's `json`
 * formatter has them. Extra fields are kept (and allowed): a newer ESLint adds some.
 * Typed as the value it stands for, except that ESLint's own "File ignored
 * because …" message has no line or column although its type says it has:
 * the schema follows what ESLint produces, the cast its declared type.
 */
export const cachedLintValue = z.looseObject({
  result: z.looseObject({
    filePath: z.string(),
    messages: z.array(message),
    suppressedMessages: z.array(suppressedMessage),
    errorCount: count,
    fatalErrorCount: count,
    warningCount: count,
    fixableErrorCount: count,
    fixableWarningCount: count,
    output: z.optional(z.string()),
    source: z.optional(z.string()),
    usedDeprecatedRules: z.array(z.looseObject({ ruleId: z.string(), replacedBy: z.array(z.string()) })),
  }),
  rules: z.record(z.string(), z.looseObject({ description: z.optional(z.string()), url: z.optional(z.string()) })),
  eslint: z.enum(['workspace', 'bundled', 'bundled-default-config']),
  tool: toolInfoSchema,
}) as unknown as z.ZodMiniType<LintValue>;
