import type { Principal } from '$lib/server/auth/principal';
import type { Logger } from 'pino';

declare global {
	namespace App {
		interface Error {
			message: string;
			requestId?: string;
		}
		interface Locals {
			principal: Principal | null;
			requestId: string;
			log: Logger;
			ip: string | null;
			/** The request failed because the database is unavailable (answered 503, not 500). */
			unavailable?: boolean;
		}
		// interface PageData {}
		// interface PageState {}
		// interface Platform {}
	}
}

export {};
