/**
 * A small JSON state file for the sandbox clouds, under the data directory. Writes are atomic
 * (temp file, fsync, rename, fsync of the directory), so a crash leaves the old state or the new one,
 * never half a file; updates in this process run one at a time. One process owns the data directory
 * (its lock), so there is no cross-process locking here.
 */
import { randomBytes } from 'node:crypto';
import { mkdir, open, readFile, rename, rm } from 'node:fs/promises';
import { dirname } from 'node:path';
import { ChatopsError } from '../../core/errors.ts';

export class JsonStateFile<T> {
  readonly path: string;
  readonly #empty: () => T;
  readonly #check: (raw: unknown) => T;
  #queue: Promise<unknown> = Promise.resolve();

  /**
   * @param empty the state when the file does not exist yet
   * @param check validates what was read (throws when it is not a state of this kind)
   */
  constructor(path: string, empty: () => T, check: (raw: unknown) => T) {
    this.path = path;
    this.#empty = empty;
    this.#check = check;
  }

  async read(): Promise<T> {
    let text: string;
    try {
      text = await readFile(this.path, 'utf8');
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code === 'ENOENT') return this.#empty();
      throw err;
    }
    try {
      return this.#check(JSON.parse(text));
    } catch (err) {
      throw new ChatopsError(
        'environment',
        `the sandbox state file ${this.path} is damaged (${err instanceof Error ? err.message : String(err)}); move it away to start that sandbox afresh`,
        { cause: err },
      );
    }
  }

  /** Reads the state, lets `change` modify it (or throw to leave it alone), and writes it back atomically. */
  update<R>(change: (state: T) => R | Promise<R>): Promise<R> {
    const run = this.#queue.then(async () => {
      const state = await this.read();
      const result = await change(state);
      await writeAtomically(this.path, `${JSON.stringify(state, null, 1)}\n`);
      return result;
    });
    this.#queue = run.catch(() => undefined);
    return run;
  }

  /** Runs `look` on the current state after any pending update. */
  view<R>(look: (state: T) => R): Promise<R> {
    const run = this.#queue.then(async () => look(await this.read()));
    this.#queue = run.catch(() => undefined);
    return run;
  }
}

async function writeAtomically(path: string, text: string): Promise<void> {
  const dir = dirname(path);
  await mkdir(dir, { recursive: true });
  const tmp = `${path}.${process.pid}.${randomBytes(4).toString('hex')}.tmp`;
  try {
    const fh = await open(tmp, 'w', 0o600);
    try {
      await fh.writeFile(text, 'utf8');
      await fh.sync();
    } finally {
      await fh.close();
    }
    await rename(tmp, path);
  } catch (err) {
    await rm(tmp, { force: true });
    throw err;
  }
  try {
    const d = await open(dir, 'r');
    try {
      await d.sync();
    } finally {
      await d.close();
    }
  } catch {
    // Directories cannot be opened for fsync on some platforms; the rename has happened.
  }
}
