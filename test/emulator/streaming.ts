// The Streaming API's CometD endpoint for Change Data Capture channels: Bayeux 1.0 over long-polling (handshake,
// connect, subscribe, unsubscribe, disconnect) at /cometd/<version>, the replay extension, Salesforce's answers to
// expired sessions and bad subscriptions, and its timeouts (Streaming API Developer Guide: "Clients and Timeouts",
// "Message Durability", "Handling Streaming API Errors", "Streaming API Error Codes").
import { randomBytes } from 'node:crypto';
import { MAX_VERSION, json, route } from './http.ts';
import type { Reply, Request, Route } from './http.ts';
import type { Org } from './org.ts';

/** "Streaming API Error Codes": only API versions 37.0 and later are supported (durable streaming). */
export const STREAMING_MIN_VERSION = 37;
/** "Clients and Timeouts": a long-poll without events is answered after 110 s (the advice's timeout). */
export const CONNECT_TIMEOUT_MS = 110_000;
/** "Clients and Timeouts": a client that does not reconnect within 40 s of an answer loses its session. */
export const RECONNECT_TIMEOUT_MS = 40_000;
/** How often waiting clients' sessions are checked ("Streaming API regularly validates the OAuth token"). */
const VALIDATION_INTERVAL_MS = 250;
/** The cookie a Bayeux session is bound to ("Clients and Cookies for Streaming API"). */
const SESSION_COOKIE = 'BAYEUX_BROWSER';
const URI_FORMAT = `URI format: '/cometd/${MAX_VERSION}.0'`;

export type BayeuxMessage = Record<string, unknown> & { channel?: string; id?: string; clientId?: string };

export interface StreamingTimeouts {
	/** How long a connect waits for events before it is answered empty (default 110,000 ms). */
	connectMs: number;
	/** How long a session lives without a new request after an answer (default 40,000 ms). */
	reconnectMs: number;
}

interface Subscription {
	channel: string;
	carries: (entityName: string) => boolean;
	/** The replay ID after which this subscription's next events come. */
	cursor: number;
}

/** Why a waiting connect is answered. */
type Wake = 'events' | 'timeout' | 'replaced' | 'unauthorized' | 'dropped' | 'disconnected' | 'aborted' | 'closed';

interface Session {
	id: string;
	subscriptions: Map<string, Subscription>;
	connected: boolean;
	waiting?: { wake: (why: Wake) => void; token: string };
	lastSeen: number;
}

export class StreamingApi {
	readonly timeouts: StreamingTimeouts = { connectMs: CONNECT_TIMEOUT_MS, reconnectMs: RECONNECT_TIMEOUT_MS };
	private readonly org: Org;
	private readonly sessions = new Map<string, Session>();
	private validation: NodeJS.Timeout | undefined;

	constructor(org: Org) {
		this.org = org;
		org.cdc.onPublish(() => {
			for (const session of this.sessions.values()) if (session.waiting && this.hasEvents(session)) session.waiting.wake('events');
		});
	}

	routes(): Route[] {
		const handler = (req: Request) => this.handle(req);
		return ['/cometd', '/cometd/{cometdVersion}', '/cometd/{cometdVersion}/{messageType}'].map((pattern) => route('POST', pattern, 'data', handler, false));
	}

	setTimeouts(timeouts: Partial<StreamingTimeouts>): void {
		for (const [key, value] of Object.entries(timeouts)) {
			if (!(Number.isInteger(value) && value > 0)) throw new TypeError(`${key} must be a whole number of milliseconds > 0`);
		}
		Object.assign(this.timeouts, timeouts);
	}

	/** Forgets every Bayeux session, as when a client's server-side state is lost: its next request meets 403::Unknown client. */
	dropSessions(): void {
		for (const session of this.sessions.values()) session.waiting?.wake('dropped');
		this.sessions.clear();
	}

	close(): void {
		for (const session of this.sessions.values()) session.waiting?.wake('closed');
		this.sessions.clear();
		clearInterval(this.validation);
		this.validation = undefined;
	}

	private async handle(req: Request): Promise<Reply> {
		const token = /^(?:Bearer|OAuth)\s+(.+)$/i.exec(String(req.headers.authorization ?? ''))?.[1];
		// Sent without a channel or id, as Salesforce's front end answers (restforce issue #103 shows the body).
		if (!token) return json(401, [{ error: '401::Request requires authentication', successful: false }]);
		let parsed: unknown;
		try {
			parsed = JSON.parse(req.body.toString('utf8'));
		} catch {
			return { status: 400 };
		}
		const messages = (Array.isArray(parsed) ? parsed : [parsed]).filter((m): m is BayeuxMessage => Boolean(m) && typeof m === 'object');
		const versionError = unsupportedVersion(req.params.cometdVersion);
		const headers: Record<string, string> = {};
		const replies: BayeuxMessage[] = [];
		for (const message of messages) {
			if (versionError) replies.push(failure(message, versionError, { reconnect: 'none' }));
			else replies.push(...(await this.process(message, token, req, headers)));
		}
		return { status: 200, headers, body: replies };
	}

