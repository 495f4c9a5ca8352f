// Fault injection: latency, errors and network failures for chosen matching data calls, a failing Bulk ingest job,
// and the daily API request quota.

/** Which data calls a fault matches, and which of them it fires on. */
interface FaultMatch {
	method?: string;
	path?: string | RegExp;
	/** Fire on the nth matching call from now (1-based, default 1), then on the following ones until `count` fired. */
	nth?: number;
	/** Instead of nth: fire on this share (0..1) of the matching calls, drawn from a PRNG seeded with `seed`. */
	share?: number;
	seed?: number;
	/** How many calls the fault fires on (default 1; with `share`, unlimited). */
	count?: number;
}

/** A Salesforce error answer: `[{ message, errorCode }]` with `status`. */
export interface ErrorFault extends FaultMatch {
	kind?: 'error';
	status: number;
	errorCode: string;
	message?: string;
}

/**
 * A network failure. dropBefore: the socket is destroyed before the request is processed. dropAfter: the request is
 * processed (store changed), then the socket is destroyed before any byte of the answer. hang: the request is never
 * processed nor answered; the socket stays open until the client gives up or the emulator closes.
 */
export interface NetworkFault extends FaultMatch {
	kind: 'dropBefore' | 'dropAfter' | 'hang';
}

/** An HTML page instead of the API's JSON, as a load balancer or Salesforce's maintenance page answers (default 503). */
export interface HtmlFault extends FaultMatch {
	kind: 'html';
	status?: number;
}

export type FaultSpec = ErrorFault | NetworkFault | HtmlFault;

/** Bulk API 2.0: the next ingest job processes `afterRows` rows, then ends Failed with `errorMessage`. */
export interface BulkJobFailure {
	afterRows: number;
	errorMessage?: string;
}

export const DEFAULT_API_QUOTA = 15000;
export const DEFAULT_BULK_FAILURE_MESSAGE = 'InternalServerError : Failed to process the job. Contact Salesforce Support.';

interface ArmedFault {
	spec: FaultSpec;
	/** Matching calls to let through before the first firing (nth - 1). */
	skip: number;
	remaining: number;
	random?: () => number;
}

export class Faults {
	latencyMs = 0;
	apiQuota: number | null = null;
	apiUsage = 0;
	bulkJobFailure: BulkJobFailure | null = null;
	private armed: ArmedFault[] = [];

	inject(spec: FaultSpec): void {
		const kind = spec.kind ?? 'error';
		if (!['error', 'dropBefore', 'dropAfter', 'hang', 'html'].includes(kind)) throw new TypeError(`Unknown fault kind '${kind}'`);
		if (kind === 'error' && (typeof (spec as ErrorFault).status !== 'number' || !(spec as ErrorFault).errorCode)) {
			throw new TypeError('An error fault needs a numeric status and an errorCode');
		}
		if (spec.nth !== undefined && !(Number.isInteger(spec.nth) && spec.nth >= 1)) throw new TypeError('nth must be an integer ≥ 1');
		if (spec.share !== undefined && !(spec.share >= 0 && spec.share <= 1)) throw new TypeError('share must be between 0 and 1');
		this.armed.push({
			spec,
			skip: (spec.nth ?? 1) - 1,
			remaining: spec.count ?? (spec.share === undefined ? 1 : Infinity),
			random: spec.share === undefined ? undefined : mulberry32(spec.seed ?? 1),
		});
	}

	/** The fault this data call meets, if any. Every matching fault sees the call; the first one due fires. */
	take(method: string, path: string): FaultSpec | undefined {
		let fired: ArmedFault | undefined;
		for (const fault of this.armed) {
			const { spec } = fault;
			if (spec.method && spec.method.toUpperCase() !== method) continue;
			if (spec.path !== undefined && !(typeof spec.path === 'string' ? path.includes(spec.path) : spec.path.test(path))) continue;
			const due = fault.random ? fault.random() < spec.share! : fault.skip-- <= 0;
			if (due && !fired) fired = fault;
		}
		if (!fired) return undefined;
		if (--fired.remaining <= 0) this.armed = this.armed.filter((f) => f !== fired);
		return fired.spec;
	}

	failNextBulkJob(failure: BulkJobFailure): void {
		if (!(Number.isInteger(failure.afterRows) && failure.afterRows >= 0)) throw new TypeError('afterRows must be an integer ≥ 0');
		this.bulkJobFailure = failure;
	}

	/** The pending Bulk job failure, consumed by the ingest job that takes it. */
	takeBulkJobFailure(): BulkJobFailure | null {
		const failure = this.bulkJobFailure;
		this.bulkJobFailure = null;
		return failure;
	}

	setApiQuota(max: number | null): void {
		this.apiQuota = max;
		this.apiUsage = 0;
	}

	get apiMax(): number {
		return this.apiQuota ?? DEFAULT_API_QUOTA;
	}

	reset(): void {
		this.latencyMs = 0;
		this.apiQuota = null;
		this.apiUsage = 0;
		this.bulkJobFailure = null;
		this.armed = [];
	}
}

/** A small seeded PRNG (mulberry32): the same seed gives the same firing pattern. */
function mulberry32(seed: number): () => number {
	let state = seed >>> 0;
	return () => {
		state = (state + 0x6d2b79f5) >>> 0;
		let t = state;
		t = Math.imul(t ^ (t >>> 15), t | 1);
		t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
		return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
	};
}
