// Change Data Capture over the Streaming API: jsforce's streaming client (faye, CometD long polling) on the node's
// session, with CometD's replay extension, kept subscribed across dropped connections, expired tokens and Salesforce's
// advice ("Streaming API Developer Guide": Clients and Timeouts, Message Durability, Handling Streaming API Errors,
// Streaming API Error Codes).
import { StreamingExtension } from 'jsforce/lib/api/streaming';
import type { Connection } from 'jsforce';
import { NodeOperationError, type INode } from 'n8n-workflow';

/** Replay from the newest event on (-1) or from the oldest one Salesforce retains (-2), as CometD's replay extension says. */
export const REPLAY_NEW = -1;
export const REPLAY_RETAINED = -2;

/** Waits between new sessions after a failure: 1 s, 2 s, 4 s, … at most 30 s; overridable so tests stay fast. */
export const reconnectPolicy = { firstDelayMs: 1000, maxDelayMs: 30_000 };
/** How long a closing stream waits for Salesforce to acknowledge its /meta/disconnect. */
const DISCONNECT_WAIT_MS = 2000;

/** A Bayeux message as faye hands it to extensions. */
interface BayeuxMessage {
	channel: string;
	successful?: boolean;
	error?: string;
	subscription?: string | string[];
	advice?: { reconnect?: string };
	ext?: { sfdc?: { failureReason?: string } };
	data?: unknown;
}

type Pipe = (message: BayeuxMessage | null) => void;

interface FayeSubscription {
	/** Sends /meta/unsubscribe (when the client is connected). */
	cancel(): void;
}

/** What the stream uses of faye's Client (jsforce's Streaming API client). */
interface FayeClient {
	subscribe(channel: string, listener: (data: unknown) => void): FayeSubscription;
	disconnect(): PromiseLike<unknown> | undefined;
	/** faye's dispatcher: its `close()` drops the HTTP transport, which ends every pending retry (jsforce reaches it too). */
	_dispatcher?: { close(): void };
}

export interface ChangeStreamHandlers {
	/** The replay ID a new session subscribes from: the last processed event's, or REPLAY_NEW / REPLAY_RETAINED. */
	replayFrom(): number;
	/** One event (the `data` of its Bayeux message), in the order Salesforce delivers them. */
	onEvent(data: unknown): void;
	/** Salesforce confirmed a subscription (a new session's, or faye's own after it handshook again). */
	onSubscribed?(): void;
	/**
	 * Salesforce no longer retains `replayId` (older than the retention window). The handler records the gap; the stream
	 * subscribes again at once, from what `replayFrom()` then says.
	 */
	onReplayIdExpired(replayId: number): void;
	/** A failure that retrying cannot fix (a setup mistake, a session n8n cannot renew); the stream has stopped. */
	onFatal(error: NodeOperationError): void;
	/** Something worth a line in n8n's log: a lost session and what the stream does about it. */
	log(message: string): void;
}

/** A Bayeux error "code::message", e.g. "401::Authentication invalid". */
function bayeuxError(text: string | undefined): { code: number | undefined; message: string } {
	const match = /^(\d{3})::(.*)$/s.exec(text ?? '');
	return match ? { code: Number(match[1]), message: match[2] } : { code: undefined, message: text ?? 'no reason given' };
}

/** "400::The replayId {1234} you provided was invalid. …" (Streaming API Error Codes): the replay ID is not retained. */
export function expiredReplayId(error: string | undefined): number | undefined {
	const match = /The replayId \{(-?\d+)\} you provided was invalid/.exec(error ?? '');
	return match ? Number(match[1]) : undefined;
}

/**
 * Salesforce refused the session's token: `401::Authentication invalid` on /meta/connect or /meta/subscribe, or
 * `403::Handshake denied` whose `ext.sfdc.failureReason` says 401 ("Handling Streaming API Errors"), or the
 * `401::Request requires authentication` of a request without one.
 */
function isAuthenticationFailure(message: BayeuxMessage): boolean {
	return bayeuxError(message.error).code === 401 || bayeuxError(message.ext?.sfdc?.failureReason).code === 401;
}

