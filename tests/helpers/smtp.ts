// A real SMTP server in the test process (smtp-server), keeping every message it accepts,
// parsed (mailparser). `refuseNext(n)` makes it answer the next n messages with a 451.
import { SMTPServer } from 'smtp-server';
import { simpleParser, type ParsedMail } from 'mailparser';
import type { AddressInfo } from 'node:net';

export interface TestSmtp {
	url: string;
	port: number;
	received: ParsedMail[];
	refuseNext(n: number): void;
	/** Resolves when at least `count` mails have arrived (or rejects after `ms`). */
	waitFor(count: number, ms?: number): Promise<ParsedMail[]>;
	close(): Promise<void>;
}

export async function startSmtp(): Promise<TestSmtp> {
	const received: ParsedMail[] = [];
	let refuse = 0;
	const server = new SMTPServer({
		authOptional: true,
		disabledCommands: ['STARTTLS', 'AUTH'],
		logger: false,
		onData(stream, _session, callback) {
			const chunks: Buffer[] = [];
			stream.on('data', (c: Buffer) => chunks.push(c));
			stream.on('end', async () => {
				if (refuse > 0) {
					refuse--;
					const err = Object.assign(new Error('Mailbox temporarily unavailable'), { responseCode: 451 });
					return callback(err);
				}
				received.push(await simpleParser(Buffer.concat(chunks)));
				callback();
			});
		}
	});
	await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', () => resolve()));
	const port = (server.server.address() as AddressInfo).port;
	return {
		url: `smtp://127.0.0.1:${port}`,
		port,
		received,
		refuseNext: (n) => (refuse = n),
		async waitFor(count, ms = 15_000) {
			const until = Date.now() + ms;
			while (received.length < count) {
				if (Date.now() > until) throw new Error(`expected ${count} mails, got ${received.length}`);
				await new Promise((r) => setTimeout(r, 50));
			}
			return received;
		},
		close: () => new Promise<void>((resolve) => server.close(() => resolve()))
	};
}
