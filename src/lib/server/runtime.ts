// Process-wide singletons. The SvelteKit handler and the realtime server are bundled
// separately in production (build/handler.js and build/realtime/), so a module-level
// variable would exist twice; globalThis holds the one database connection (PGlite
// allows only one), the Socket.IO server and the collaboration server.

export interface RuntimeSlots {
	[key: string]: unknown;
}

const KEY = Symbol.for('panelroom.runtime');
type Holder = { [KEY]?: RuntimeSlots };

export function runtime(): RuntimeSlots {
	const g = globalThis as Holder;
	return (g[KEY] ??= {});
}

export function slot<T>(name: string): { get(): T | undefined; set(value: T | undefined): void } {
	return {
		get: () => runtime()[name] as T | undefined,
		set: (value) => {
			if (value === undefined) delete runtime()[name];
			else runtime()[name] = value;
		}
	};
}
