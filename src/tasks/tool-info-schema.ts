import * as z from 'zod/mini';
import type { ToolInfo } from './tool-info';

/** A cached result's record of the tool that made it, checked before the cache answers with it. */
export const toolInfoSchema: z.ZodMiniType<ToolInfo> = z.object({
  name: z.string(),
  version: z.string(),
  source: z.enum(['workspace', 'bundled']),
  config: z.optional(z.string()),
});
