import { Agent as HttpAgent, request as sendHttp, type ClientRequest, type IncomingMessage } from 'node:http';
import { Agent as HttpsAgent, request as sendHttps } from 'node:https';
import { once } from 'node:events';
import type { Socket } from 'node:net';
import { pipeline, type Duplex, type Readable } from 'node:stream';
import { TLSSocket } from 'node:tls';

import type { HttpRequest, HttpRequestOptions, HttpResponse } from 'jsforce';
import { createHttpRequestHandlerStreams } from 'jsforce/lib/request-helper';
import Transport from 'jsforce/lib/transport';
import { StreamPromise } from 'jsforce/lib/util/promise';

import { backoff, isReplayableRead, MAX_ATTEMPTS, REPLAYABLE_STATUS } from './retry';

/**
 * A keep-alive socket idle for this long is not reused. Node's HTTP server closes idle connections after 5 s
 * (keepAliveTimeout), load balancers often sooner; a server that announces a shorter `Keep-Alive: timeout=N` is
 * honoured (Node's agent then keeps the socket N − 1 s at most). 2 s leaves room for network latency and for an
 * event loop blocked by item building, during which no idle timer can fire.
 */
export const SAFE_IDLE_MS = 2000;

/** Default of the "Timeout" option: generous for a Collections call with heavy triggers, short of Salesforce's own 10 minutes. */
export const DEFAULT_TIMEOUT_SECONDS = 120;

export type NoAnswerReason = 'notSent' | 'connectionLost' | 'timeout';

/**
 * A request that got no (complete) answer. `notSent`: no connection was made, Salesforce never saw it.
 * `connectionLost` and `timeout`: it may have reached Salesforce and been processed.
 */
export class NoAnswerError extends Error {
	constructor(
		readonly method: string,
		readonly reason: NoAnswerReason,
		readonly timeoutSeconds: number,
		readonly cause?: Error,
	) {
		// No network error code in the message: n8n replaces any message containing one (ECONNRESET…) with generic text.
		super(
			reason === 'timeout'
				? `Salesforce did not answer within ${timeoutSeconds} s (option Timeout)`
				: reason === 'notSent'
					? 'Could not connect to Salesforce'
					: 'The connection closed before Salesforce answered',
		);
		this.name = 'NoAnswerError';
	}

	/** The network error behind a lost connection, e.g. ECONNRESET. */
	get networkCode(): string | undefined {
		return (this.cause as { code?: string } | undefined)?.code;
	}

	/** Salesforce may have received and processed the request. */
	get mayHaveArrived(): boolean {
		return this.reason !== 'notSent';
	}
}

/** Keep-alive sockets with the time each may be reused until (checked when a request starts, not by a timer). */
class IdleLimitedHttpAgent extends HttpAgent {
	readonly reusableUntil = new WeakMap<Socket, number>();

	// @types/node types this void; Node reads a false return as "do not keep the socket".
	keepSocketAlive(socket: Socket): void {
		return keepUntilIdleLimit(super.keepSocketAlive(socket), socket, this.reusableUntil);
	}
}

class IdleLimitedHttpsAgent extends HttpsAgent {
	readonly reusableUntil = new WeakMap<Socket, number>();

	keepSocketAlive(socket: Socket): void {
		return keepUntilIdleLimit(super.keepSocketAlive(socket), socket, this.reusableUntil);
	}
}

/** Node has just set the socket's timeout to min(the agent's, the server's Keep-Alive hint − 1 s): reuse it until then. */
function keepUntilIdleLimit(kept: unknown, socket: Socket, reusableUntil: WeakMap<Socket, number>): void {
	if (kept !== false) reusableUntil.set(socket, Date.now() + (socket.timeout || SAFE_IDLE_MS));
	return kept as void;
}

type IdleLimitedAgent = IdleLimitedHttpAgent | IdleLimitedHttpsAgent;

/** Closes the agent's idle sockets that are too old to reuse, and waits until the agent has let go of them. */
async function discardStaleSockets(agent: IdleLimitedAgent): Promise<void> {
	const now = Date.now();
	const stale = Object.values(agent.freeSockets)
		.flat()
		// An already destroyed socket is on its way out of the pool (the agent skips it).
		.filter((socket): socket is Socket => !!socket && !socket.destroyed && (agent.reusableUntil.get(socket) ?? 0) <= now);
	await Promise.all(
		stale.map((socket) => {
			const closed = once(socket, 'close');
			socket.destroy();
			return closed;
		}),
	);
}

/** jsforce reads a proxy from these variables when it loads (transport.js); through a proxy jsforce's own HTTP stack serves. */
const proxyConfigured = () =>
	Boolean(process.env.https_proxy ?? process.env.http_proxy ?? process.env.HTTPS_PROXY ?? process.env.HTTP_PROXY);

/** A request's own option besides jsforce's (`conn.request(request, options)`): a look at its answer. */
export interface AnswerObserver {
	/** The answer's status and headers, e.g. a 304 Not Modified, which jsforce reads as an empty body. */
	onAnswer?(response: HttpResponse): void;
}

export interface TransportSettings {
	timeoutSeconds: number;
	/** Every HTTP answer's status, e.g. to know that a renewed session was accepted. */
	onResponse?(statusCode: number): void;
}

/**
 * jsforce's Transport (its documented extension point, as its proxy and canvas transports use it) on Node's HTTP
 * client with keep-alive agents that never reuse a socket past SAFE_IDLE_MS, a timeout per request, and typed
 * NoAnswerErrors. Reads (GET, HEAD) are replayed when the connection failed before an answer or Salesforce
 * answered 5xx; a write whose request may have arrived is never replayed here: the caller knows whether replaying
 * it is safe (collections.ts) or its outcome is unknown.
 */
