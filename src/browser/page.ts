// The page's entry: the browser host calls modelbenchServe with the parent's message, and the page
// answers through the modelbenchSend binding, message by message, as a Node worker does over IPC.
import type { CellsMessage, ChildMessage } from '../timing/messages.js';
import { serveCells } from '../timing/serve-cells.js';
import { PAGE_BACKENDS } from './page-backends.js';
import { setBrowserInfo, type HostInfo } from './page-info.js';

declare global {
  interface Window {
    modelbenchSend(message: ChildMessage): Promise<void>;
    modelbenchServe(message: CellsMessage, info: HostInfo): Promise<void>;
  }
}

window.modelbenchServe = async (message, info) => {
  setBrowserInfo(info);
  const activate = PAGE_BACKENDS[message.backend];
  if (!activate) throw new Error(`the page knows no backend ${message.backend}`);
  // Rows cross to the host as JSON: a structured clone would keep typed arrays the parent cannot read.
  await serveCells(message, { activate }, (m) => window.modelbenchSend(JSON.parse(JSON.stringify(m)) as ChildMessage));
};
