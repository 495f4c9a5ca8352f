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

const DATE_TIME = /^(\d{4})-(\d{2})-(\d{2})(?:T(\d{2}):(\d{2})(?::(\d{2})(?:\.(\d{1,9}))?)?(Z|[+-]\d{2}:?\d{2})?)?$/;

/**
 * Parses Salesforce date and datetime text strictly (2026-01-01, 2026-01-01T00:00:00Z, …000+0000, +01:00; no zone
 * is UTC). Anything else is undefined: other layouts (01/02/2026) and days that do not exist (2026-02-30) are
 * refused, never rolled over into another date.
 */
export function parseDateTime(value: string): Date | undefined {
	const match = DATE_TIME.exec(value);
	if (!match) return undefined;
	const [, year, month, day, hour = '0', minute = '0', second = '0', fraction = '', zone = 'Z'] = match;
	const parts = [year, month, day, hour, minute, second].map(Number);
	const utc = new Date(Date.UTC(parts[0], parts[1] - 1, parts[2], parts[3], parts[4], parts[5], Number(fraction.padEnd(3, '0').slice(0, 3))));
	const exact = [utc.getUTCFullYear(), utc.getUTCMonth() + 1, utc.getUTCDate(), utc.getUTCHours(), utc.getUTCMinutes(), utc.getUTCSeconds()];
	if (exact.some((n, i) => n !== parts[i])) return undefined;
	const offset = /^([+-])(\d{2}):?(\d{2})$/.exec(zone);
	const offsetMinutes = offset ? (offset[1] === '-' ? -1 : 1) * (Number(offset[2]) * 60 + Number(offset[3])) : 0;
	return new Date(utc.getTime() - offsetMinutes * 60_000);
}
