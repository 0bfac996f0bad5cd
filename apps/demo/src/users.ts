import { mkdir, readFile, rename, writeFile } from "node:fs/promises";
import { dirname } from "node:path";
import { randomToken } from "@tessera/signing";

/** One account. `passwordHash` is the scrypt string of `password.ts`. */
export interface User {
  id: string;
  username: string;
  passwordHash: string;
  createdAt: number;
}

/** 3 to 32 characters: lower-case letters, digits, `.`, `_`, `-`. */
export const USERNAME_PATTERN = /^[a-z0-9._-]{3,32}$/;

/** Folds a typed username to its canonical form (case-insensitive accounts). */
export function normalizeUsername(input: unknown): string | null {
  if (typeof input !== "string") return null;
  const name = input.trim().toLowerCase();
  return USERNAME_PATTERN.test(name) ? name : null;
}

/**
 * The demo's accounts: in memory, or mirrored to a small JSON file when a
 * path is given (written whole, through a temporary file and a rename, so a
 * crash never leaves half a file). A real application keeps users in its
 * database; this is deliberately dependency-free.
 */
export class UserDirectory {
  readonly #byId = new Map<string, User>();
  readonly #byName = new Map<string, User>();
  readonly #file: string | undefined;
  #writing: Promise<void> = Promise.resolve();

  private constructor(file: string | undefined) {
    this.#file = file;
  }

  /** Opens the directory; with `file`, loads it when present. */
  static async open(file?: string): Promise<UserDirectory> {
    const users = new UserDirectory(file);
    if (file !== undefined) {
      let text: string | undefined;
      try {
        text = await readFile(file, "utf8");
      } catch (error) {
        if ((error as NodeJS.ErrnoException).code !== "ENOENT") throw error;
      }
      if (text !== undefined) {
        for (const user of JSON.parse(text) as User[]) users.#index(user);
      }
    }
    return users;
  }

  #index(user: User): void {
    this.#byId.set(user.id, user);
    this.#byName.set(user.username, user);
  }

  get size(): number {
    return this.#byId.size;
  }

  findById(id: string | undefined): User | undefined {
    return id === undefined ? undefined : this.#byId.get(id);
  }

  findByUsername(username: string): User | undefined {
    return this.#byName.get(username);
  }

  /** Creates an account; null when the username is taken. */
  async create(username: string, passwordHash: string): Promise<User | null> {
    if (this.#byName.has(username)) return null;
    const user: User = {
      id: `u_${randomToken(16)}`,
      username,
      passwordHash,
      createdAt: Date.now(),
    };
    this.#index(user);
    await this.#save();
    return user;
  }

  async setPasswordHash(id: string, passwordHash: string): Promise<void> {
    const user = this.#byId.get(id);
    if (user === undefined) return;
    user.passwordHash = passwordHash;
    await this.#save();
  }

  #save(): Promise<void> {
    const file = this.#file;
    if (file === undefined) return Promise.resolve();
    // Serialised: two sign-ups at once must not interleave their writes.
    const run = this.#writing.then(async () => {
      await mkdir(dirname(file), { recursive: true });
      const temp = `${file}.${process.pid}.tmp`;
      await writeFile(temp, JSON.stringify([...this.#byId.values()], null, 2), { mode: 0o600 });
      await rename(temp, file);
    });
    this.#writing = run.catch(() => {});
    return run;
  }
}
