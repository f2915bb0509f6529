import type { ESLint } from 'eslint';

/** What ESLint's `stats` option puts on a result (ESLint 9+): per pass, the time of each rule. */
interface StatsShape {
  readonly times?: { readonly passes?: readonly { readonly rules?: Readonly<Record<string, { readonly total?: unknown }>> }[] };
}

/**
 * Milliseconds per rule on one file, summed over ESLint's passes (a fix run
 * lints again after each pass): the figures its TIMING variable prints. The
 * result may come from a cache or another machine, so every field is checked.
 */
export function eslintRuleTimes(result: ESLint.LintResult): Record<string, number> | undefined {
  const stats = (result as ESLint.LintResult & { stats?: StatsShape }).stats;
  const passes = stats?.times?.passes;
  if (!Array.isArray(passes)) return undefined;
  // A Map, then own properties: a rule named `__proto__` stays a rule.
  const times = new Map<string, number>();
  for (const pass of passes) {
    for (const [rule, time] of Object.entries(pass?.rules ?? {})) {
      const ms = time?.total;
      if (typeof ms === 'number' && Number.isFinite(ms) && ms >= 0) times.set(rule, (times.get(rule) ?? 0) + ms);
    }
  }
  return Object.fromEntries(times);
}