/** A subscription Salesforce refuses, as the setup step that fixes it. */
export function subscriptionError(node: INode, channel: string, sobject: string, error: string | undefined): NodeOperationError {
	const { code, message } = bayeuxError(error);
	if (/does(?:n[’']t| not) exist/.test(message)) {
		return new NodeOperationError(node, `Salesforce offers no change events for ${sobject} (channel ${channel})`, {
			description: `Select ${sobject} in Salesforce Setup → Integrations → Change Data Capture (Selected Entities), and check that your Salesforce edition includes Change Data Capture. (Salesforce said: ${error})`,
		});
	}
	if (code === 403) {
		return new NodeOperationError(node, `Salesforce does not let this user receive change events for ${sobject}`, {
			description: `Give the credential's (Run As) user "View All Records" on ${sobject} (or "View All Data"; Task and Event need "View All Data", User needs "View All Users") through a permission set. (Salesforce said: ${error})`,
		});
	}
	return new NodeOperationError(node, `Salesforce refused the subscription to ${channel}: ${message}`, {
		description: `Check the object and the credential's user. (Salesforce said: ${error})`,
	});
}

/** What the stream needs of the client: the session, and its renewal through n8n. */
export interface StreamSession {
	readonly conn: Connection;
	readonly node: INode;
	renewSession(): Promise<void>;
	sessionAccepted(): void;
}

/**
 * One object's change events, subscribed until `close()`. Each session is a faye client on the current token with
 * jsforce's Replay extension; faye itself resends a dropped long poll and handshakes again when Salesforce forgot the
 * client (`403::Unknown client`, advice "handshake"), then resubscribes from the last event received. A session
 * Salesforce ends (advice "none": a token no longer valid, or a refused handshake) is replaced by a new one after a
 * bounded backoff, on a token renewed through n8n when the old one was refused, subscribing from `replayFrom()`.
 */
export class ChangeStream {
	private client: FayeClient | undefined;
	private subscription: FayeSubscription | undefined;
	private closed = false;
	private failures = 0;
	private retryTimer: NodeJS.Timeout | undefined;
	private started: { resolve(): void; reject(error: Error): void } | undefined;

	constructor(
		private readonly session: StreamSession,
		private readonly channel: string,
		private readonly sobject: string,
		private readonly handlers: ChangeStreamHandlers,
	) {}

	/** Subscribes; resolves once Salesforce confirmed the subscription, fails on a setup mistake or after `timeoutMs`. */
	async start(timeoutMs: number): Promise<void> {
		const subscribed = new Promise<void>((resolve, reject) => (this.started = { resolve, reject }));
		const timer = setTimeout(() => {
			this.started?.reject(
				new NodeOperationError(this.session.node, `Salesforce's Streaming API did not confirm the subscription to ${this.channel} within ${timeoutMs / 1000} s (option Timeout)`, {
					description: 'Check the network between n8n and Salesforce (proxy, firewall) and status.salesforce.com, then activate the workflow again.',
				}),
			);
		}, timeoutMs);
		this.open();
		try {
			await subscribed;
		} catch (error) {
			await this.close();
			throw error instanceof NodeOperationError ? error : new NodeOperationError(this.session.node, error as Error);
		} finally {
			clearTimeout(timer);
			this.started = undefined;
		}
	}

	/** Unsubscribes and disconnects (waiting at most 2 s for Salesforce's answer); nothing is delivered afterwards. */
	async close(): Promise<void> {
		this.closed = true;
		clearTimeout(this.retryTimer);
		await this.retire();
	}

	private open() {
		if (this.closed) return;
		const monitor = { incoming: (message: BayeuxMessage, pipe: Pipe) => this.incoming(client, message, pipe) };
		const replay = new StreamingExtension.Replay(this.channel, this.handlers.replayFrom());
		const client = this.session.conn.streaming.createClient([replay, monitor]) as unknown as FayeClient;
		this.client = client;
		this.subscription = client.subscribe(this.channel, (data) => {
			if (this.client === client && !this.closed) this.handlers.onEvent(data);
		});
	}

	/** Salesforce's answers on the meta channels, read before faye acts on them. */
	private incoming(client: FayeClient, message: BayeuxMessage, pipe: Pipe) {
		if (this.client !== client || this.closed) {
			pipe(message.channel.startsWith('/meta/') ? message : null);
			return;
		}
		if (message.channel === '/meta/handshake' && message.successful) this.session.sessionAccepted();
		if (message.channel === '/meta/subscribe' && [message.subscription].flat().includes(this.channel)) {
			if (message.successful) {
				this.failures = 0;
				this.handlers.onSubscribed?.();
				this.started?.resolve();
			} else {
				this.onSubscribeRefused(message);
			}
		} else if ((message.channel === '/meta/connect' || message.channel === '/meta/handshake') && message.successful === false && message.advice?.reconnect === 'none') {
			this.onSessionEnded(message);
		}
		pipe(message);
	}

	private onSubscribeRefused(message: BayeuxMessage) {
		const expired = expiredReplayId(message.error);
		if (expired !== undefined) {
			this.handlers.log(`Salesforce no longer retains replay ID ${expired} of ${this.channel}; subscribing again`);
			this.handlers.onReplayIdExpired(expired);
			void this.replace(0, false);
		} else if (isAuthenticationFailure(message)) {
			this.onSessionEnded(message);
		} else {
			this.fail(subscriptionError(this.session.node, this.channel, this.sobject, message.error));
		}
	}

	private onSessionEnded(message: BayeuxMessage) {
		const renew = isAuthenticationFailure(message);
		const delay = this.failures === 0 ? 0 : Math.min(reconnectPolicy.firstDelayMs * 2 ** (this.failures - 1), reconnectPolicy.maxDelayMs);
		this.failures++;
		this.handlers.log(
			`Salesforce ended the streaming session of ${this.channel} (${message.error ?? message.ext?.sfdc?.failureReason ?? 'no reason given'}); ${renew ? 'renewing the session and ' : ''}subscribing again in ${delay / 1000} s`,
		);
		void this.replace(delay, renew);
	}

	/** Drops the current session and opens a new one after `delayMs`, on a renewed token if `renew`. */
	private async replace(delayMs: number, renew: boolean) {
		await this.retire();
		if (this.closed) return;
		if (renew) {
			try {
				await this.session.renewSession();
			} catch (error) {
				this.fail(error instanceof NodeOperationError ? error : new NodeOperationError(this.session.node, error as Error));
				return;
			}
		}
		this.retryTimer = setTimeout(() => this.open(), delayMs);
	}

	private fail(error: NodeOperationError) {
		this.closed = true;
		void this.retire();
		if (this.started) this.started.reject(error);
		else this.handlers.onFatal(error);
	}

	/** Unsubscribes and disconnects the current faye client, then stops whatever it still retries. */
	private async retire() {
		const { client, subscription } = this;
		this.client = undefined;
		this.subscription = undefined;
		if (!client) return;
		subscription?.cancel();
		const disconnected = client.disconnect();
		if (disconnected) {
			let timer: NodeJS.Timeout | undefined;
			await Promise.race([
				Promise.resolve(disconnected).then(undefined, () => undefined),
				new Promise((resolve) => (timer = setTimeout(resolve, DISCONNECT_WAIT_MS))),
			]);
			clearTimeout(timer);
		}
		client._dispatcher?.close();
	}
}
