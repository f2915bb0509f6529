import * as assert from 'node:assert/strict';
import { compileShellTemplate } from '../../src/tasks/custom/shell-template';

// The system suite runs these scripts through /bin/sh with hostile names; this pins what the scan makes of each
// quoting context, so a change to the scanner that moves a placeholder out of its quotes fails here first.
describe('"shell": true templates', () => {
  const script = (template: string): string => compileShellTemplate(template).script;

  it('passes names as positional parameters, quoted where they stand', () => {
    assert.deepEqual(compileShellTemplate('lint ${files}'), { script: 'lint "$@"', usesFile: false, usesFiles: true });
    assert.deepEqual(compileShellTemplate('lint --file=${file} && echo done'), { script: 'lint --file="${1}" && echo done', usesFile: true, usesFiles: false });
    assert.equal(script('echo "x${file}y" ${file}0'), 'echo "x${1}y" "${1}"0');
    assert.equal(script('echo $(cat ${file}) "$(wc -l ${file})"'), 'echo $(cat "${1}") "$(wc -l "${1}")"');
    assert.equal(script("echo \\'${file} $$ x"), 'echo \\\'"${1}" $$ x');
    assert.equal(script('case a in (a) echo ${file};; esac'), 'case a in (a) echo "${1}";; esac');
  });

  it('leaves placeholders in comments alone', () => {
    assert.deepEqual(compileShellTemplate('# ${file}\necho ${files} # ${file}'), { script: '# ${file}\necho "$@" # ${file}', usesFile: false, usesFiles: true });
    // A # inside a word is not a comment.
    assert.equal(script('echo a#${file}'), 'echo a#"${1}"');
  });

  it('refuses a placeholder where its expansion would not stay quoted, saying where', () => {
    const refusals: [string, RegExp][] = [
      ["echo '${file}'", /inside single quotes/],
      ["echo $'${file}'", /inside \$'…' quotes/],
      ['echo `cat ${file}`', /inside backticks/],
      ['echo $((${file} + 1))', /inside \$\(\(…\)\)/],
      ['echo "${files}"', /\$\{files\} stands inside double quotes/],
      ['echo a${files}', /must be a word of its own/],
      ['echo ${files}b', /must be a word of its own/],
    ];
    for (const [template, reason] of refusals) assert.throws(() => compileShellTemplate(template), reason, template);
  });

  it('refuses a template whose quotes or substitutions are not closed', () => {
    assert.throws(() => compileShellTemplate("echo 'open ${file}"), /single quote|inside single quotes/);
    assert.throws(() => compileShellTemplate('echo "open'), /unterminated double quote/);
    assert.throws(() => compileShellTemplate('echo $(cat x'), /unterminated \$\(/);
    assert.throws(() => compileShellTemplate('echo `x'), /unterminated backtick/);
    assert.throws(() => compileShellTemplate('echo $((1 + 2)'), /unterminated \$\(\(/);
  });
});
