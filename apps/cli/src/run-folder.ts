/**
 * The run folder of `tessera train`: a lock so that only one process trains into it, the removal
 * of temporary files a killed run left behind, and atomic writes (temp file, fsync, rename, fsync
 * of the folder).
 */
import { closeSync, fsyncSync, openSync, readdirSync, readFileSync, rmSync, unlinkSync, writeSync } from "node:fs";
import { open, rename, rm } from "node:fs/promises";
import { dirname, join } from "node:path";
import { CliError } from "./zoo.js";

/** Name of the lock file inside the run folder. */
export const LOCK_FILE = "train.lock";

/** Temporary files written by {@link writeAtomic} and by `@tessera/nn`'s `writeFileAtomic`: `NAME.PID.TIME.tmp`. */
const TEMP = /\.\d+\.\d+\.tmp$/;

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (e) {
    return (e as NodeJS.ErrnoException).code === "EPERM";
  }
}

/**
 * Takes the folder's lock: creates `train.lock` exclusively (O_EXCL) with this process's pid. A
 * lock whose process is gone is taken over; a live one is refused. Returns the release function.
 */
export function lockRunFolder(dir: string): () => void {
  const path = join(dir, LOCK_FILE);
  for (let attempt = 0; attempt < 2; attempt++) {
    let fd: number;
    try {
      fd = openSync(path, "wx");
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code !== "EEXIST") throw e;
      const text = readFileSync(path, "utf8").trim();
      const pid = Number(text);
      if (/^\d+$/.test(text) && alive(pid)) {
        throw new CliError(`${dir} is in use by another training process (pid ${pid}); wait for it to finish, or choose another --out`);
      }
      // A stale lock (its process is gone, or the file is damaged): take it over.
      rmSync(path, { force: true });
      continue;
    }
    writeSync(fd, `${process.pid}\n`);
    fsyncSync(fd);
    closeSync(fd);
    let released = false;
    const release = () => {
      if (released) return;
      released = true;
      process.off("exit", release);
      try {
        if (readFileSync(path, "utf8").trim() === String(process.pid)) unlinkSync(path);
      } catch {
        // already gone
      }
    };
    process.on("exit", release);
    return release;
  }
  throw new CliError(`could not take the lock ${path}: another process took it at the same moment`);
}

/** Removes temporary files that a killed run left in `dir` (call with the lock held). Returns their names. */
export function removeOrphanedTemps(dir: string): string[] {
  const names = readdirSync(dir).filter((n) => TEMP.test(n));
  for (const n of names) rmSync(join(dir, n), { force: true });
  return names;
}

/**
 * Writes `data` to `path` atomically: a temporary file beside it, fsync, `beforeRename()` (a test
 * hook), rename over `path`, fsync of the folder so the rename survives a power cut.
 */
export async function writeAtomic(path: string, data: Uint8Array | string, beforeRename?: () => void): Promise<void> {
  const tmp = `${path}.${process.pid}.${Date.now()}.tmp`;
  const fh = await open(tmp, "wx");
  try {
    await fh.writeFile(data);
    await fh.sync();
  } finally {
    await fh.close();
  }
  beforeRename?.(); // a throw here leaves the temporary file behind, as a kill would
  try {
    await rename(tmp, path);
  } catch (e) {
    await rm(tmp, { force: true });
    throw e;
  }
  const folder = await open(dirname(path) || ".", "r");
  try {
    await folder.sync();
  } catch {
    // some file systems cannot fsync a folder; the rename is still atomic
  } finally {
    await folder.close();
  }
}
