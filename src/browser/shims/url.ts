// `node:url` inside a Chromium page: module URLs are http URLs from the browser host; their path stands
// in for a file path (so the layout's ROOT is the server's root).
export const fileURLToPath = (url: string | URL): string => new URL(String(url)).pathname;
export const pathToFileURL = (p: string): URL => new URL(p, location.origin);
export default { fileURLToPath, pathToFileURL };
