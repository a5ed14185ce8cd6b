// WebAssembly binary encoding for the few small modules the project writes out byte by byte (an Adam update on
// tfjs-wasm's memory, the counted gate's extra work): a module is short enough to encode in source, and then needs no
// binary file, no build step and no toolchain.

export const WASM_TYPE = { i32: 0x7f, f32: 0x7d, f64: 0x7c } as const;

/** The opcodes those modules use. */
export const OP = {
  block: 0x02,
  loop: 0x03,
  brIf: 0x0d,
  end: 0x0b,
  get: 0x20,
  set: 0x21,
  tee: 0x22,
  f32Load: 0x2a,
  f32Store: 0x38,
  i32Const: 0x41,
  f64Const: 0x44,
  i32Eqz: 0x45,
  i32Add: 0x6a,
  i32Sub: 0x6b,
  f32Sqrt: 0x91,
  f32Add: 0x92,
  f32Mul: 0x94,
  f32Div: 0x95,
  f64Add: 0xa0,
  f64Mul: 0xa2,
} as const;

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
