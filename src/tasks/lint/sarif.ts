import { pathToFileURL } from 'node:url';
import type { ESLint } from 'eslint';
import type { Log, ReportingDescriptor, Result } from 'sarif';
import type { RuleDocs } from './types';

/**
 * SARIF 2.1.0 for lint results. Written here rather than taken from
 * @microsoft/eslint-formatter-sarif because that package depends on ESLint 8
 * and would install a second, outdated ESLint next to the one we run.
 */
export function toSarif(results: readonly ESLint.LintResult[], rules: Readonly<Record<string, RuleDocs>>, eslintVersion: string): Log {
  const ruleIndex = new Map<string, number>();
  const descriptors: ReportingDescriptor[] = [];
  const sarifResults: Result[] = [];
  for (const result of results) {
    for (const message of result.messages) {
      const ruleId = message.ruleId ?? (message.fatal ? 'parse-error' : 'eslint');
      if (!ruleIndex.has(ruleId)) {
        ruleIndex.set(ruleId, descriptors.length);
        const docs = rules[ruleId];
        descriptors.push({
          id: ruleId,
          ...(docs?.description ? { shortDescription: { text: docs.description } } : {}),
          ...(docs?.url ? { helpUri: docs.url } : {}),
        });
      }
      sarifResults.push({
        ruleId,
        ruleIndex: ruleIndex.get(ruleId),
        level: message.severity === 2 ? 'error' : 'warning',
        message: { text: message.message },
        locations: [
          {
            physicalLocation: {
              artifactLocation: { uri: pathToFileURL(result.filePath).href },
              region: {
                startLine: Math.max(1, message.line ?? 1),
                startColumn: Math.max(1, message.column ?? 1),
                ...(message.endLine ? { endLine: message.endLine } : {}),
                ...(message.endColumn ? { endColumn: message.endColumn } : {}),
              },
            },
          },
        ],
      });
    }
  }
  return {
    version: '2.1.0',
    $schema: 'https://json.schemastore.org/sarif-2.1.0.json',
    runs: [
      {
        tool: { driver: { name: 'ESLint (via parallel-tasks)', version: eslintVersion, informationUri: 'https://eslint.org', rules: descriptors } },
        results: sarifResults,
      },
    ],
  };
}