	private async process(message: BayeuxMessage, token: string, req: Request, headers: Record<string, string>): Promise<BayeuxMessage[]> {
		if (message.channel === '/meta/handshake') return [this.handshake(message, token, headers)];
		const session = this.sessions.get(String(message.clientId ?? ''));
		// "Handling Streaming API Errors", 403 Unknown Client: the client must handshake again.
		if (!session) return [failure(message, '403::Unknown client', { reconnect: 'handshake', interval: 0 })];
		if (!cookies(req).has(SESSION_COOKIE)) {
			return [failure(message, `400::Client ${session.id} has established a session, but no ${SESSION_COOKIE} cookie present`)];
		}
		if (!this.org.oauth.session(token)) return this.authenticationInvalid(session, message);
		session.lastSeen = Date.now();
		switch (message.channel) {
			case '/meta/connect':
				return this.connect(session, message, token, req.signal);
			case '/meta/subscribe':
				return [this.subscribe(session, message)];
			case '/meta/unsubscribe':
				session.subscriptions.delete(String(message.subscription));
				return [{ clientId: session.id, channel: message.channel, id: message.id, subscription: message.subscription, successful: true }];
			case '/meta/disconnect':
				this.sessions.delete(session.id);
				session.waiting?.wake('disconnected');
				return [{ clientId: session.id, channel: message.channel, id: message.id, successful: true }];
		}
		return [failure(message, '403::Publish denied')];
	}

	/**
	 * "Handling Streaming API Errors": a handshake with an invalid session fails with 403::Handshake denied, the
	 * 401::Authentication invalid reason nested in ext (the shape jsforce's AuthFailure extension documents).
	 */
	private handshake(message: BayeuxMessage, token: string, headers: Record<string, string>): BayeuxMessage {
		if (!this.org.oauth.session(token)) {
			return {
				ext: { sfdc: { failureReason: '401::Authentication invalid' }, replay: true }, advice: { reconnect: 'none' },
				channel: '/meta/handshake', id: message.id, error: '403::Handshake denied', successful: false,
			};
		}
		const id = BigInt(`0x${randomBytes(16).toString('hex')}`).toString(36);
		const session: Session = { id, subscriptions: new Map(), connected: false, lastSeen: Date.now() };
		this.sessions.set(session.id, session);
		this.validation ??= setInterval(() => this.validate(), VALIDATION_INTERVAL_MS).unref();
		headers['set-cookie'] = `${SESSION_COOKIE}=${randomBytes(12).toString('base64url')}; Path=/; HttpOnly`;
		return {
			ext: { replay: true, 'payload.format': true }, minimumVersion: '1.0', clientId: session.id, supportedConnectionTypes: ['long-polling'],
			channel: '/meta/handshake', id: message.id, version: '1.0', successful: true,
		};
	}

	/**
	 * A long-poll: answered at once with the events due (the first connect of a session always at once), otherwise
	 * when events arrive, after the connect timeout, or with 401::Authentication invalid when the session's token stops
	 * being valid meanwhile.
	 */
	private async connect(session: Session, message: BayeuxMessage, token: string, signal: AbortSignal | undefined): Promise<BayeuxMessage[]> {
		if (message.connectionType !== 'long-polling') return [failure(message, `400::Invalid connection type {${String(message.connectionType)}}`)];
		session.waiting?.wake('replaced');
		const ok = { clientId: session.id, channel: '/meta/connect', id: message.id, successful: true, advice: { interval: 0, timeout: this.timeouts.connectMs, reconnect: 'retry' } };
		if (!session.connected || this.hasEvents(session)) {
			session.connected = true;
			return [...this.take(session), ok];
		}
		const waiting: NonNullable<Session['waiting']> = { token, wake: () => undefined };
		const why = await new Promise<Wake>((resolve) => {
			const timer = setTimeout(() => waiting.wake('timeout'), this.timeouts.connectMs).unref();
			const abort = () => waiting.wake('aborted');
			waiting.wake = (reason) => {
				clearTimeout(timer);
				signal?.removeEventListener('abort', abort);
				if (session.waiting === waiting) session.waiting = undefined;
				resolve(reason);
			};
			session.waiting = waiting;
			if (signal?.aborted) abort();
			else signal?.addEventListener('abort', abort, { once: true });
		});
		session.lastSeen = Date.now();
		switch (why) {
			case 'unauthorized':
				return this.authenticationInvalid(session, message);
			case 'dropped':
				return [failure(message, '403::Unknown client', { reconnect: 'handshake', interval: 0 })];
			case 'aborted':
			case 'closed':
				return [];
			case 'replaced':
			case 'disconnected':
				return [ok];
		}
		return [...this.take(session), ok];
	}

