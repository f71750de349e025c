// A TCP proxy in front of a real server (Postgres) that a test can cut and restore: what the
// app sees when the database restarts (every connection dropped, new ones refused), without
// restarting the Postgres that other suites share.
import net from 'node:net';

export interface Proxy {
	port: number;
	/** Drops every connection and refuses new ones until restored. */
	cut(): void;
	restore(): void;
	close(): Promise<void>;
}

export async function tcpProxy(targetPort: number, targetHost = '127.0.0.1'): Promise<Proxy> {
	const open = new Set<net.Socket>();
	let down = false;
	const server = net.createServer((client) => {
		if (down) return client.destroy();
		const upstream = net.connect(targetPort, targetHost);
		open.add(client).add(upstream);
		const drop = () => {
			client.destroy();
			upstream.destroy();
			open.delete(client);
			open.delete(upstream);
		};
		client.on('error', drop).on('close', drop);
		upstream.on('error', drop).on('close', drop);
		client.pipe(upstream);
		upstream.pipe(client);
	});
	await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
	return {
		port: (server.address() as net.AddressInfo).port,
		cut() {
			down = true;
			for (const s of open) s.destroy();
			open.clear();
		},
		restore() {
			down = false;
		},
		close: () =>
			new Promise<void>((resolve) => {
				for (const s of open) s.destroy();
				server.close(() => resolve());
			})
	};
}
