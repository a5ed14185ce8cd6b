// Opening the history store: a DuckDB file whose first table says which schema wrote it. One writer
// at a time is DuckDB's own file lock; a second `history add` waits for it, saying so, then refuses.
import fs from 'node:fs';
import path from 'node:path';
import { DuckDBInstance, type DuckDBConnection } from '@duckdb/node-api';
import { createStoreSql, SCHEMA_VERSION } from './schema.js';
import { upgradeFromV1 } from './upgrade.js';
import { HistoryError } from '../errors.js';

export const DEFAULT_STORE = 'results/history.duckdb';
/** How long a second ingest waits for the first one's lock before refusing. */
export const DEFAULT_WAIT_SECONDS = 60;
const RETRY_MS = 250;

export interface Store {
  readonly file: string;
  readonly connection: DuckDBConnection;
  /** The schema the tables have: SCHEMA_VERSION, or an older one opened only to read (a folder's views: the newest). */
  readonly version: number;
  close(): void;
}

export interface OpenOptions {
  readonly write: boolean;
  readonly waitSeconds?: number;
  /** Told once when the store is held by another process and this one starts waiting. */
  readonly onWait?: (line: string) => void;
  /** Told when an older store is upgraded as it is opened for writing. */
  readonly onUpgrade?: (line: string) => void;
}

/** DuckDB's first line, without its "IO Error:" category or its link. */
export function duckdbReason(e: unknown): string {
  const text = e instanceof Error ? e.message : String(e);
  return text
    .split('\n')[0]
    .replace(/^[A-Za-z ]*Error: /, '')
    .replace(/\s*See also https?:\S+/, '');
}

function lockHolder(e: unknown): string | undefined {
  const m = /Conflicting lock is held in (.*?)(?: \(PID (\d+)\))?\.?\s*(?:See also|$)/.exec(
    e instanceof Error ? e.message : '',
  );
  return m ? (m[2] ? `PID ${m[2]} (${m[1]})` : m[1]) : undefined;
}

async function createInstance(file: string, options: OpenOptions): Promise<DuckDBInstance> {
  const deadline = Date.now() + (options.waitSeconds ?? DEFAULT_WAIT_SECONDS) * 1000;
  let told = false;
  for (;;) {
    try {
      return await DuckDBInstance.create(file, options.write ? {} : { access_mode: 'READ_ONLY' });
    } catch (e) {
      const holder = lockHolder(e);
      if (!holder)
        throw new HistoryError(
          `${file}: cannot open the store (${duckdbReason(e)}); give a store ` +
            `written by \`modelbench history add\`, ` +
            `or a new file name`,
        );
      if (Date.now() >= deadline) {
        throw new HistoryError(
          `${file}: the store is in use by ${holder} (another \`modelbench ` +
            `history add\`?) and was not released in time; ` +
            `try again when it ends, or wait longer with --wait SECONDS`,
        );
      }
      if (!told)
        options.onWait?.(
          `${file}: in use by ${holder}; waiting up to ` + `${options.waitSeconds ?? DEFAULT_WAIT_SECONDS} s for it`,
        );
      told = true;
      await new Promise((r) => setTimeout(r, RETRY_MS));
    }
  }
}

/** The store's schema version, or undefined for an empty database. */
async function storedVersion(file: string, connection: DuckDBConnection): Promise<number | undefined> {
  const reader = await connection.runAndReadAll(
    `SELECT table_name FROM duckdb_tables() WHERE database_name = ` + `current_database()`,
  );
  const tables = reader.getRowsJS().map((r) => String(r[0]));
  if (tables.length === 0) return undefined;
  if (!tables.includes('modelbench_schema')) {
    throw new HistoryError(
      `${file}: a DuckDB database, but not a modelbench history store (it ` +
        `has no modelbench_schema table); give another --store file`,
    );
  }
  const rows = (await connection.runAndReadAll('SELECT max(version) FROM modelbench_schema')).getRowsJS();
  return Number(rows[0]?.[0]);
}

/**
 * Opens (and, for writing, creates) the store; a newer schema or a file that is not a store is refused before anything
 * is read or written.
 */
export async function openStore(file: string, options: OpenOptions): Promise<Store> {
  if (!options.write && !fs.existsSync(file))
    throw new HistoryError(
      `${file}: no such store; create it with \`modelbench history add RUN...\`, ` + `or name it with --store FILE`,
    );
  if (fs.existsSync(file) && !fs.statSync(file).isFile())
    throw new HistoryError(`${file}: a folder, not a store file; give a file name with --store FILE`);
  if (options.write) fs.mkdirSync(path.dirname(path.resolve(file)), { recursive: true });
  const instance = await createInstance(file, options);
  const connection = await instance.connect();
  const close = () => {
    connection.closeSync();
    instance.closeSync();
  };
  try {
    const version = await checkedVersion(file, connection, options);
    return { file, connection, version, close };
  } catch (e) {
    close();
    throw e;
  }
}

/** The schema version, after creating an empty store's tables or upgrading an older one when writing. */
async function checkedVersion(file: string, connection: DuckDBConnection, options: OpenOptions): Promise<number> {
  const version = await storedVersion(file, connection);
  if (version !== undefined && version > SCHEMA_VERSION) {
    throw new HistoryError(
      `${file}: written by history schema version ${version}; this ` +
        `modelbench reads up to version ${SCHEMA_VERSION}: ` +
        (`use a newer modelbench, or rebuild the store from the run folders ` +
          `with this one (history add into a new --store)`),
    );
  }
  if (!options.write) return version ?? SCHEMA_VERSION;
  if (version === undefined) await createSchema(connection);
  else if (version < SCHEMA_VERSION) {
    try {
      options.onUpgrade?.(await upgradeFromV1(connection, file));
    } catch (e) {
      throw new HistoryError(
        `${file}: cannot upgrade the store from schema version ${version} (${duckdbReason(e)}); it is left as it ` +
          `was: rebuild it from the run folders (history add into a new --store)`,
      );
    }
  }
  return SCHEMA_VERSION;
}

async function createSchema(connection: DuckDBConnection): Promise<void> {
  await connection.run('BEGIN TRANSACTION');
  for (const sql of createStoreSql()) await connection.run(sql);
  await connection.run(`INSERT INTO modelbench_schema VALUES (${SCHEMA_VERSION}, 'modelbench')`);
  await connection.run('COMMIT');
}
