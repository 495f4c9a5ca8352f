// The HTTP server: control API, URL and header limits, latency, request counting, injected faults (errors, HTML pages,
// dropped and hung connections), bearer authentication, API quota, Sforce-Limit-Info, and Salesforce-shaped errors
// around the route modules.
import { once } from 'node:events';
import { createServer } from 'node:http';
import type { IncomingMessage, RequestListener, Server, ServerOptions, ServerResponse } from 'node:http';
import type { TLSSocket } from 'node:tls';
import { setTimeout as sleep } from 'node:timers/promises';
import { bulkRoutes } from './bulk.ts';
import { controlRoutes } from './control.ts';
import { SalesforceError } from './errors.ts';
import { matchRoute, MAX_VERSION, MIN_VERSION, OLDEST_RETIRED_VERSION } from './http.ts';
import { oauthRoutes } from './oauth-routes.ts';
import { requestOrigin } from './origin.ts';
import { restRoutes } from './rest.ts';
import { soapRoutes, unsupportedApiVersion } from './soap.ts';
import type { ErrorFault } from './faults.ts';
import type { Reply, Request, Route } from './http.ts';
import type { Org } from './org.ts';

export interface RequestCounts {
	total: number;
	token: number;
	data: number;
	byRoute: Record<string, number>;
	/** The answers given, by status and route: `304 GET /services/data/v{version}/sobjects/{sobject}/describe`. */
	byAnswer: Record<string, number>;
	/** The most data calls the emulator was answering at the same time. */
	peakConcurrentData: number;
}

const emptyCounts = (): RequestCounts => ({ total: 0, token: 0, data: 0, byRoute: {}, byAnswer: {}, peakConcurrentData: 0 });

export class RequestLog {
	private counts = emptyCounts();
	private concurrentData = 0;
	record(kind: 'token' | 'data' | 'oauth', key: string): void {
		this.counts.total++;
		if (kind === 'token') this.counts.token++;
		if (kind === 'data') this.counts.data++;
		this.counts.byRoute[key] = (this.counts.byRoute[key] ?? 0) + 1;
	}
	answered(status: number, key: string): void {
		const answer = `${status} ${key}`;
		this.counts.byAnswer[answer] = (this.counts.byAnswer[answer] ?? 0) + 1;
	}
	/** A data call from its arrival until `done` (its answer sent or its connection closed). */
	dataCallStarted(): () => void {
		this.counts.peakConcurrentData = Math.max(this.counts.peakConcurrentData, ++this.concurrentData);
		return () => void this.concurrentData--;
	}
	snapshot(): RequestCounts {
		return structuredClone(this.counts);
	}
	reset(): void {
		this.counts = emptyCounts();
	}
}

const INVALID_SESSION = [{ message: 'Session expired or invalid', errorCode: 'INVALID_SESSION_ID' }];

/**
 * Salesforce limits the URI plus headers of a REST request to 16,384 bytes ("Salesforce Developer Limits and
 * Allocations Quick Reference", API Request Limits and Allocations): beyond it, 414 when the URI alone is too long,
 * otherwise 431, answered by Salesforce's Jetty front end as an HTML page.
 */
export const MAX_URI_AND_HEADERS_BYTES = 16_384;

/**
 * Node refuses a request whose head exceeds maxHeaderSize (16 KiB by default) with a bare 431 before any handler
 * runs; the emulator's servers accept larger heads so that Salesforce's own rule and answer apply.
 */
export const SERVER_OPTIONS: ServerOptions = { maxHeaderSize: 8 * MAX_URI_AND_HEADERS_BYTES };

export function createEmulatorServer(org: Org, log: RequestLog): Server {
	return createServer(SERVER_OPTIONS, createRequestListener(org, log));
}

/**
 * The request handler shared by the HTTP server and the optional TLS listener. During a request the org's baseUrl
 * (instance_url, identity URLs) is the origin the client used (see requestOrigin), like a My Domain.
 */
