// What every test peer shares: `--key value` / `--flag` arguments, and one JSON line per observation on stdout.
'use strict';

function parseArgs(argv) {
  const args = {};
  for (let i = 2; i < argv.length; i++) {
    const a = argv[i];
    if (!a.startsWith('--')) continue;
    const next = argv[i + 1];
    if (next === undefined || next.startsWith('--')) args[a.slice(2)] = true;
    else { args[a.slice(2)] = next; i++; }
  }
  return args;
}

const out = (o) => process.stdout.write(JSON.stringify(o) + '\n');

module.exports = { args: parseArgs(process.argv), out };
