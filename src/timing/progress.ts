// Progress of a run: a redrawn bar on a terminal, one plain line per event elsewhere (CI logs).
export interface Progress {
  /** `unit` names what is counted in the plain-line form (default: cells of a run). */
  start(total: number, unit?: string): void;
  step(label: string): void;
  /** Sets how much is done (a training loop's step count) rather than counting one more. */
  update(done: number, label: string): void;
  note(message: string): void;
  finish(): void;
}

const BAR_WIDTH = 24;

export function makeProgress(stream: NodeJS.WriteStream = process.stderr): Progress {
  let total = 0;
  let done = 0;
  const tty = Boolean(stream.isTTY) && !process.env.CI;
  const draw = (label: string) => {
    const filled = total === 0 ? BAR_WIDTH : Math.round((done / total) * BAR_WIDTH);
    const line = `[${'#'.repeat(filled)}${'.'.repeat(BAR_WIDTH - filled)}] ${done}/${total} ${label}`;
    stream.write(`\r\x1b[2K${line.slice(0, (stream.columns ?? 100) - 1)}`);
  };
  return {
    start(n, unit = 'cells') {
      total = n;
      done = 0;
      if (tty) draw('starting');
      else stream.write(`running ${n} ${unit}\n`);
    },
    step(label) {
      done++;
      if (tty) draw(label);
      else stream.write(`[${done}/${total}] ${label}\n`);
    },
    update(n, label) {
      done = n;
      if (tty) draw(label);
      // Off a terminal every update is a line: keep a training loop's log to about 20 of them.
      else if (done === total || done % Math.max(1, Math.round(total / 20)) === 0)
        stream.write(`[${done}/${total}] ${label}\n`);
    },
    note(message) {
      if (tty) stream.write(`\r\x1b[2K${message}\n`);
      else stream.write(`${message}\n`);
    },
    finish() {
      if (tty) stream.write('\r\x1b[2K');
    },
  };
}

export const silentProgress: Progress = { start() {}, step() {}, update() {}, note() {}, finish() {} };
