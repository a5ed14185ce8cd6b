// The counted gate's extra work as WebAssembly: `acc = acc * 0.5 + 1`, n times, a dependent chain in registers.
// A JavaScript loop is compiled by TurboFan from the feedback of the process it runs in, and in the quick suite's
// rows its iterations cost 0.62 to 1.00 of what they cost standalone. WebAssembly is compiled from its bytes alone
// (in a counted process once, by TurboFan: V8_DETERMINISTIC has no Liftoff and no tier-up), so an iteration costs
// the same in every process of one Node build.
import { OP, section, text, uleb, WASM_TYPE, wasmModule } from '../wasm-bytes.js';

const { i32: I32, f64: F64 } = WASM_TYPE;
const [N, ACC] = [0, 1];

const f64 = (x: number): number[] => [...new Uint8Array(new Float64Array([x]).buffer)];

function body(): number[] {
  const step = [OP.get, ACC, OP.f64Const, ...f64(0.5), OP.f64Mul, OP.f64Const, ...f64(1), OP.f64Add];
  const count = [OP.get, N, OP.i32Const, 1, OP.i32Sub, OP.tee, N, OP.brIf, 0];
  const code = [
    0, // no locals beyond the parameters
    ...[OP.block, 0x40, OP.get, N, OP.i32Eqz, OP.brIf, 0],
    ...[OP.loop, 0x40, ...step, OP.set, ACC, ...count, OP.end, OP.end, OP.get, ACC, OP.end],
  ];
  return [...uleb(code.length), ...code];
}

/** `work(n, acc)`: the chain from `acc`, n times (n >= 0); its value is returned so that it cannot be left out. */
export type WorkLoop = (iterations: number, acc: number) => number;

let loop: WorkLoop | undefined;

/** The loop, compiled on first use. */
export function workLoop(): WorkLoop {
  loop ??= new WebAssembly.Instance(
    new WebAssembly.Module(
      wasmModule(
        section(1, [1, 0x60, 2, I32, F64, 1, F64]),
        section(3, [1, 0]),
        section(7, [1, ...text('work'), 0x00, 0]),
        section(10, [1, ...body()]),
      ),
    ),
  ).exports.work as WorkLoop;
  return loop;
}
