// Fault injection: latency, failures for the next N matching data calls, and the daily API request quota.
export interface FaultSpec {
	method?: string;
	path?: string | RegExp;
	status: number;
	errorCode: string;
	message?: string;
	count?: number;
}

export const DEFAULT_API_QUOTA = 15000;

export class Faults {
	latencyMs = 0;
	apiQuota: number | null = null;
	apiUsage = 0;
	private injected: Array<FaultSpec & { remaining: number }> = [];

	inject(fault: FaultSpec): void {
		this.injected.push({ ...fault, remaining: fault.count ?? 1 });
	}

	/** The injected fault this call consumes, if one matches. */
	take(method: string, path: string): FaultSpec | undefined {
		const fault = this.injected.find(
			(f) =>
				f.remaining > 0 &&
				(!f.method || f.method.toUpperCase() === method) &&
				(f.path === undefined || (typeof f.path === 'string' ? path.includes(f.path) : f.path.test(path))),
		);
		if (!fault) return undefined;
		if (--fault.remaining === 0) this.injected = this.injected.filter((f) => f !== fault);
		return fault;
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
		this.injected = [];
	}
}
