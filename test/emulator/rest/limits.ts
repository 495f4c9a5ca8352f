// GET /services/data/vXX.X/limits: the org's allocations, with the daily API requests the emulator counts.
import { json, route } from '../http.ts';
import type { Route } from '../http.ts';
import type { Org } from '../org.ts';

export function limitRoutes(org: Org): Route[] {
	return [
		route('GET', '/services/data/v{version}/limits', 'data', () => {
			const quota = (max: number, used = 0) => ({ Max: max, Remaining: Math.max(0, max - used) });
			return json(200, {
				DailyApiRequests: quota(org.faults.apiMax, org.faults.apiUsage),
				DailyBulkApiBatches: quota(15000), DailyBulkV2QueryFileStorageMB: quota(976562), DailyBulkV2QueryJobs: quota(10000),
				DataStorageMB: quota(5), FileStorageMB: quota(20), HourlyODataCallout: quota(10000), SingleEmail: quota(15),
			});
		}),
	];
}
