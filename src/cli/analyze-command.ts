import { UsageError } from '../core/errors';
import { summarizeAnalysis, type AnalyzedFile } from '../tasks/analyze/summary';
import type { FileAnalysis } from '../tasks/analyze/types';
import { describeTiming } from './timing';
import { runCliJob, type CommonOptions } from './job';
import { assertNotFailed, describeProblems, describeRun, EXIT_CANCELLED, relative, skippedFiles } from './summary';

export interface AnalyzeCommandOptions extends CommonOptions {
  readonly format: string;
}

export async function analyzeCommand(paths: string[], options: AnalyzeCommandOptions): Promise<number> {
  if (options.format !== 'pretty' && options.format !== 'json') throw new UsageError('--format must be pretty or json for analyze');
  const result = await runCliJob<FileAnalysis>({ kind: 'analyze', paths, options: {} }, options);
  assertNotFailed(result);
  const records = result.state.results();
  const files: AnalyzedFile[] = [];
  for (const record of records) if (record.outcome?.status === 'ok') files.push({ path: record.path, ...record.outcome.value });
  const totals = summarizeAnalysis(files);
  const failed = records.filter((r) => r.status === 'failed');

  if (options.format === 'json') {
    const out = files.map((f) => ({ path: f.path, lines: f.lines, functions: f.functions, maxNesting: f.maxNesting, imports: f.imports, todos: f.todos }));
    const errors = failed.map((r) => ({ path: r.path, error: r.outcome?.status === 'error' ? r.outcome.message : 'failed' }));
    process.stdout.write(`${JSON.stringify({ files: out, totals, errors, skipped: skippedFiles(records) }, null, 2)}\n`);
  } else {
    const { lines } = totals;
    const rows = [
      `Files      ${totals.files}`,
      `Lines      ${lines.total} (code ${lines.code}, comment ${lines.comment}, blank ${lines.blank})`,
      `Functions  ${totals.functions} (average complexity ${totals.averageComplexity}, max ${totals.maxComplexity})`,
      `Nesting    max ${totals.maxNesting}`,
      `TODO/FIXME ${totals.todos}`,
    ];
    if (totals.hotspots.length > 0) {
      rows.push('', 'Hotspots (most complex functions):');
      for (const h of totals.hotspots) rows.push(`  ${String(h.complexity).padStart(4)}  ${h.name}  ${relative(h.path)}:${h.line}:${h.column}`);
    }
    process.stdout.write(`${rows.join('\n')}\n`);
    for (const line of describeProblems(records, true)) process.stderr.write(`${line}\n`);
    process.stderr.write(`${describeRun('Analyzed', result)}\n`);
  }
  if (options.timing) for (const line of describeTiming('analyze', result)) process.stderr.write(`${line}\n`);
  if (result.outcome.phase === 'cancelled') return EXIT_CANCELLED;
  return failed.length > 0 ? 1 : 0;
}
