// One step of the demo seed: the steps live in their own files and seed.ts runs them in order.
import type { Tx } from '../db';

export interface SeedStep {
	name: string;
	/** True when this step's data is already there. */
	done(tx: Tx): Promise<boolean>;
	run(tx: Tx, ctx: SeedContext): Promise<void>;
}

export interface SeedContext {
	passwordHash: string;
}
