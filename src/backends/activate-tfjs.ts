// Common start-up for a tfjs backend in a fresh process.
import type { Tf } from '../types.js';
import { BackendUnavailable } from '../errors.js';

export async function loadTf(): Promise<Tf> {
  const tf = await import('@tensorflow/tfjs');
  // Production mode: no per-op NaN checks and no "install tfjs-node" banner; this is what users time.
  tf.enableProdMode();
  return tf;
}

/** Switches tfjs to `name`, turning a silent failure (tfjs falls back quietly) into BackendUnavailable. */
export async function switchTo(tf: Tf, name: string, fix: string): Promise<void> {
  let ok = false;
  let cause = '';
  try {
    ok = await tf.setBackend(name);
    await tf.ready();
  } catch (e) {
    cause = e instanceof Error ? e.message : String(e);
  }
  if (!ok || tf.getBackend() !== name) {
    throw new BackendUnavailable(`tfjs could not initialise the '${name}' backend${cause ? `: ${cause}` : ''}`, fix);
  }
}
