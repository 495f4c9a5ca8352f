// The emulator's controllable clock. It ticks with real time from wherever it was set, unless frozen.
export class Clock {
	private offsetMs = 0;
	private frozenAt: number | undefined;

	now(): Date {
		return new Date(this.frozenAt ?? Date.now() + this.offsetMs);
	}
	set(t: Date | string): void {
		const target = new Date(t).getTime();
		if (Number.isNaN(target)) throw new Error(`Invalid clock time: ${String(t)}`);
		if (this.frozenAt !== undefined) this.frozenAt = target;
		else this.offsetMs = target - Date.now();
	}
	advance(ms: number): void {
		this.set(new Date(this.now().getTime() + ms));
	}
	freeze(): void {
		this.frozenAt = this.now().getTime();
	}
	useRealTime(): void {
		this.frozenAt = undefined;
		this.offsetMs = 0;
	}
}

/** Salesforce prints datetimes with milliseconds and a +0000 offset: 2026-11-22T10:00:00.000+0000. */
export function formatDateTime(d: Date): string {
	return d.toISOString().replace('Z', '+0000');
}

export function formatDate(d: Date): string {
	return d.toISOString().slice(0, 10);
}

/** Parses Salesforce datetime text (2026-01-01T00:00:00Z, ...000+0000, +01:00) or a bare date. */
export function parseDateTime(value: string): Date | undefined {
	const normalized = value.replace(/([+-]\d{2})(\d{2})$/, '$1:$2');
	const d = new Date(/^\d{4}-\d{2}-\d{2}$/.test(normalized) ? normalized + 'T00:00:00Z' : normalized);
	return Number.isNaN(d.getTime()) ? undefined : d;
}
