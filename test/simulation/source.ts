// A thin ChangeSource over the emulator's REST API (token, query, queryMore, describe), for driving the trigger's
// poll logic directly at simulation speed; the node itself is tested through n8n-core in test/integration.
import type { ChangeSource } from '../../nodes/Salesforce/trigger/poll.ts';
import { DEFAULT_APP_KEY, DEFAULT_APP_SECRET } from '../emulator/index.ts';

export class SalesforceApiError extends Error {
	constructor(
		readonly errorCode: string,
		message: string,
	) {
		super(`${errorCode}: ${message}`);
	}
}

export async function emulatorSource(url: string): Promise<ChangeSource> {
	const tokenResponse = await fetch(`${url}/services/oauth2/token`, {
		method: 'POST',
		headers: { 'content-type': 'application/x-www-form-urlencoded' },
		body: new URLSearchParams({ grant_type: 'client_credentials', client_id: DEFAULT_APP_KEY, client_secret: DEFAULT_APP_SECRET }),
	});
	const { access_token: token } = (await tokenResponse.json()) as { access_token: string };
	const get = async <T>(path: string, headers: Record<string, string> = {}): Promise<T> => {
		const response = await fetch(`${url}${path}`, { headers: { authorization: `Bearer ${token}`, ...headers } });
		const body = (await response.json()) as T;
		if (!response.ok) {
			const [error] = body as Array<{ errorCode: string; message: string }>;
			throw new SalesforceApiError(error.errorCode, error.message);
		}
		return body;
	};
	return {
		query: (soql, options = {}) =>
			get(
				`/services/data/v64.0/${options.includeDeleted ? 'queryAll' : 'query'}?q=${encodeURIComponent(soql)}`,
				options.batchSize ? { 'sforce-query-options': `batchSize=${options.batchSize}` } : {},
			),
		queryMore: (nextRecordsUrl) => get(nextRecordsUrl),
		describe: (sobject) => get(`/services/data/v64.0/sobjects/${sobject}/describe`),
	};
}
