// argon2id at the OWASP minimum, in the low-memory form of its equivalent settings (m=7168 KiB,
// t=5, p=1; the cheat sheet lists it beside m=19456 KiB, t=2 as an equal defence). Every hash in
// progress holds its m in memory and libuv runs four at once: 30 people signing in together cost
// 28 MB of peak memory instead of 76. Hashes made with other settings still verify (they carry them).
//
// The native module is loaded at the first sign-in, not at start: a node that only serves
// documents and the control plane never needs it (its library is ~0.5 MB of resident memory).
type Argon2 = typeof import('@node-rs/argon2');
let argon2: Promise<Argon2> | undefined;
const loadArgon2 = () => (argon2 ??= import('@node-rs/argon2'));

const ARGON2ID = 2; // @node-rs/argon2 Algorithm.Argon2id (a const enum, so not importable at runtime)
const OPTIONS = { algorithm: ARGON2ID, memoryCost: 7168, timeCost: 5, parallelism: 1 } as const;

export const MIN_PASSWORD_LENGTH = 10;

export async function hashPassword(password: string): Promise<string> {
  return (await loadArgon2()).hash(password, OPTIONS);
}

export async function verifyPassword(passwordHash: string, password: string): Promise<boolean> {
  try {
    return await (await loadArgon2()).verify(passwordHash, password);
  } catch {
    return false;
  }
}
