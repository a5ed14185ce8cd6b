// Every error class of the harness, at the bottom of the layers so that any layer can throw one;
// cli/main.ts maps them to exit codes in one place (a user's mistake: 2, one line, no stack).
import { printable } from './printable.js';

/** How much of an implementation's error message the harness shows and records. */
export const MAX_ERROR_CHARS = 1000;

/** A mistake the user can fix (an option, a path, a file): one line, exit 2. */
export class UsageError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'UsageError';
  }
}

/** Input that cannot be compared: exit code 2, with the file and the fix. */
export class UnusableInput extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'UnusableInput';
  }
}

/** A data file that cannot be read as the dataset it claims to be: one line naming the file and row. */
export class DataError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'DataError';
  }
}

/** A working set over the memory a command allows itself (models/memory.ts). */
export class TooBig extends Error {}

/** An implementation under test that cannot start or says no usable hello. */
export class CannotStart extends Error {}

export class BackendUnavailable extends Error {
  constructor(
    readonly reason: string,
    readonly fix: string,
  ) {
    super(reason);
    this.name = 'BackendUnavailable';
  }
}

/** A store or query the user can fix (a path, a lock, a newer schema, failing SQL): one line, exit 2. */
export class HistoryError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'HistoryError';
  }
}

/** --baseline-machine or --baseline-backend names no column: exit 2 with the valid names. */
export class BaselineNotFound extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'BaselineNotFound';
  }
}

/** The implementation could not answer: it crashed, hung, printed garbage or said {"error"}. */
export class ImplementationError extends Error {
  constructor(message: string) {
    // The message quotes the implementation's own words: never let them drive the terminal.
    super(printable(message, MAX_ERROR_CHARS * 2));
    this.name = 'ImplementationError';
  }
}

/** A path modelbench was asked to write and cannot: the path, the reason and the fix. */
/** A result file or folder that cannot be written: a usage error that names the path. */
export class OutputError extends UsageError {}
