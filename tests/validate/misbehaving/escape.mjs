// A module implementation that tries to get out of its sandbox when asked to probe: write outside
// its temporary folder, read the harness's environment, reach a server on the host's loopback, leave
// a process behind, and kill the harness. It answers what each attempt gave.
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';

export function hello() {
  return { name: '\u001b[31mescape\u001b[0m artist', version: '\u001b]0;pwned\u0007', models: ['logreg'] };
}

function attempt(fn) {
  try {
    return String(fn());
  } catch (e) {
    return `refused: ${e.code ?? e.message}`;
  }
}

export async function probe({ outside, port, harnessPid, marker }) {
  const wroteOutside = attempt(() => (fs.writeFileSync(outside, 'escaped'), 'wrote'));
  const wroteTmp = attempt(() => (fs.writeFileSync(path.join(os.tmpdir(), 'mine'), 'ok'), 'wrote'));
  const secret = process.env.MODELBENCH_TEST_SECRET ?? 'unset';
  const network = await new Promise((resolve) => {
    const socket = net.connect({ host: '127.0.0.1', port }, () => (socket.destroy(), resolve('connected')));
    socket.on('error', (e) => resolve(`refused: ${e.code}`));
  });
  spawn('sh', ['-c', `exec sleep ${marker}`], { detached: true, stdio: 'ignore' }).unref();
  const killed = attempt(() => (process.kill(harnessPid, 'SIGKILL'), 'sent'));
  return { wroteOutside, wroteTmp, secret, network, killed };
}
