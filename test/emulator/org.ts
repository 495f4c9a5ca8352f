// Everything the emulated org holds, shared by the HTTP modules.
import { AsyncLocalStorage } from 'node:async_hooks';
import { randomBytes } from 'node:crypto';
import { Clock } from './clock.ts';
import { ChangeDataCapture } from './cdc.ts';
import { Faults } from './faults.ts';
import { caseSafeSuffix } from './ids.ts';
import { OAuthServer } from './oauth.ts';
import { seedData, seedSetup } from './seed.ts';
import { Store } from './store.ts';
import { StreamingApi } from './streaming.ts';
import type { SObjectRecord } from './store.ts';
import type { Reply } from './http.ts';

interface QueryCursor {
	records: SObjectRecord[];
	batchSize: number;
	createdAt: number;
}

const MAX_CURSORS = 200;

/** The origin the client used for the current request (see requestOrigin), for that request only. */
const requestOrigin = new AsyncLocalStorage<string>();

export class Org {
	readonly clock = new Clock();
	readonly store: Store;
	readonly faults = new Faults();
	readonly oauth: OAuthServer;
	readonly cdc: ChangeDataCapture;
	readonly streaming: StreamingApi;
	readonly adminUserId: string;
	private defaultBaseUrl = '';
	/** The emulator's own URL; during a request, the origin the client used. */
	get baseUrl(): string {
		return requestOrigin.getStore() ?? this.defaultBaseUrl;
	}
	set baseUrl(url: string) {
		this.defaultBaseUrl = url;
	}
	/** Runs fn with baseUrl answering `origin` (undefined: the default URL). */
	withOrigin<T>(origin: string | undefined, fn: () => T): T {
		return origin ? requestOrigin.run(origin, fn) : fn();
	}
	/** Runs a request through the router without counting it (composite subrequests). */
	dispatch: (method: string, path: string, body: unknown, userId: string) => Promise<Reply> = async () => ({ status: 500 });
	private readonly cursors = new Map<string, QueryCursor>();

	constructor(options: { seed: boolean; clock?: Date | string }) {
		if (options.clock) this.clock.set(options.clock);
		this.store = new Store(this.clock);
		this.oauth = new OAuthServer(this.clock, () => this.baseUrl);
		this.adminUserId = seedSetup(this.store);
		this.oauth.adminUserId = this.adminUserId;
		this.oauth.addDefaultApp(this.adminUserId);
		if (options.seed) seedData(this.store);
		// The starting data is there before Change Data Capture: it publishes the changes made from now on.
		this.cdc = new ChangeDataCapture(this.clock, this.store);
		this.store.observer = this.cdc.observe;
		this.streaming = new StreamingApi(this);
	}

	/** Ends what outlives requests: the Streaming API's waiting clients and timers. */
	close(): void {
		this.streaming.close();
	}

	/** Keeps query results beyond the first batch; the locator is `<cursorId>-<offset>`. */
	openCursor(records: SObjectRecord[], batchSize: number): string {
		const id15 = '01g8a' + randomBytes(8).toString('hex').slice(0, 10).toUpperCase();
		const cursorId = id15 + caseSafeSuffix(id15);
		this.cursors.set(cursorId, { records, batchSize, createdAt: Date.now() });
		if (this.cursors.size > MAX_CURSORS) this.cursors.delete(this.cursors.keys().next().value!);
		return cursorId;
	}

	cursor(cursorId: string): QueryCursor | undefined {
		return this.cursors.get(cursorId);
	}
}
