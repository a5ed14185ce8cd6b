// What the browser host tells a page about where it runs, before the page starts a backend.
import { host } from './shims/os.js';

export interface HostInfo {
  readonly browserVersion: string;
  readonly flags: readonly string[];
  readonly cpuModel: string;
  readonly totalmem: number;
  /** The host's MODELBENCH_* settings (an injected slowdown, the wasm matMul switch). */
  readonly env: Readonly<Record<string, string>>;
}

let current: HostInfo | undefined;

export function setBrowserInfo(info: HostInfo): void {
  current = info;
  host.totalmem = info.totalmem;
  host.cpuModel = info.cpuModel;
  Object.assign(process.env, info.env);
}

export function browserInfo(): HostInfo {
  if (!current) throw new Error('the browser host has not described the browser yet');
  return current;
}
