import * as z from 'zod/mini';
import type { CachedValueSchema } from '../core/result-cache';
import { cachedAnalyzeValue } from './analyze/cached-value';
import { cachedLintValue } from './lint/cached-value';
import { cachedTransformValue } from './transform/cached-value';

/** The shape a cached result of `kind` must have before the result cache answers with it. */
export function cachedValueSchema(kind: string): CachedValueSchema {
  switch (kind) {
    case 'lint':
      return cachedLintValue;
    case 'transform':
      return cachedTransformValue;
    case 'analyze':
      return cachedAnalyzeValue;
    default:
      // A kind whose results we cannot check is never answered from the cache.
      return z.never();
  }
}
