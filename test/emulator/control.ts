// The emulator's controls, as an object (in-process tests) and as /__emulator/* routes (separate process).
import { json, readJson, route } from './http.ts';
import type { GapFault, RetainedEvent } from './cdc.ts';
import type { BulkJobFailure, FaultSpec } from './faults.ts';
import type { Route } from './http.ts';
import type { ConnectedApp } from './oauth.ts';
import type { Org } from './org.ts';
import type { FieldMeta } from './schema.ts';
import type { RequestCounts, RequestLog } from './server.ts';
import type { StreamingTimeouts } from './streaming.ts';

export interface Controls {
	clock: { now(): Date; set(t: Date | string): void; advance(ms: number): void; freeze(): void; useRealTime(): void };
	store: {
		insert(sobject: string, fields: Record<string, unknown>, opts?: { at?: Date }): Record<string, unknown>;
		update(sobject: string, id: string, fields: Record<string, unknown>, opts?: { at?: Date }): Record<string, unknown>;
		delete(sobject: string, id: string, opts?: { at?: Date }): void;
		/** Restores a deleted record (and the rows its deletion took along) from the Recycle Bin. */
		undelete(sobject: string, id: string, opts?: { at?: Date }): Record<string, unknown>;
		get(sobject: string, id: string): Record<string, unknown> | undefined;
		all(sobject: string, opts?: { includeDeleted?: boolean }): Record<string, unknown>[];
		addField(sobject: string, field: Partial<FieldMeta> & { name: string; type: string }): void;
		/** Deletes a custom field and its values. */
		removeField(sobject: string, name: string): void;
	};
	apps: { add(app: ConnectedApp): void; update(consumerKey: string, patch: Partial<ConnectedApp>): void };
	faults: {
		setLatency(ms: number): void;
		expireTokens(): void;
		setTokenLifetime(ms: number | null): void;
		/** An error, an HTML page, or a dropped / hung connection on chosen matching data calls (see FaultSpec). */
		inject(fault: FaultSpec): void;
		/** The next Bulk API 2.0 ingest job processes `afterRows` rows, then ends Failed. */
		failNextBulkJob(failure: BulkJobFailure): void;
		setApiQuota(max: number | null): void;
		/** Change Data Capture sends gap events (GAP_CREATE…) instead of change events for the next changed records. */
		injectGap(fault?: GapFault): void;
		/** Changes per transaction beyond which GAP_OVERFLOW events replace change events (null: Salesforce's 100,000). */
		setOverflowThreshold(changes: number | null): void;
		reset(): void;
	};
	/** Change Data Capture and the Streaming API (see README, "Change Data Capture"). */
	cdc: {
		/** The org's selected objects (Setup → Change Data Capture), replacing the current selection. */
		select(objects: string[]): void;
		selected(): string[];
		/** The events the event bus still retains (72 hours on the emulator's clock), oldest first. */
		events(): RetainedEvent[];
		/** Forgets every CometD client session: their next request meets 403::Unknown client. */
		dropSessions(): void;
		/** The long-poll and reconnect timeouts (Salesforce: 110 s and 40 s). */
		setTimeouts(timeouts: Partial<StreamingTimeouts>): void;
	};
	requests: { counts(): RequestCounts; reset(): void };
}

export function createControls(org: Org, log: RequestLog): Controls {
	const { store, clock, faults, oauth, cdc, streaming } = org;
	const copy = <T>(value: T): T => structuredClone(value);
	return {
		clock: {
			now: () => clock.now(),
			set: (t) => clock.set(t),
			advance: (ms) => clock.advance(ms),
			freeze: () => clock.freeze(),
			useRealTime: () => clock.useRealTime(),
		},
		store: {
			insert: (sobject, fields, opts) => store.insert(sobject, fields, opts),
			update: (sobject, id, fields, opts) => store.update(sobject, id, fields, opts),
			delete: (sobject, id, opts) => store.delete(sobject, id, opts),
			undelete: (sobject, id, opts) => store.undelete(sobject, id, opts),
			get: (sobject, id) => copy(store.get(sobject, id)),
			all: (sobject, opts) => copy(store.all(sobject, opts)),
			addField: (sobject, f) => store.addField(sobject, f),
			removeField: (sobject, name) => store.removeField(sobject, name),
		},
		apps: {
			add: (app) => oauth.addApp(app),
			update: (consumerKey, patch) => oauth.updateApp(consumerKey, patch),
		},
		faults: {
			setLatency: (ms) => (faults.latencyMs = ms),
			expireTokens: () => oauth.expireAllTokens(),
			setTokenLifetime: (ms) => (oauth.tokenLifetimeMs = ms),
			inject: (fault) => faults.inject(fault),
			failNextBulkJob: (failure) => faults.failNextBulkJob(failure),
			setApiQuota: (max) => faults.setApiQuota(max),
			injectGap: (fault) => cdc.injectGap(fault),
			setOverflowThreshold: (changes) => cdc.setOverflowThreshold(changes),
			reset: () => {
				faults.reset();
				cdc.resetFaults();
				oauth.tokenLifetimeMs = null;
			},
		},
		cdc: {
			select: (objects) => cdc.select(objects),
			selected: () => cdc.selected(),
			events: () => copy(cdc.retained()),
			dropSessions: () => streaming.dropSessions(),
			setTimeouts: (timeouts) => streaming.setTimeouts(timeouts),
		},
		requests: { counts: () => log.snapshot(), reset: () => log.reset() },
	};
}

