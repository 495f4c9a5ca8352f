// Replication: GET sobjects/{sobject}/updated and /deleted over a start–end window (whole minutes, up to now);
// deleted records are listed for 15 days.
import { formatDateTime, parseDateTime } from '../clock.ts';
import { SalesforceError } from '../errors.ts';
import { json, route } from '../http.ts';
import type { Request, Route } from '../http.ts';
import type { Store } from '../store.ts';
import type { Org } from '../org.ts';

const SOBJECT = '/services/data/v{version}/sobjects/{sobject}';
const MINUTE = 60_000;
const DELETED_RETENTION_MS = 15 * 24 * 60 * MINUTE;

export function updatedDeletedRoutes(org: Org): Route[] {
	const { store } = org;
	return [
		route('GET', `${SOBJECT}/updated`, 'data', (req) => {
			const meta = store.describe(req.params.sobject);
			const { start, end } = replicationWindow(store, req);
			const ids = store.all(meta.name)
				.filter((r) => {
					const t = parseDateTime(r.SystemModstamp as string)!.getTime();
					return t >= start && t < end;
				})
				.map((r) => r.Id);
			return json(200, { ids, latestDateCovered: formatDateTime(new Date(end)) });
		}),
		route('GET', `${SOBJECT}/deleted`, 'data', (req) => {
			const meta = store.describe(req.params.sobject);
			const { start, end, now } = replicationWindow(store, req);
			const earliest = Math.floor((now - DELETED_RETENTION_MS) / MINUTE) * MINUTE;
			const deletedRecords = store.all(meta.name, { includeDeleted: true })
				.filter((r) => r.IsDeleted)
				.map((r) => ({ id: r.Id as string, deletedDate: store.deletedDate(r.Id as string)! }))
				.filter((d) => d.deletedDate.getTime() >= Math.max(start, earliest) && d.deletedDate.getTime() < end)
				.map((d) => ({ id: d.id, deletedDate: formatDateTime(d.deletedDate) }));
			return json(200, { deletedRecords, earliestDateAvailable: formatDateTime(new Date(earliest)), latestDateCovered: formatDateTime(new Date(end)) });
		}),
	];
}

function replicationWindow(store: Store, req: Request) {
	const start = parseDateTime(req.url.searchParams.get('start') ?? '');
	const end = parseDateTime(req.url.searchParams.get('end') ?? '');
	if (!start || !end) throw new SalesforceError('MISSING_ARGUMENT', 'start and end must be specified');
	if (end < start) throw new SalesforceError('INVALID_REPLICATION_DATE', 'EndDate can not be before StartDate');
	const floorMinute = (t: number) => Math.floor(t / MINUTE) * MINUTE;
	const now = store.now().getTime();
	return { start: floorMinute(start.getTime()), end: floorMinute(Math.min(end.getTime(), now)), now };
}
