// Compiles view functions without calling them (run by NodeFunctionChecker as `node -e`).
// stdin: [{ "file": "...", "source": "function (doc) { ... }" }]
// stdout: [{ "file": "...", "line": 3 | null, "message": "..." }] for the functions that fail.
'use strict';
const vm = require('vm');
let input = '';
process.stdin.setEncoding('utf8');
process.stdin.on('data', chunk => { input += chunk; });
process.stdin.on('end', () => {
  const problems = [];
  for (const fn of JSON.parse(input)) {
    try {
      // Wrapped in parentheses as both servers evaluate it: the file must be one function expression.
      const script = new vm.Script('(' + fn.source + '\n)', { filename: fn.file });
      // Evaluating a function expression defines it without running its body; the empty context and
      // the timeout keep anything else the file might do away from this process.
      const value = script.runInNewContext({}, { timeout: 1000 });
      // A function's text is exactly its source, so this also refuses "function () {} && function () {}".
      if (typeof value !== 'function' || Function.prototype.toString.call(value) !== fn.source) {
        problems.push({ file: fn.file, line: 1, message: 'is not a function expression (the file must hold exactly one function)' });
      }
    } catch (error) {
      // A SyntaxError's stack starts with "<file>:<line>".
      const match = /^[^\n]*:(\d+)\n/.exec(String(error && error.stack));
      problems.push({ file: fn.file, line: match ? Number(match[1]) : null, message: String(error && error.message) });
    }
  }
  process.stdout.write(JSON.stringify(problems));
});
