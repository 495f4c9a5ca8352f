// Composite: POST composite runs up to 25 subrequests in order through the router, resolving @{referenceId.path}
// references to earlier bodies; with allOrNone, one failure rolls the whole request back.
import { SalesforceError } from '../errors.ts';
import { json, readJson, route } from '../http.ts';
import type { Reply, Request, Route } from '../http.ts';
import type { Org } from '../org.ts';

const MAX_SUBREQUESTS = 25;
const ROLLED_BACK = 'The transaction was rolled back since another operation in the same transaction failed.';

interface SubRequest {
	method: string;
	url: string;
	referenceId: string;
	body?: unknown;
}

interface SubResponse {
	body: unknown;
	httpHeaders: Record<string, string>;
	httpStatusCode: number;
	referenceId: string;
}

export function compositeRoutes(org: Org): Route[] {
	return [route('POST', '/services/data/v{version}/composite', 'data', (req) => composite(org, req))];
}

async function composite(org: Org, req: Request): Promise<Reply> {
	const { allOrNone = false, compositeRequest = [] } = readJson<{ allOrNone?: boolean; compositeRequest?: SubRequest[] }>(req) ?? {};
	if (compositeRequest.length > MAX_SUBREQUESTS) {
		throw new SalesforceError('INVALID_BATCH_REQUEST', `The number of subrequests exceeds the limit of ${MAX_SUBREQUESTS}`);
	}
	const bodies = new Map<string, unknown>();
	const responses: SubResponse[] = [];
	const halted = (message: string) => [{ errorCode: 'PROCESSING_HALTED', message }];
	const failure = new Error('composite rolled back');
	try {
		await org.store.atomically(async () => {
			let failed = false;
			for (const sub of compositeRequest) {
				if (failed && allOrNone) {
					responses.push({ body: halted(ROLLED_BACK), httpHeaders: {}, httpStatusCode: 400, referenceId: sub.referenceId });
					continue;
				}
				let url: string;
				let body: unknown;
				try {
					url = substitute(sub.url, bodies, true) as string;
					body = sub.body === undefined ? undefined : substitute(sub.body, bodies, false);
				} catch (error) {
					failed = true;
					responses.push({ body: halted((error as Error).message), httpHeaders: {}, httpStatusCode: 400, referenceId: sub.referenceId });
					continue;
				}
				const reply = await org.dispatch(sub.method.toUpperCase(), url, body, req.userId);
				if (reply.status >= 400) failed = true;
				else bodies.set(sub.referenceId, reply.body);
				responses.push({ body: reply.body ?? null, httpHeaders: reply.headers?.location ? { Location: reply.headers.location } : {}, httpStatusCode: reply.status, referenceId: sub.referenceId });
			}
			if (failed && allOrNone) throw failure;
		});
	} catch (error) {
		if (error !== failure) throw error;
		for (const r of responses) {
			if (r.httpStatusCode < 400) Object.assign(r, { httpStatusCode: 400, httpHeaders: {}, body: halted(ROLLED_BACK) });
		}
	}
	return json(200, { compositeResponse: responses });
}

/** Replaces @{referenceId.path} references with values from earlier subrequest bodies. */
function substitute(value: unknown, bodies: Map<string, unknown>, inUrl: boolean): unknown {
	if (typeof value === 'string') {
		const whole = /^@\{([^}]+)\}$/.exec(value);
		if (whole && !inUrl) return resolveReference(whole[1], bodies);
		return value.replace(/@\{([^}]+)\}/g, (_, ref: string) => String(resolveReference(ref, bodies)));
	}
	if (Array.isArray(value)) return value.map((v) => substitute(v, bodies, inUrl));
	if (value && typeof value === 'object') return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, substitute(v, bodies, inUrl)]));
	return value;
}

function resolveReference(reference: string, bodies: Map<string, unknown>): unknown {
	const [referenceId, ...path] = reference.split('.');
	if (!bodies.has(referenceId)) throw new Error(`Invalid reference specified. No value for ${reference} found in ${referenceId}. Provided referenceId ('${referenceId}') can't be found.`);
	let current: unknown = bodies.get(referenceId);
	for (const part of path.flatMap((p) => p.split(/[[\]]/).filter(Boolean))) {
		current = current && typeof current === 'object' ? (current as Record<string, unknown>)[part] : undefined;
	}
	if (current === undefined) throw new Error(`Invalid reference specified. No value for ${reference} found in ${referenceId}.`);
	return current;
}