export function createRequestListener(org: Org, log: RequestLog): RequestListener {
	const routes: Route[] = [
		...controlRoutes(org, log),
		...oauthRoutes(org),
		...restRoutes(org),
		...bulkRoutes(org),
		...soapRoutes(org),
		...org.streaming.routes(),
	];

	org.dispatch = async (method, path, body, userId) => {
		const url = new URL(path, org.baseUrl);
		const found = matchRoute(routes, method, url.pathname);
		if (!found || found.route.kind !== 'data') return errorReply(new SalesforceError('NOT_FOUND', 'The requested resource does not exist', { httpStatus: 404 }));
		const req: Request = {
			method, url, headers: { 'content-type': 'application/json' }, params: found.params, version: found.params.version ?? '',
			userId, body: Buffer.from(body === undefined ? '' : JSON.stringify(body)),
		};
		return invoke(found.route, req);
	};

	const listener = async (incoming: IncomingMessage, res: ServerResponse) => {
		// Salesforce's clock, as in its answers' Date header (If-Modified-Since is compared with it).
		res.setHeader('Date', org.clock.now().toUTCString());
		try {
			const url = new URL(incoming.url ?? '/', org.baseUrl);
			const method = (incoming.method ?? 'GET').toUpperCase();
			const found = matchRoute(routes, method, url.pathname);
			const kind = found?.route.kind ?? (url.pathname.startsWith('/__emulator') ? 'control' : 'data');
			const routeKey = found ? `${method} ${found.route.pattern}` : `${method} ${url.pathname}`;
			if (kind !== 'control') {
				const tooLarge = headTooLarge(incoming);
				// Refused by the front end: counted as `414 GET /services/data/v{version}/query`, never processed.
				log.record(kind, tooLarge ? `${tooLarge.status} ${routeKey}` : routeKey);
				if (tooLarge) return send(res, tooLarge);
				if (kind === 'data') res.once('close', log.dataCallStarted());
				if (org.faults.latencyMs > 0) await sleep(org.faults.latencyMs);
			}
			const body = await readBody(incoming);
			const closed = new AbortController();
			res.once('close', () => closed.abort());
			const req: Request = {
				method, url, headers: incoming.headers, body, params: found?.params ?? {}, version: found?.params.version ?? '', userId: '', signal: closed.signal,
			};
			const fault = kind === 'data' ? org.faults.take(method, url.pathname) : undefined;
			switch (fault?.kind) {
				case 'dropBefore':
					return void incoming.socket.destroy();
				case 'hang':
					return void (await once(incoming.socket, 'close'));
				case 'html':
					return send(res, maintenancePage(fault.status ?? 503));
				case 'dropAfter':
					await handle(org, found?.route, req, kind);
					return void incoming.socket.destroy();
			}
			const reply = await handle(org, found?.route, req, kind, fault);
			if (kind !== 'control') log.answered(reply.status, routeKey);
			send(res, reply);
		} catch (error) {
			send(res, errorReply(error));
		}
	};
	return (incoming, res) => {
		const origin = requestOrigin(incoming.headers, (incoming.socket as TLSSocket).encrypted === true);
		void org.withOrigin(origin, () => listener(incoming, res));
	};
}

async function handle(org: Org, matched: Route | undefined, req: Request, kind: string, fault?: ErrorFault): Promise<Reply> {
	if (kind !== 'data') return matched ? invoke(matched, req) : errorReply(new SalesforceError('NOT_FOUND', 'The requested resource does not exist', { httpStatus: 404 }));
	if (fault) {
		return withLimitInfo(org, { status: fault.status, body: [{ message: fault.message ?? defaultFaultMessage(fault.errorCode), errorCode: fault.errorCode }] });
	}
	if (!matched) return withLimitInfo(org, errorReply(new SalesforceError('NOT_FOUND', 'The requested resource does not exist', { httpStatus: 404 })));
	// The Streaming API authenticates each Bayeux message itself and is not counted against the API request limit.
	if (matched.pattern.startsWith('/cometd')) return invoke(matched, req);
	if (matched.auth) {
		const token = /^(?:Bearer|OAuth)\s+(.+)$/i.exec(String(req.headers.authorization ?? ''))?.[1];
		const session = org.oauth.session(token);
		if (!session) return { status: 401, body: INVALID_SESSION, headers: { 'www-authenticate': 'Token' } };
		req.userId = session.userId;
	}
	if (matched.auth || matched.pattern.startsWith('/services/Soap')) {
		org.faults.apiUsage++;
		if (org.faults.apiQuota !== null && org.faults.apiUsage > org.faults.apiQuota) {
			return withLimitInfo(org, { status: 403, body: [{ message: 'TotalRequests Limit exceeded.', errorCode: 'REQUEST_LIMIT_EXCEEDED' }] });
		}
	}
	// One API call is one transaction: its record changes become change events when it ends.
	return withLimitInfo(org, await org.cdc.transaction(changeOrigin(matched, req), () => invoke(matched, req)));
}

/**
 * The changeOrigin of a call's change events ("ChangeEventHeader Fields"): com/salesforce/api/<api>/<version>, with
 * ";client=<id>" when the call named its client in the Sforce-Call-Options header.
 */
function changeOrigin(matched: Route, req: Request): string {
	const api = matched.pattern.startsWith('/services/Soap') ? 'soap' : matched.pattern.includes('/jobs/') ? 'bulkapi' : 'rest';
	const client = /(?:^|[\s,;])client=([^\s,;]+)/.exec(String(req.headers['sforce-call-options'] ?? ''))?.[1];
	return `com/salesforce/api/${api}/${req.version}${client ? `;client=${client}` : ''}`;
}