	/** A subscription to a change event channel, from the position the replay extension asks for (-1 when it asks none). */
	private subscribe(session: Session, message: BayeuxMessage): BayeuxMessage {
		const channel = message.subscription;
		if (typeof channel !== 'string' || !channel) return failure(message, '400::Channel name not specified');
		if (!channel.startsWith('/')) return failure(message, "400::Channel subscriptions must start with a leading '/'");
		const carries = this.org.cdc.channelFilter(channel);
		if (!carries) return failure(message, `400::The channel you requested to subscribe to does not exist {${channel}}`);
		const requested = (message.ext as { replay?: Record<string, unknown> } | undefined)?.replay?.[channel] ?? -1;
		const cursor = this.replayCursor(Number(requested));
		if (cursor === undefined) {
			// The wording clients report (forcedotcom/EMP-Connector issue #14), two spaces included.
			return failure(message, `400::The replayId {${String(requested)}} you provided was invalid.  Please provide a valid ID, -2 to replay all events, or -1 to replay only new events.`);
		}
		session.subscriptions.set(channel, { channel, carries, cursor });
		if (session.waiting && this.hasEvents(session)) session.waiting.wake('events');
		return { clientId: session.id, channel: '/meta/subscribe', id: message.id, subscription: channel, successful: true };
	}

	/** -1: new events only; -2: every retained event; an ID: the events after it, if it is still retained. */
	private replayCursor(replayId: number): number | undefined {
		const { cdc } = this.org;
		if (replayId === -1) return cdc.latestReplayId();
		if (replayId === -2) return (cdc.retained()[0]?.replayId ?? cdc.latestReplayId() + 1) - 1;
		return Number.isInteger(replayId) && replayId >= 0 && cdc.isRetained(replayId) ? replayId : undefined;
	}

	private hasEvents(session: Session): boolean {
		for (const subscription of session.subscriptions.values()) {
			if (this.org.cdc.after(subscription.cursor).some((event) => subscription.carries(event.entityName))) return true;
		}
		return false;
	}

	/** The session's due events as Bayeux messages on their subscriptions' channels; they are not delivered again. */
	private take(session: Session): BayeuxMessage[] {
		const messages: BayeuxMessage[] = [];
		for (const subscription of session.subscriptions.values()) {
			for (const event of this.org.cdc.after(subscription.cursor)) {
				if (subscription.carries(event.entityName)) messages.push({ channel: subscription.channel, data: event.data });
				subscription.cursor = event.replayId;
			}
		}
		return messages;
	}

	/**
	 * "Handling Streaming API Errors", 401 Authentication Errors: 401::Authentication invalid with reconnect none; on
	 * /meta/connect preceded by a /meta/disconnect message, as clients log it (restforce issue #589).
	 */
	private authenticationInvalid(session: Session, message: BayeuxMessage): BayeuxMessage[] {
		this.sessions.delete(session.id);
		const error = failure(message, '401::Authentication invalid', { reconnect: 'none', interval: 0 });
		return message.channel === '/meta/connect' ? [{ channel: '/meta/disconnect' }, error] : [error];
	}

	/** Answers waiting connects whose token expired; forgets sessions idle past the reconnect timeout. */
	private validate(): void {
		const now = Date.now();
		for (const session of this.sessions.values()) {
			if (session.waiting) {
				if (!this.org.oauth.session(session.waiting.token)) session.waiting.wake('unauthorized');
			} else if (now - session.lastSeen > this.timeouts.reconnectMs) {
				this.sessions.delete(session.id);
			}
		}
		if (!this.sessions.size) {
			clearInterval(this.validation);
			this.validation = undefined;
		}
	}
}

/** The version part of /cometd/<version>: an error message when it is missing or not served. */
function unsupportedVersion(version: string | undefined): string | undefined {
	if (version === undefined) return `400::API version in the URI is mandatory. ${URI_FORMAT}`;
	const major = /^\d+\.\d$/.test(version) ? Number(version) : NaN;
	if (!(major >= STREAMING_MIN_VERSION && major <= MAX_VERSION)) {
		return `400::Unsupported API version. Only API versions '${STREAMING_MIN_VERSION}.0' and later are supported. ${URI_FORMAT}`;
	}
	return undefined;
}

function failure(message: BayeuxMessage, error: string, advice?: Record<string, unknown>): BayeuxMessage {
	return {
		...(message.clientId ? { clientId: message.clientId } : {}), channel: message.channel, id: message.id,
		...(message.channel === '/meta/subscribe' || message.channel === '/meta/unsubscribe' ? { subscription: message.subscription } : {}),
		error, successful: false, ...(advice ? { advice } : {}),
	};
}

function cookies(req: Request): Map<string, string> {
	const pairs = String(req.headers.cookie ?? '').split(';').map((part) => part.trim().split('='));
	return new Map(pairs.filter(([name]) => name).map(([name, ...value]) => [name, value.join('=')]));
}
