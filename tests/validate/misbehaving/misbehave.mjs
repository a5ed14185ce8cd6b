// An implementation that answers hello properly, then misbehaves on every other request in the way
// named by its first argument: hang, crash, garbage, nan, nan-number or flood (endless output without
// a newline). Run as a command: node misbehave.mjs hang
import readline from 'node:readline';

const how = process.argv[2];
const say = (o) => process.stdout.write(JSON.stringify(o) + '\n');
readline.createInterface({ input: process.stdin }).on('line', (line) => {
  const req = JSON.parse(line);
  if (req.op === 'hello') return say({ name: `misbehaving (${how})`, version: '0', models: ['logreg'] });
  if (req.op === 'shutdown') process.exit(0);
  if (how === 'hang') return;
  if (how === 'crash') process.exit(7);
  if (how === 'garbage') return process.stdout.write('Traceback (most recent call last): oops\n');
  if (how === 'nan') return process.stdout.write('{"weights": [NaN], "bias": 0}\n');
  if (how === 'flood') {
    const chunk = 'x'.repeat(1 << 20);
    const more = () => process.stdout.write(chunk, more);
    return more();
  }
  if (how === 'nan-number') return say({ weights: req.X[0].map(() => null), bias: 0, proba: req.X.map(() => null) });
});
