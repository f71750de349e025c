// The reference for the collaboration benchmark: @y/websocket-server 0.1.1's own connection
// handler on a plain HTTP server. It keeps documents in memory and persists nothing.
// Usage: PORT=4000 node bench/collab/reference-server.mjs
import http from 'node:http';
import { WebSocketServer } from 'ws';
import { setupWSConnection } from '@y/websocket-server/utils';

const port = Number(process.env.PORT || 4000);
const server = http.createServer((_req, res) => {
	res.writeHead(200, { 'content-type': 'text/plain' });
	res.end('ok');
});
const wss = new WebSocketServer({ noServer: true });
server.on('upgrade', (req, socket, head) => {
	wss.handleUpgrade(req, socket, head, (ws) => {
		// /collab/<room>, as Panelroom's clients address documents.
		const docName = (req.url || '/').split('?')[0].replace(/^\/collab\//, '').replace(/^\//, '');
		setupWSConnection(ws, req, { docName });
	});
});
server.listen(port, '127.0.0.1', () => console.log(`reference y-websocket server on ${port}`));
for (const signal of ['SIGINT', 'SIGTERM']) process.once(signal, () => process.exit(0));
