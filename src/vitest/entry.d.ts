// Types of `modelbench/vitest` (the implementation is src/vitest/conformance.ts).
export interface ConformanceOptions {
  /** The model the implementation claims: logreg, svm, vae or gan. */
  readonly model: string;
  /** A JavaScript/TypeScript module path (or file: URL), or a shell command such as "python3 impl.py". */
  readonly impl: string | URL;
  /** Run only these checks (default: every check of the model). */
  readonly checks?: readonly string[];
  /** Checks this implementation is known to fail, with the reason; merged over those its hello declares. */
  readonly expectedFailures?: Readonly<Record<string, string>>;
  /** Time limit per request, in seconds (as validate --timeout). */
  readonly timeoutSeconds?: number;
  /** Memory limit of the implementation's process, in MB (as validate --memory). */
  readonly memoryMb?: number;
  /** Environment variables for the implementation; its environment is otherwise cleared (as validate --env). */
  readonly env?: Readonly<Record<string, string>>;
  /** 'bwrap' (the default, required where it exists) or 'none' to run unsandboxed (as validate --no-sandbox). */
  readonly sandbox?: 'bwrap' | 'none';
  /** Where the implementation's own output goes (default: stderr, each line prefixed with [impl]). */
  readonly log?: (line: string) => void;
}
/** One vitest test per conformance check of the model; await it at the top level of a test file. */
export declare function describeConformance(options: ConformanceOptions): Promise<void>;
export declare const DEFAULT_TIMEOUT_SECONDS: number;
export declare const DEFAULT_MEMORY_MB: number;