type Body = Record<string, unknown>;

export function controlRoutes(org: Org, log: RequestLog): Route[] {
	const controls = createControls(org, log);
	const at = (body: Body) => (body.at ? { at: new Date(body.at as string) } : {});
	const fieldsOf = (body: Body) => Object.fromEntries(Object.entries(body).filter(([k]) => k !== 'at'));
	const base = '/__emulator';
	const cdcState = () => ({ selected: controls.cdc.selected(), latestReplayId: org.cdc.latestReplayId(), timeouts: { ...org.streaming.timeouts } });
	/** POST /__emulator/faults: the same JSON as the in-process controls (pathRegex for a RegExp path). */
	const applyFaults = (body: Body) => {
		if (body.reset) controls.faults.reset();
		if (typeof body.latencyMs === 'number') controls.faults.setLatency(body.latencyMs);
		if (body.expireTokens) controls.faults.expireTokens();
		if ('apiQuota' in body) controls.faults.setApiQuota(body.apiQuota as number | null);
		if ('tokenLifetimeMs' in body) controls.faults.setTokenLifetime(body.tokenLifetimeMs as number | null);
		if (body.failBulkJob) controls.faults.failNextBulkJob(body.failBulkJob as BulkJobFailure);
		if (body.gap) controls.faults.injectGap(body.gap as GapFault);
		if ('overflowThreshold' in body) controls.faults.setOverflowThreshold(body.overflowThreshold as number | null);
		if (typeof body.status === 'number' || typeof body.kind === 'string') {
			const { pathRegex, ...fault } = body as Body & { pathRegex?: string };
			controls.faults.inject({ ...(fault as unknown as FaultSpec), ...(pathRegex ? { path: new RegExp(pathRegex) } : {}) });
		}
	};
	return [
		route('GET', `${base}/requests`, 'control', () => json(200, controls.requests.counts())),
		route('DELETE', `${base}/requests`, 'control', () => {
			controls.requests.reset();
			return { status: 204 };
		}),
		route('POST', `${base}/faults`, 'control', (req) => {
			try {
				applyFaults(readJson<Body>(req) ?? {});
			} catch (error) {
				if (error instanceof TypeError) return json(400, { error: error.message });
				throw error;
			}
			return { status: 204 };
		}),
		route('GET', `${base}/cdc`, 'control', () => json(200, cdcState())),
		/** POST /__emulator/cdc: `{ select?: string[], dropSessions?: true, timeouts?: { connectMs?, reconnectMs? } }`. */
		route('POST', `${base}/cdc`, 'control', (req) => {
			const body = readJson<Body>(req) ?? {};
			try {
				if (body.select) controls.cdc.select(body.select as string[]);
				if (body.timeouts) controls.cdc.setTimeouts(body.timeouts as Partial<StreamingTimeouts>);
			} catch (error) {
				if (error instanceof TypeError) return json(400, { error: error.message });
				throw error;
			}
			if (body.dropSessions) controls.cdc.dropSessions();
			return json(200, cdcState());
		}),
		route('GET', `${base}/cdc/events`, 'control', () => json(200, controls.cdc.events())),
		route('GET', `${base}/clock`, 'control', () => json(200, { now: controls.clock.now().toISOString() })),
		route('POST', `${base}/clock`, 'control', (req) => {
			const body = readJson<Body>(req) ?? {};
			if (body.realTime) controls.clock.useRealTime();
			if (body.set) controls.clock.set(body.set as string);
			if (typeof body.advance === 'number') controls.clock.advance(body.advance);
			if (body.freeze) controls.clock.freeze();
			return json(200, { now: controls.clock.now().toISOString() });
		}),
		route('POST', `${base}/apps`, 'control', (req) => {
			const body = readJson<Partial<ConnectedApp> & { consumerKey: string }>(req);
			if (org.oauth.apps.has(body.consumerKey)) controls.apps.update(body.consumerKey, body);
			else {
				controls.apps.add({
					consumerSecret: '', clientCredentialsEnabled: false, runAsUser: null, pkceRequired: false, callbackUrls: [], scopes: ['api', 'refresh_token'], ...body,
				});
			}
			return json(200, { ...org.oauth.apps.get(body.consumerKey) });
		}),
		route('GET', `${base}/records/{sobject}`, 'control', (req) =>
			json(200, controls.store.all(req.params.sobject, { includeDeleted: req.url.searchParams.get('includeDeleted') === 'true' }))),
		route('POST', `${base}/records/{sobject}`, 'control', (req) => {
			const body = readJson<Body>(req) ?? {};
			return json(201, controls.store.insert(req.params.sobject, fieldsOf(body), at(body)));
		}),
		route('PATCH', `${base}/records/{sobject}/{id}`, 'control', (req) => {
			const body = readJson<Body>(req) ?? {};
			return json(200, controls.store.update(req.params.sobject, req.params.id, fieldsOf(body), at(body)));
		}),
		route('POST', `${base}/records/{sobject}/{id}/undelete`, 'control', (req) => {
			const body = readJson<Body>(req) ?? {};
			return json(200, controls.store.undelete(req.params.sobject, req.params.id, at(body)));
		}),
		route('DELETE', `${base}/records/{sobject}/{id}`, 'control', (req) => {
			const body = readJson<Body>(req) ?? {};
			controls.store.delete(req.params.sobject, req.params.id, at(body));
			return { status: 204 };
		}),
	];
}
