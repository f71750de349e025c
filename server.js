// Production entry: `node server.js` after `npm run build` (npm start does both).
// One port serves pages, Socket.IO (/socket.io) and collaboration (/collab/<id>).
process.env.BODY_SIZE_LIMIT ??= '30M'; // PDF attachments; adapter-node reads this at import

// Without ORIGIN, adapter-node assumes https, so cookies would be Secure on plain http and
// lost on an intranet address. Tell it the protocol the connection really used instead.
const connectionProtocol = !process.env.ORIGIN && !process.env.PROTOCOL_HEADER;
if (connectionProtocol) process.env.PROTOCOL_HEADER = 'x-panelroom-proto';

const { startServer } = await import('./build/realtime/server.js');
const { handler } = await import('./build/handler.js');
const app = await startServer({ handler, connectionProtocol });

for (const signal of ['SIGINT', 'SIGTERM']) {
	process.once(signal, () => {
		app.stop().then(
			() => process.exit(0),
			(err) => {
				console.error(err);
				process.exit(1);
			}
		);
	});
}
