import * as path from 'node:path';
import * as vscode from 'vscode';
import type { AnalyzeTotals, AnalyzedFile } from '../tasks/analyze/summary';

export interface AnalysisResult {
  readonly generatedAt: Date;
  readonly files: readonly AnalyzedFile[];
  readonly totals: AnalyzeTotals;
}

function cell(text: string): string {
  return text.replace(/\|/g, '\\|');
}

/** A table's header row (titles escaped as any cell: a translation may hold a `|`) and its alignment row. */
function header(columns: readonly (readonly [title: string, align: 'left' | 'right'])[]): string[] {
  return [`| ${columns.map(([title]) => cell(title)).join(' | ')} |`, `| ${columns.map(([, align]) => (align === 'right' ? '---:' : '---')).join(' | ')} |`];
}

/** The column titles, looked up when a report is written: each a literal, for the string extraction; comments say which column. */
function titles() {
  return {
    lines: vscode.l10n.t({ message: 'Lines', comment: ['a column of the analysis report: lines in all'] }),
    code: vscode.l10n.t({ message: 'Code', comment: ['a column of the analysis report: lines of code'] }),
    comment: vscode.l10n.t({ message: 'Comment', comment: ['a column of the analysis report: comment lines'] }),
    blank: vscode.l10n.t({ message: 'Blank', comment: ['a column of the analysis report: blank lines'] }),
    functions: vscode.l10n.t({ message: 'Functions', comment: ['a column of the analysis report: how many functions'] }),
    avgComplexity: vscode.l10n.t({ message: 'Avg complexity', comment: ['a column of the analysis report: the average cyclomatic complexity of a function'] }),
    maxComplexity: vscode.l10n.t({ message: 'Max complexity', comment: ['a column of the analysis report: the highest cyclomatic complexity of a function'] }),
    maxNesting: vscode.l10n.t({ message: 'Max nesting', comment: ['a column of the analysis report: the deepest nesting of blocks'] }),
    todoFixme: vscode.l10n.t({ message: 'TODO/FIXME', comment: ['a column of the analysis report: how many TODO and FIXME comments'] }),
    complexity: vscode.l10n.t({ message: 'Complexity', comment: ['a column of the analysis report: cyclomatic complexity'] }),
    function: vscode.l10n.t({ message: 'Function', comment: ['a column of the analysis report: a function\'s name'] }),
    where: vscode.l10n.t({ message: 'Where', comment: ['a column of the analysis report: the file and line of a function'] }),
    file: vscode.l10n.t({ message: 'File', comment: ['a column of the analysis report: a file, linked'] }),
    nesting: vscode.l10n.t({ message: 'Nesting', comment: ['a column of the analysis report: the deepest nesting of blocks in a file'] }),
    todos: vscode.l10n.t({ message: 'TODOs', comment: ['a column of the analysis report: how many TODO and FIXME comments in a file'] }),
  };
}

/**
 * The report as Markdown. Links are relative to the report's own folder: the
 * Markdown preview follows those (to the line, with #L), but not file: URIs.
 */
export function analysisMarkdown(result: AnalysisResult, reportDir: string): string {
  const { totals } = result;
  const t = titles();
  const link = (file: string, line: number): string => {
    const target = path.relative(reportDir, file).split(path.sep).map(encodeURIComponent).join('/');
    return `[${cell(vscode.workspace.asRelativePath(file))}:${line}](${target}#L${line})`;
  };
  const lines = [
    `# ${vscode.l10n.t('Parallel Tasks: analysis')}`,
    '',
    vscode.l10n.t('{0} · {1} files', result.generatedAt.toLocaleString(), totals.files),
    '',
    ...header([[t.lines, 'right'], [t.code, 'right'], [t.comment, 'right'], [t.blank, 'right'], [t.functions, 'right'], [t.avgComplexity, 'right'], [t.maxComplexity, 'right'], [t.maxNesting, 'right'], [t.todoFixme, 'right']]),
    `| ${totals.lines.total} | ${totals.lines.code} | ${totals.lines.comment} | ${totals.lines.blank} | ${totals.functions} | ${totals.averageComplexity} | ${totals.maxComplexity} | ${totals.maxNesting} | ${totals.todos} |`,
    '',
    `## ${vscode.l10n.t('Hotspots')}`,
    '',
    vscode.l10n.t('The most complex functions (cyclomatic complexity as ESLint\'s `complexity` rule counts it).'),
    '',
    ...header([[t.complexity, 'right'], [t.function, 'left'], [t.where, 'left']]),
    ...totals.hotspots.map((h) => `| ${h.complexity} | \`${cell(h.name)}\` | ${link(h.path, h.line)} |`),
    '',
    `## ${vscode.l10n.t('Files by maximum complexity')}`,
    '',
    ...header([[t.file, 'left'], [t.lines, 'right'], [t.functions, 'right'], [t.maxComplexity, 'right'], [t.nesting, 'right'], [t.todos, 'right']]),
    ...[...result.files]
      .map((f) => ({ f, max: Math.max(0, ...f.functions.map((fn) => fn.complexity)) }))
      .sort((a, b) => b.max - a.max)
      .slice(0, 50)
      .map(({ f, max }) => `| ${link(f.path, 1)} | ${f.lines.total} | ${f.functions.length} | ${max} | ${f.maxNesting} | ${f.todos} |`),
    '',
  ];
  return lines.join('\n');
}

/** Writes the report to the extension's storage and opens it in the Markdown preview. */
export async function showAnalysisReport(result: AnalysisResult, storage: vscode.Uri): Promise<vscode.Uri> {
  await vscode.workspace.fs.createDirectory(storage);
  const uri = vscode.Uri.joinPath(storage, 'analysis-report.md');
  await vscode.workspace.fs.writeFile(uri, Buffer.from(analysisMarkdown(result, storage.fsPath), 'utf8'));
  await vscode.commands.executeCommand('markdown.showPreview', uri);
  return uri;
}
