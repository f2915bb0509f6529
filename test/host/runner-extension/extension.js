// Loads the compiled integration suite named by PT_TEST_SUITE, runs it inside
// this extension host, and writes the report to PT_TEST_RESULTS.
const fs = require('node:fs');

exports.activate = async function activate() {
  const suite = process.env.PT_TEST_SUITE;
  const results = process.env.PT_TEST_RESULTS;
  if (!suite || !results) return;
  let report;
  try {
    report = await require(suite).runSuite();
  } catch (error) {
    report = { passed: 0, failed: 1, log: [String(error && error.stack ? error.stack : error)], failures: [{ title: 'suite', error: String(error) }] };
  }
  fs.writeFileSync(results, JSON.stringify(report, null, 2));
};

exports.deactivate = function deactivate() {};
