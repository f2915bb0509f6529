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

/**
 * The report as Markdown. Links are relative to the report's own folder: the
 * Markdown preview follows those (to the line, with #L), but not file: URIs.
 */
export function analysisMarkdown(result: AnalysisResult, reportDir: string): string {
  const { totals } = result;
  const link = (file: string, line: number): string => {
    const target = path.relative(reportDir, file).split(path.sep).map(encodeURIComponent).join('/');
    return `[${cell(vscode.workspace.asRelativePath(file))}:${line}](${target}#L${line})`;
  };
  const lines = [
    '# Parallel Tasks: analysis',
    '',
    `${result.generatedAt.toLocaleString()} · ${totals.files} files`,
    '',
    '| Lines | Code | Comment | Blank | Functions | Avg complexity | Max complexity | Max nesting | TODO/FIXME |',
    '| ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |',
    `| ${totals.lines.total} | ${totals.lines.code} | ${totals.lines.comment} | ${totals.lines.blank} | ${totals.functions} | ${totals.averageComplexity} | ${totals.maxComplexity} | ${totals.maxNesting} | ${totals.todos} |`,
    '',
    '## Hotspots',
    '',
    'The most complex functions (cyclomatic complexity as ESLint\'s `complexity` rule counts it).',
    '',
    '| Complexity | Function | Where |',
    '| ---: | --- | --- |',
    ...totals.hotspots.map((h) => `| ${h.complexity} | \`${cell(h.name)}\` | ${link(h.path, h.line)} |`),
    '',
    '## Files by maximum complexity',
    '',
    '| File | Lines | Functions | Max complexity | Nesting | TODOs |',
    '| --- | ---: | ---: | ---: | ---: | ---: |',
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
