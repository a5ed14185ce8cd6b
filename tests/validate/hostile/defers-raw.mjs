// A raw protocol-3 implementation (a command, not a module) that defers its work to the fetch:
// MODE nodigest answers timed requests with a handle only; MODE stale with a made-up digest; MODE
// slowfetch with the true digest, but does 2 s of work when the result is fetched.
import { createHash } from 'node:crypto';
import fs from 'node:fs';
import readline from 'node:readline';

const mode = process.argv[2];
const loaded = new Map();
const send = (v) => process.stdout.write(JSON.stringify(v) + '\n');
const resolve = (v) => (v && typeof v === 'object' && 'handle' in v ? loaded.get(v.handle) : v);

function digest(answer) {
  const hash = createHash('sha256');
  for (const name of Object.keys(answer).sort()) {
    hash.update(Buffer.from(name + '\0'));
    hash.update(new Uint8Array(Float64Array.from(answer[name].flat()).buffer));
  }
  return `sha256:${hash.digest('hex')}`;
}

function proba(X) {
  return { proba: X.map(() => 0.5) };
}

let kept;
for await (const line of readline.createInterface({ input: process.stdin })) {
  const m = JSON.parse(line);
  if (m.op === 'shutdown') break;
  if (m.op === 'hello') send({ name: `defers-${mode}`, version: '1', models: ['logreg'], workloads: { logreg: ['predict'] }, protocol: 3 });
  else if (m.op === 'ping') send({});
  else if (m.op === 'load') {
    const raw = fs.readFileSync(m.path);
    const values = Array.from(new Float64Array(raw.buffer, raw.byteOffset, raw.byteLength / 8));
    const rows = m.shape.length === 1 ? values : Array.from({ length: m.shape[0] }, (_, i) => values.slice(i * m.shape[1], (i + 1) * m.shape[1]));
    loaded.set(`h${loaded.size + 1}`, rows);
    send({ handle: `h${loaded.size}` });
  } else if (m.op === 'fit') send({ weights: resolve(m.X)[0].map(() => 0), bias: 0 });
  else if (m.op === 'predict_proba' && m.result === 'handle') {
    kept = resolve(m.X);
    const d = mode === 'slowfetch' ? digest(proba(kept)) : `sha256:${'0'.repeat(64)}`;
    send(mode === 'nodigest' ? { handle: 'r1' } : { handle: 'r1', digest: d });
  } else if (m.op === 'fetch') {
    if (mode === 'slowfetch') await new Promise((r) => setTimeout(r, 2000));
    send(proba(kept));
  } else send({ error: `no op ${m.op}` });
}
