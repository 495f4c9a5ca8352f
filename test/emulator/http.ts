// The small HTTP toolkit the emulator's modules share: request context, replies, route table with route keys.
import type { IncomingHttpHeaders } from 'node:http';
import { SalesforceError } from './errors.ts';

export interface Request {
	method: string;
	url: URL;
	headers: IncomingHttpHeaders;
	body: Buffer;
	params: Record<string, string>;
	/** API version from the path (64.0), when the route has one. */
	version: string;
	/** The authenticated user, for data routes. */
	userId: string;
	/** Aborted when the client's connection closes before the answer is sent (HTTP requests only). */
	signal?: AbortSignal;
}

export interface Reply {
	status: number;
	headers?: Record<string, string>;
	/** Objects and arrays are sent as JSON, strings as they are. */
	body?: unknown;
}

export type RouteKind = 'token' | 'data' | 'oauth' | 'control';
export type Handler = (req: Request) => Reply | Promise<Reply>;

export interface Route {
	method: string;
	pattern: string;
	kind: RouteKind;
	/** Data routes authenticate with a bearer token unless they do it themselves (SOAP). */
	auth: boolean;
	/** The first API version serving the resource; an older one answers 404 NOT_FOUND. */
	since?: number;
	handler: Handler;
	regex: RegExp;
	keys: string[];
}

/**
 * The API versions served, 31.0–66.0. Salesforce retired 7.0–20.0 in Summer '22 and 21.0–30.0 in Summer '25
 * ("Salesforce Platform API Versions 21.0 through 30.0 Retirement"); a retired version answers 410.
 */
export const MIN_VERSION = 31;
export const MAX_VERSION = 66;
export const OLDEST_RETIRED_VERSION = 7;

export function route(method: string, pattern: string, kind: RouteKind, handler: Handler, auth = kind === 'data'): Route {
	const keys: string[] = [];
	const source = pattern.replace(/[.]/g, '\\.').replace(/\{(\w+)\}/g, (_, key: string) => {
		keys.push(key);
		return key === 'version' ? '(\\d+\\.\\d)' : '([^/]+)';
	});
	return { method, pattern, kind, auth, handler, regex: new RegExp(`^${source}/?$`), keys };
}

/** The routes, served from API version `version` on (see Route.since); a later `since` already set stays. */
export function availableSince(version: number, routes: Route[]): Route[] {
	return routes.map((r) => ({ ...r, since: Math.max(r.since ?? version, version) }));
}

export function matchRoute(routes: Route[], method: string, path: string): { route: Route; params: Record<string, string> } | undefined {
	let pathOnly: { route: Route; params: Record<string, string> } | undefined;
	for (const r of routes) {
		const m = r.regex.exec(path);
		if (!m) continue;
		const params = Object.fromEntries(r.keys.map((k, i) => [k, decodeURIComponent(m[i + 1])]));
		if (r.method === method) return { route: r, params };
		pathOnly ??= { route: r, params };
	}
	return pathOnly && { route: { ...pathOnly.route, handler: methodNotAllowed(method) }, params: pathOnly.params };
}

function methodNotAllowed(method: string): Handler {
	return () => {
		throw new SalesforceError('METHOD_NOT_ALLOWED', `HTTP Method '${method}' not allowed. Allowed are GET,HEAD,POST,PATCH,DELETE`, { httpStatus: 405 });
	};
}

export function json(status: number, body: unknown, headers: Record<string, string> = {}): Reply {
	return { status, body, headers };
}

export function readJson<T = unknown>(req: Pick<Request, 'body'>): T {
	try {
		return JSON.parse(req.body.toString('utf8') || 'null') as T;
	} catch (error) {
		throw new SalesforceError('JSON_PARSER_ERROR', `Unexpected character: ${(error as Error).message}`);
	}
}

export function readForm(req: Request): URLSearchParams {
	return new URLSearchParams(req.body.toString('utf8'));
}
