// Argon2id password hashing (OWASP's recommended parameters: 19 MiB, 2 passes, 1 lane).
import { hash, verify } from '@node-rs/argon2';

const OPTIONS = { memoryCost: 19456, timeCost: 2, parallelism: 1, outputLen: 32 } as const;

export const PASSWORD_MIN = 8;
export const PASSWORD_MAX = 128;

export function hashPassword(password: string): Promise<string> {
	return hash(password.normalize('NFKC'), OPTIONS);
}

export async function verifyPassword(passwordHash: string, password: string): Promise<boolean> {
	try {
		return await verify(passwordHash, password.normalize('NFKC'));
	} catch {
		return false;
	}
}

let dummy: Promise<string> | undefined;
/**
 * Spends the time a real verification would, so that "no such user" and "wrong password"
 * cannot be told apart by timing.
 */
export async function burnVerification(password: string): Promise<void> {
	dummy ??= hashPassword('panelroom-timing-equalizer');
	await verifyPassword(await dummy, password);
}
