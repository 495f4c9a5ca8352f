import type { DescribeResult, GlobalDescribeEntry, QueryPage, Requester, SalesforceRecord } from './types';

export interface QueryOptions {
	/** queryAll: include deleted and archived rows. */
	includeDeleted?: boolean;
	/** Records per page (Sforce-Query-Options batchSize). */
	batchSize?: number;
}

/** First page of a query (`includeDeleted` uses queryAll); follow with queryMore(nextRecordsUrl). */
export function query<T = SalesforceRecord>(requester: Requester, soql: string, options: QueryOptions = {}) {
	const resource = options.includeDeleted ? 'queryAll' : 'query';
	const headers = options.batchSize ? { 'Sforce-Query-Options': `batchSize=${options.batchSize}` } : undefined;
	return requester.request<QueryPage<T>>('GET', `/${resource}?q=${encodeURIComponent(soql)}`, undefined, headers);
}

export function queryMore<T = SalesforceRecord>(requester: Requester, nextRecordsUrl: string) {
	return requester.request<QueryPage<T>>('GET', nextRecordsUrl);
}

/** All records up to `max` (follows nextRecordsUrl, never OFFSET). */
export async function queryAllPages<T = SalesforceRecord>(
	requester: Requester,
	soql: string,
	options: QueryOptions & { max?: number } = {},
): Promise<T[]> {
	const max = options.max ?? Infinity;
	let page = await query<T>(requester, soql, options);
	const records = [...page.records];
	while (!page.done && page.nextRecordsUrl && records.length < max) {
		page = await queryMore<T>(requester, page.nextRecordsUrl);
		records.push(...page.records);
	}
	return records.slice(0, max);
}

/** Describe results of one client, each object described once (a failed describe is asked again next time). */
export class DescribeCache {
	private readonly results = new Map<string, Promise<DescribeResult>>();

	constructor(private readonly requester: Requester) {}

	describe(sobject: string): Promise<DescribeResult> {
		const key = sobject.toLowerCase();
		let result = this.results.get(key);
		if (!result) {
			result = this.requester.request<DescribeResult>('GET', `/sobjects/${encodeURIComponent(sobject)}/describe`);
			this.results.set(key, result);
			result.catch(() => this.results.delete(key));
		}
		return result;
	}

	async describeGlobal(): Promise<GlobalDescribeEntry[]> {
		const result = await this.requester.request<{ sobjects: GlobalDescribeEntry[] }>('GET', '/sobjects');
		return result.sobjects;
	}
}
