// `node:fs` inside a Chromium page: files are read from the browser host's server, synchronously
// (the data loaders are synchronous, as they are in Node). The server serves the checkout's
// fixtures/ only, and sends a .gz file with Content-Encoding: gzip, so what arrives is already
// inflated: readers that accept both forms (src/data/idx.ts) need no zlib here.
function request(method: 'GET' | 'HEAD', file: string): XMLHttpRequest {
  const xhr = new XMLHttpRequest();
  xhr.open(method, `/fs${file}`, false);
  // A synchronous request cannot ask for an ArrayBuffer: bytes come through as x-user-defined text.
  xhr.overrideMimeType('text/plain; charset=x-user-defined');
  xhr.send();
  return xhr;
}

function notFound(file: string): Error {
  return Object.assign(new Error(`ENOENT: no such file in the browser host's fixtures, '${file}'`), { code: 'ENOENT' });
}

export function existsSync(file: string): boolean {
  return request('HEAD', file).status === 200;
}

export function readFileSync(file: string, encoding?: string | { encoding?: string }): Uint8Array | string {
  const xhr = request('GET', file);
  if (xhr.status !== 200) throw notFound(file);
  const text = xhr.responseText;
  const bytes = new Uint8Array(text.length);
  for (let i = 0; i < text.length; i++) bytes[i] = text.charCodeAt(i) & 0xff;
  const enc = typeof encoding === 'string' ? encoding : encoding?.encoding;
  return enc ? new TextDecoder(enc).decode(bytes) : bytes;
}

export default { existsSync, readFileSync };
