// WebAssembly binary encoding for the few small modules the project writes out byte by byte (an Adam update on
// tfjs-wasm's memory, the counted gate's extra work): a module is short enough to encode in source, and then needs no
// binary file, no build step and no toolchain.

export const WASM_TYPE = { i32: 0x7f, f32: 0x7d, f64: 0x7c } as const;

/** Unsigned LEB128, WebAssembly's encoding of sizes and indices. */
export const uleb = (n: number): number[] => (n < 0x80 ? [n] : [(n & 0x7f) | 0x80, ...uleb(n >>> 7)]);

/** A section: its id, then its length, then its bytes. */
export const section = (id: number, bytes: number[]): number[] => [id, ...uleb(bytes.length), ...bytes];

/** A name, as imports and exports spell it. */
export const text = (s: string): number[] => [s.length, ...Array.from(s, (c) => c.charCodeAt(0))];

/** A whole module: the magic number and version 1, then the sections in order. */
export function wasmModule(...sections: number[][]): Uint8Array<ArrayBuffer> {
  return new Uint8Array([0x00, 0x61, 0x73, 0x6d, 0x01, 0x00, 0x00, 0x00, ...sections.flat()]);
}
