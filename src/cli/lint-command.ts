import type { ESLint } from 'eslint';
import { existsSync } from 'node:fs';
import * as path from 'node:path';
import { UsageError } from '../core/errors';
import type { FileRecord } from '../core/run-state';
import { toSarif } from '../tasks/lint/sarif';
import type { LintOptions, LintValue, RuleDocs } from '../tasks/lint/types';
import { bundledToolEntry, importModule } from '../tasks/resolve-tool';
import { runCliJob, type CommonOptions } from './job';
import { describeTiming } from './timing';
import { distinctTools } from '../tasks/tool-info';
import { assertNotFailed, describeProblems, describeRun, describeTools, EXIT_CANCELLED, relative, skippedFiles } from './summary';

export interface LintCommandOptions extends CommonOptions {
  readonly format: string;
  readonly config?: string;
}

const FORMATS = ['pretty', 'json', 'sarif'];

export async function lintCommand(paths: string[], options: LintCommandOptions): Promise<number> {
  if (!FORMATS.includes(options.format)) throw new UsageError(`--format must be one of ${FORMATS.join(', ')} for lint`);
  if (options.config && !existsSync(path.resolve(options.config))) throw new UsageError(`--config file not found: ${options.config}`);
  // Rule times cost a little on every file: ESLint collects them only when asked.
  const lintOptions: LintOptions = { ...(options.config ? { configFile: path.resolve(options.config) } : {}), ...(options.timing ? { stats: true } : {}) };
  const result = await runCliJob<LintValue>({ kind: 'lint', paths, options: lintOptions }, options);
  assertNotFailed(result);

  const records = result.state.results();
  const results = records.flatMap(toLintResult).sort(compareByFilePath);
  const rules: Record<string, RuleDocs> = {};
  for (const record of records) if (record.outcome?.status === 'ok') Object.assign(rules, record.outcome.value.rules);

  const { ESLint: ESLintClass } = await importModule<{ ESLint: typeof ESLint }>(bundledToolEntry('eslint'));
  const tools = records.map((r) => (r.outcome?.status === 'ok' ? r.outcome.value.tool : undefined));
  // Skipped files are named on stderr in every format: stdout stays exactly what eslint prints.
  for (const { path: file, reason } of skippedFiles(records)) process.stderr.write(`skipped: ${relative(file)}: ${reason}\n`);
  if (options.format === 'sarif') {
    // The ESLint that linted the files (the project's own, usually), not the copy we bundle.
    const used = distinctTools(tools)[0];
    process.stdout.write(`${JSON.stringify(toSarif(results, rules, used?.version ?? ESLintClass.version), null, 2)}\n`);
  } else {
    // ESLint's own formatters, so the output is exactly what `eslint` prints.
    const formatter = await new ESLintClass({ cwd: process.cwd(), overrideConfigFile: true }).loadFormatter(options.format === 'json' ? 'json' : 'stylish');
    const text = await formatter.format(results, {});
    // The eslint CLI prints the formatter's text followed by a newline.
    if (text) process.stdout.write(`${text}\n`);
    if (options.format === 'pretty') {
      for (const line of describeProblems(records, false)) process.stderr.write(`${line}\n`);
      process.stderr.write(`${describeRun('Linted', result)}\n`);
      const used = describeTools(tools);
      if (used) process.stderr.write(`${used}\n`);
    }
  }
  if (options.timing) for (const line of describeTiming('lint', result)) process.stderr.write(`${line}\n`);
  if (result.outcome.phase === 'cancelled') return EXIT_CANCELLED;
  return results.some((r) => r.errorCount > 0) ? 1 : 0;
}

/** A file the run could not lint is reported the way ESLint reports a file it cannot parse: one fatal message. */
function toLintResult(record: FileRecord<LintValue>): ESLint.LintResult[] {
  const outcome = record.outcome;
  if (outcome?.status === 'ok') return [outcome.value.result];
  if (outcome?.status !== 'error') return [];
  return [
    {
      filePath: record.path,
      messages: [{ ruleId: null, fatal: true, severity: 2, message: `Parallel Tasks: ${outcome.message}`, line: 0, column: 0 }],
      suppressedMessages: [],
      errorCount: 1,
      fatalErrorCount: 1,
      warningCount: 0,
      fixableErrorCount: 0,
      fixableWarningCount: 0,
      usedDeprecatedRules: [],
    },
  ];
}

/** ESLint's own order for results. */
function compareByFilePath(a: ESLint.LintResult, b: ESLint.LintResult): number {
  return a.filePath < b.filePath ? -1 : a.filePath > b.filePath ? 1 : 0;
}