async function invoke(matched: Route, req: Request): Promise<Reply> {
	if (req.params.version !== undefined) {
		const major = Number(req.params.version);
		if (major >= OLDEST_RETIRED_VERSION && major < MIN_VERSION) {
			return matched.pattern.startsWith('/services/Soap') ? unsupportedApiVersion() : retiredVersion(req.params.version);
		}
		if (!(major >= (matched.since ?? MIN_VERSION) && major <= MAX_VERSION)) {
			return errorReply(new SalesforceError('NOT_FOUND', 'The requested resource does not exist', { httpStatus: 404 }));
		}
	}
	try {
		return await matched.handler(req);
	} catch (error) {
		return errorReply(error);
	}
}

/**
 * A retired API version on the REST API, Bulk API 2.0 included: 410 GONE ("API End-of-Life", REST API Developer
 * Guide), errorCode GONE in Salesforce's error array (as clients report it: restforce issue #941); the message
 * wording is the emulator's.
 */
function retiredVersion(version: string): Reply {
	return { status: 410, body: [{ message: `API version ${version} is retired and no longer available. Use version ${MIN_VERSION}.0 or later.`, errorCode: 'GONE' }] };
}

function withLimitInfo(org: Org, reply: Reply): Reply {
	return { ...reply, headers: { ...reply.headers, 'sforce-limit-info': `api-usage=${org.faults.apiUsage}/${org.faults.apiMax}` } };
}

function defaultFaultMessage(errorCode: string): string {
	const messages: Record<string, string> = {
		UNABLE_TO_LOCK_ROW: 'unable to obtain exclusive access to this record or 1 records',
		SERVER_UNAVAILABLE: 'Server temporarily unavailable',
		REQUEST_LIMIT_EXCEEDED: 'TotalRequests Limit exceeded.',
		INVALID_SESSION_ID: 'Session expired or invalid',
	};
	return messages[errorCode] ?? errorCode;
}

function errorReply(error: unknown): Reply {
	if (error instanceof SalesforceError) return { status: error.httpStatus, body: error.toRestBody() };
	return { status: 500, body: [{ message: `An unexpected error occurred: ${(error as Error)?.message ?? String(error)}`, errorCode: 'UNKNOWN_EXCEPTION' }] };
}

/** Salesforce's answer to a request over the URI + headers limit, or undefined when it is within it. */
function headTooLarge(incoming: IncomingMessage): Reply | undefined {
	const uriBytes = Buffer.byteLength(incoming.url ?? '');
	let headerBytes = 0;
	for (let i = 0; i < incoming.rawHeaders.length; i += 2) {
		headerBytes += Buffer.byteLength(`${incoming.rawHeaders[i]}: ${incoming.rawHeaders[i + 1]}\r\n`);
	}
	if (uriBytes > MAX_URI_AND_HEADERS_BYTES) return jettyError(414, 'URI Too Long');
	if (uriBytes + headerBytes > MAX_URI_AND_HEADERS_BYTES) return jettyError(431, 'Request Header Fields Too Large');
	return undefined;
}

/** The page Salesforce's Jetty front end sends for a request it refuses before the API sees it. */
function jettyError(status: number, reason: string): Reply {
	const body = `<h1>Bad Message ${status}</h1><pre>reason: ${reason}</pre>`;
	return {
		status,
		headers: { 'content-type': 'text/html;charset=iso-8859-1', 'content-length': String(Buffer.byteLength(body)), connection: 'close' },
		body,
	};
}

/** The HTML a load balancer or Salesforce's maintenance page answers instead of the API's JSON. */
function maintenancePage(status: number): Reply {
	return {
		status,
		headers: { 'content-type': 'text/html' },
		body: '<!DOCTYPE html>\n<html><head><title>Salesforce - Down for Maintenance</title></head>\n<body><h1>Down for Maintenance</h1>' +
			'<p>Salesforce is temporarily unavailable while we perform scheduled maintenance. Please check back soon.</p></body></html>\n',
	};
}

async function readBody(req: IncomingMessage): Promise<Buffer> {
	const chunks: Buffer[] = [];
	for await (const chunk of req) chunks.push(chunk as Buffer);
	return Buffer.concat(chunks);
}

function send(res: ServerResponse, reply: Reply): void {
	const headers: Record<string, string> = { ...reply.headers };
	let payload: string | Buffer | undefined;
	if (reply.body === undefined || reply.status === 204) payload = undefined;
	else if (typeof reply.body === 'string' || Buffer.isBuffer(reply.body)) payload = reply.body;
	else {
		payload = JSON.stringify(reply.body);
		headers['content-type'] ??= 'application/json;charset=UTF-8';
	}
	res.writeHead(reply.status, headers);
	res.end(payload);
}
