// The relay between processes over Redis pub/sub (enabled by REDIS_URL): one channel per
// document, one for process-wide events. Messages are binary and carry the sending process's
// id, so a process ignores its own.
import { randomBytes } from 'node:crypto';
import { Redis } from 'ioredis';
import * as encoding from 'lib0/encoding';
import * as decoding from 'lib0/decoding';
import { logger } from '../log';
import type { GlobalEvent, Relay, RelayMessage } from './relay';

const PREFIX = 'panelroom:collab:';
const GLOBAL = `${PREFIX}global`;
const TYPE = { update: 0, awareness: 1, event: 2 } as const;

export class RedisRelay implements Relay {
	readonly shared = true;
	private readonly id = randomBytes(16);
	private readonly handlers = new Map<string, Set<(m: RelayMessage) => void>>();
	private readonly globalHandlers = new Set<(e: GlobalEvent) => void>();

	private constructor(
		private readonly pub: Redis,
		private readonly sub: Redis
	) {
		sub.on('messageBuffer', (channel: Buffer, message: Buffer) => this.receive(channel.toString(), message));
	}

	static async connect(url: string): Promise<RedisRelay> {
		const pub = new Redis(url, { lazyConnect: true, maxRetriesPerRequest: 3 });
		const sub = pub.duplicate();
		await Promise.all([pub.connect(), sub.connect()]);
		const relay = new RedisRelay(pub, sub);
		await sub.subscribe(GLOBAL);
		return relay;
	}

	publish(documentId: string, message: RelayMessage): void {
		const e = encoding.createEncoder();
		encoding.writeUint8Array(e, this.id);
		encoding.writeUint8(e, TYPE[message.type]);
		if (message.type === 'update') {
			encoding.writeVarUint(e, message.seq);
			encoding.writeVarUint8Array(e, message.data);
		} else if (message.type === 'awareness') {
			encoding.writeVarUint8Array(e, message.data);
		} else {
			encoding.writeVarString(e, JSON.stringify(message.event));
		}
		this.send(PREFIX + documentId, encoding.toUint8Array(e));
	}

	subscribe(documentId: string, handler: (message: RelayMessage) => void): () => void {
		let set = this.handlers.get(documentId);
		if (!set) {
			this.handlers.set(documentId, (set = new Set()));
			this.sub.subscribe(PREFIX + documentId).catch((err) => logger().error({ err, documentId }, 'relay subscribe failed'));
		}
		set.add(handler);
		return () => {
			set.delete(handler);
			if (set.size === 0 && this.handlers.get(documentId) === set) {
				this.handlers.delete(documentId);
				this.sub.unsubscribe(PREFIX + documentId).catch(() => {});
			}
		};
	}

	publishGlobal(event: GlobalEvent): void {
		const e = encoding.createEncoder();
		encoding.writeUint8Array(e, this.id);
		encoding.writeVarString(e, JSON.stringify(event));
		this.send(GLOBAL, encoding.toUint8Array(e));
	}

	onGlobal(handler: (event: GlobalEvent) => void): () => void {
		this.globalHandlers.add(handler);
		return () => this.globalHandlers.delete(handler);
	}

	async close(): Promise<void> {
		await Promise.allSettled([this.pub.quit(), this.sub.quit()]);
	}

	private send(channel: string, payload: Uint8Array): void {
		this.pub.publish(channel, Buffer.from(payload.buffer, payload.byteOffset, payload.byteLength)).catch((err) => {
			// Another process that misses an update catches up from the database on its next gap check.
			logger().warn({ err, channel }, 'relay publish failed');
		});
	}

	private receive(channel: string, message: Buffer): void {
		try {
			const d = decoding.createDecoder(new Uint8Array(message.buffer, message.byteOffset, message.byteLength));
			const origin = decoding.readUint8Array(d, 16);
			if (Buffer.compare(origin, this.id) === 0) return;
			if (channel === GLOBAL) {
				const event = JSON.parse(decoding.readVarString(d)) as GlobalEvent;
				for (const h of this.globalHandlers) h(event);
				return;
			}
			const handlers = this.handlers.get(channel.slice(PREFIX.length));
			if (!handlers) return;
			const type = decoding.readUint8(d);
			let msg: RelayMessage;
			if (type === TYPE.update) {
				const seq = decoding.readVarUint(d);
				msg = { type: 'update', seq, data: decoding.readVarUint8Array(d) };
			} else if (type === TYPE.awareness) {
				msg = { type: 'awareness', data: decoding.readVarUint8Array(d) };
			} else {
				msg = { type: 'event', event: JSON.parse(decoding.readVarString(d)) };
			}
			for (const h of handlers) h(msg);
		} catch (err) {
			logger().warn({ err, channel }, 'relay message dropped');
		}
	}
}
