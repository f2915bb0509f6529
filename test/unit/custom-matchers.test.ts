import * as assert from 'node:assert/strict';
import { compileMatcher } from '../../src/tasks/custom/matchers';

/** Problem matchers of custom tasks, on lines as the tools print them (the tasks themselves run in test/system/custom-tasks.test.ts). */
describe('custom task problem matchers', () => {
  it('named matchers read the formats they are named after', () => {
    const cwd = '/w';
    assert.deepEqual(compileMatcher('$tsc').match('src/a.ts(3,7): error TS2322: Type \'string\' is not assignable to type \'number\'.', cwd), [
      { file: '/w/src/a.ts', line: 3, column: 7, severity: 'error', message: "Type 'string' is not assignable to type 'number'.", code: 'TS2322' },
    ]);
    assert.deepEqual(compileMatcher('$eslint-compact').match('/w/b.js: line 2, col 5, Warning - Unexpected console statement. (no-console)', cwd), [
      { file: '/w/b.js', line: 2, column: 5, severity: 'warning', message: 'Unexpected console statement.', code: 'no-console' },
    ]);
    assert.deepEqual(compileMatcher({ regexp: '^(?<file>[^|]+)\\|(?<message>.+)$', severity: 'info' }).match('c.sh|quote this\nnoise', cwd), [
      { file: '/w/c.sh', line: 1, column: 1, severity: 'info', message: 'quote this' },
    ]);
  });
});