export class SalesforceTransport extends Transport {
	private readonly agents = {
		http: new IdleLimitedHttpAgent({ keepAlive: true, timeout: SAFE_IDLE_MS }),
		https: new IdleLimitedHttpsAgent({ keepAlive: true, timeout: SAFE_IDLE_MS }),
	};

	constructor(private readonly settings: TransportSettings) {
		super();
	}

	httpRequest(req: HttpRequest, options: HttpRequestOptions & AnswerObserver = {}): StreamPromise<HttpResponse> {
		const proxied = proxyConfigured();
		const sent = super.httpRequest(req, proxied ? { ...options, timeout: this.settings.timeoutSeconds * 1000 } : options);
		return StreamPromise.create(() => ({
			stream: sent.stream(),
			promise: sent.then(
				(response) => {
					this.settings.onResponse?.(response.statusCode);
					options.onAnswer?.(response);
					return response;
				},
				(error: Error) => {
					throw proxied ? this.fromFetchError(req.method, error) : error;
				},
			),
		}));
	}

	getRequestStreamCreator(): (req: HttpRequest, options: HttpRequestOptions) => Duplex {
		if (proxyConfigured()) return super.getRequestStreamCreator();
		return (req, options) => {
			const { input, output, stream } = createHttpRequestHandlerStreams(req, options);
			this.send(req, input).then(
				(res) => {
					stream.emit('response', { statusCode: res.statusCode, headers: res.headers });
					pipeline(res, output, (error) => {
						if (error) stream.emit('error', this.lostAnswer(req.method, error, true));
					});
				},
				(error: Error) => stream.emit('error', error),
			);
			return stream;
		};
	}

	/** One request, replayed while that is safe; resolves with the answer whose body is still to be read. */
	private async send(req: HttpRequest, input: Readable): Promise<IncomingMessage> {
		const body = req.body ?? (['POST', 'PUT', 'PATCH'].includes(req.method) ? await readBody(input) : undefined);
		if (body !== undefined && typeof body !== 'string' && !Buffer.isBuffer(body)) {
			throw new TypeError('SalesforceTransport sends string or Buffer bodies only');
		}
		const url = new URL(req.url);
		const agent = url.protocol === 'https:' ? this.agents.https : this.agents.http;
		for (let attempt = 1; ; attempt++) {
			await discardStaleSockets(agent);
			const answer = await this.exchange(url, req, body, agent).then(
				(res) => ({ res }),
				(error: NoAnswerError) => ({ error }),
			);
			if ('res' in answer) {
				const { res } = answer;
				if (!(isReplayableRead(req.method) && REPLAYABLE_STATUS.has(res.statusCode ?? 0) && attempt < MAX_ATTEMPTS)) return res;
				res.resume();
			} else {
				const { error } = answer;
				const replay = error.reason === 'notSent' || (isReplayableRead(req.method) && error.reason === 'connectionLost');
				if (!replay || attempt >= MAX_ATTEMPTS) throw error;
			}
			await backoff(attempt);
		}
	}

	/** One HTTP exchange on the agent; the timeout covers the whole answer, body included. */
	private exchange(url: URL, req: HttpRequest, body: string | Buffer | undefined, agent: IdleLimitedAgent): Promise<IncomingMessage> {
		const { method } = req;
		return new Promise((resolve, reject) => {
			const request: ClientRequest = (url.protocol === 'https:' ? sendHttps : sendHttp)(url, {
				method,
				headers: req.headers,
				agent,
			});
			let connected = false;
			let response: IncomingMessage | undefined;
			const timer = setTimeout(() => {
				const timedOut = new NoAnswerError(method, 'timeout', this.settings.timeoutSeconds);
				request.destroy(timedOut);
				response?.destroy(timedOut);
			}, this.settings.timeoutSeconds * 1000);
			request.once('socket', (socket: Socket) => {
				if (request.reusedSocket || !socket.connecting) connected = true;
				else socket.once(socket instanceof TLSSocket ? 'secureConnect' : 'connect', () => (connected = true));
			});
			request.once('response', (res) => {
				response = res;
				res.once('close', () => clearTimeout(timer));
				resolve(res);
			});
			request.once('error', (error) => {
				clearTimeout(timer);
				reject(this.lostAnswer(method, error, connected));
			});
			request.end(body);
		});
	}

	private lostAnswer(method: string, error: Error, connected: boolean): NoAnswerError {
		if (error instanceof NoAnswerError) return error;
		return new NoAnswerError(method, connected ? 'connectionLost' : 'notSent', this.settings.timeoutSeconds, error);
	}

	/** jsforce's fetch stack (proxied requests) as NoAnswerErrors: its timeout aborts, its network errors are FetchErrors. */
	private fromFetchError(method: string, error: Error): Error {
		const { type, code } = error as { type?: string; code?: string };
		if (type === 'aborted') return new NoAnswerError(method, 'timeout', this.settings.timeoutSeconds, error);
		if (type === 'system') {
			const notSent = code === 'ECONNREFUSED' || code === 'ENOTFOUND' || code === 'EAI_AGAIN';
			return new NoAnswerError(method, notSent ? 'notSent' : 'connectionLost', this.settings.timeoutSeconds, error);
		}
		return error;
	}
}

async function readBody(input: Readable): Promise<Buffer> {
	const chunks: Buffer[] = [];
	for await (const chunk of input) chunks.push(Buffer.isBuffer(chunk) ? chunk : Buffer.from(chunk as string));
	return Buffer.concat(chunks);
}
