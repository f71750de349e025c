// Every setting Panelroom reads from the environment, parsed once. README.md lists them.
import path from 'node:path';

function bool(value: string | undefined): boolean | undefined {
	if (value === undefined || value === '') return undefined;
	return ['1', 'true', 'yes', 'on'].includes(value.toLowerCase());
}

function int(value: string | undefined, fallback: number): number {
	const n = Number.parseInt(value ?? '', 10);
	return Number.isFinite(n) && n > 0 ? n : fallback;
}

function hour(value: string | undefined, fallback: number): number {
	const n = Number.parseInt(value ?? '', 10);
	return Number.isInteger(n) && n >= 0 && n <= 23 ? n : fallback;
}

export interface Config {
	databaseUrl: string | undefined;
	dataDir: string;
	demo: boolean;
	port: number;
	host: string;
	origin: string | undefined;
	logLevel: string;
	redisUrl: string | undefined;
	/** Largest y-websocket or Socket.IO message accepted, in bytes. */
	maxMessageBytes: number;
	sessionDays: number;
	/** A session unused this long ends (minutes). */
	sessionIdleMinutes: number;
	/** The audit seal key (PANELROOM_AUDIT_KEY); unset means `<dataDir>/audit.key`. */
	auditKey: string | undefined;
	/** Anchor the audit chain head outside the database after this many new entries… */
	auditAnchorRows: number;
	/** …or this many seconds, whichever comes first (and at every lock). */
	auditAnchorSeconds: number;
	/** Notification mail goes through this SMTP server (smtp://user:pass@host:port); unset: inbox only. */
	smtpUrl: string | undefined;
	/** The From of notification mail. */
	mailFrom: string;
	/** The Beijing hour (0–23) the daily digest goes out. */
	digestHour: number;
	/** How often the notification loops (deadlines, digests, outbox) run, in seconds. */
	notifyTickSeconds: number;
	/** A failed mail is retried after this many seconds, doubling each time. */
	mailRetrySeconds: number;
}

export function readConfig(env: NodeJS.ProcessEnv = process.env): Config {
	const databaseUrl = env.DATABASE_URL || undefined;
	return {
		databaseUrl,
		dataDir: path.resolve(env.PANELROOM_DATA || './data'),
		// Demo data is on by default for the embedded database only: a real server
		// never gets demo passwords unless someone asks for them.
		demo: bool(env.PANELROOM_DEMO) ?? !databaseUrl,
		port: int(env.PORT, 3000),
		host: env.HOST || '0.0.0.0',
		origin: env.ORIGIN || undefined,
		logLevel: env.LOG_LEVEL || 'info',
		redisUrl: env.REDIS_URL || undefined,
		maxMessageBytes: int(env.PANELROOM_MAX_MESSAGE_BYTES, 2 * 1024 * 1024),
		sessionDays: int(env.PANELROOM_SESSION_DAYS, 30),
		sessionIdleMinutes: int(env.PANELROOM_SESSION_IDLE_MINUTES, 30),
		auditKey: env.PANELROOM_AUDIT_KEY || undefined,
		auditAnchorRows: int(env.PANELROOM_AUDIT_ANCHOR_ROWS, 100),
		auditAnchorSeconds: int(env.PANELROOM_AUDIT_ANCHOR_SECONDS, 300),
		smtpUrl: env.SMTP_URL || undefined,
		mailFrom: env.PANELROOM_MAIL_FROM || 'Panelroom <noreply@panelroom.local>',
		digestHour: hour(env.PANELROOM_DIGEST_HOUR, 8),
		notifyTickSeconds: int(env.PANELROOM_NOTIFY_TICK_SECONDS, 30),
		mailRetrySeconds: int(env.PANELROOM_MAIL_RETRY_SECONDS, 60)
	};
}

let cached: Config | undefined;
export function config(): Config {
	return (cached ??= readConfig());
}
