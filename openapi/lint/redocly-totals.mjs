// make lint: reads `redocly lint --format json` on stdin and fails on any error or warning, as Redocly CLI
// itself exits 0 on warnings and has no option to do otherwise.
let input = '';
process.stdin.on('data', (chunk) => (input += chunk));
process.stdin.on('end', () => {
  const { totals } = JSON.parse(input);
  const spec = process.argv[2] ?? 'the contract';
  if (totals.errors + totals.warnings > 0) {
    console.error(`redocly: ${spec}: ${totals.errors} errors, ${totals.warnings} warnings: make lint fails on either`);
    process.exit(1);
  }
  console.log(`redocly: ${spec}: no error, no warning`);
});
