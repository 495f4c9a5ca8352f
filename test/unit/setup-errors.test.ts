import { Connection } from 'jsforce';
import { HttpApi } from 'jsforce/lib/http-api';
import { NodeApiError, NodeOperationError, type INode } from 'n8n-workflow';
import { describe, expect, it } from 'vitest';

import { explainSetupProblem } from '../../nodes/Salesforce/helpers/setupErrors';
import { redact, toNodeApiError, toSetupError } from '../../nodes/Salesforce/transport/errors';

const node: INode = { id: '1', name: 'Salesforce', type: 'salesforceCrm', typeVersion: 1, position: [0, 0], parameters: {} };

describe('setup problems', () => {
	it.each([
		['invalid_client_id: client identifier invalid', 'invalid_client_id', /Consumer Key.*10 minutes/s],
		['invalid_client: invalid client credentials', 'invalid_client', /Consumer Secret/],
		['invalid_grant: request not supported on this domain', 'my_domain_required', /My Domain/],
		['invalid_grant: no client credentials user enabled', 'no_run_as_user', /Run As user/],
		['unsupported_grant_type: grant type not supported', 'client_credentials_disabled', /Enable Client Credentials Flow/],
		['invalid_request: missing required code challenge', 'pkce_mismatch', /PKCE/],
		['redirect_uri_mismatch', 'redirect_uri_mismatch', /Callback URL/],
		['API_DISABLED_FOR_ORG: API is not enabled for this Organization or Partner', 'api_scope_missing', /\(api\)/],
	])('maps "%s"', (text, code, fix) => {
		const problem = explainSetupProblem(text);
		expect(problem?.code).toBe(code);
		expect(problem?.fix).toMatch(fix);
	});

	it('leaves unknown answers alone', () => {
		expect(explainSetupProblem('something else')).toBeUndefined();
	});

	it("turns n8n's token failure into the setup step, without the secret", () => {
		const secret = 'top-secret-value-123';
		const error = Object.assign(new Error('Failed to acquire OAuth2 access token: invalid client credentials'), {
			cause: { body: { error: 'invalid_client', error_description: `invalid client credentials ${secret}` } },
		});
		const mapped = toSetupError(node, error, [secret]);
		expect(mapped).toBeInstanceOf(NodeOperationError);
		expect(mapped.message).toBe('Salesforce rejected the Consumer Secret');
		expect(mapped.description).toMatch(/Copy the Consumer Secret again/);
		expect(JSON.stringify({ m: mapped.message, d: mapped.description })).not.toContain(secret);
	});
});

describe('API errors', () => {
	it('carries errorCode, fields and HTTP status', () => {
		const error = Object.assign(new Error('Required fields are missing: [LastName]'), {
			errorCode: 'REQUIRED_FIELD_MISSING',
			data: { errorCode: 'REQUIRED_FIELD_MISSING', message: 'Required fields are missing: [LastName]', fields: ['LastName'] },
		});
		const mapped = toNodeApiError(node, error, [], 3) as NodeApiError;
		expect(mapped).toBeInstanceOf(NodeApiError);
		expect(mapped.httpCode).toBe('400');
		expect(mapped.message).toBe('REQUIRED_FIELD_MISSING: Required fields are missing: [LastName]');
		expect(mapped.description).toContain('Fields: LastName');
		expect(mapped.context.itemIndex).toBe(3);
	});

	it('explains REQUEST_LIMIT_EXCEEDED and does not call it retryable', () => {
		const mapped = toNodeApiError(node, Object.assign(new Error('TotalRequests Limit exceeded.'), { errorCode: 'REQUEST_LIMIT_EXCEEDED' }), []) as NodeApiError;
		expect(mapped.httpCode).toBe('403');
		expect(mapped.description).toMatch(/API request limit.*does not retry/);
	});

	it('redacts access tokens and secrets', () => {
		const token = '00D5g000004xyzA!AQ4AQFakeTokenValue.123';
		expect(redact(`Bearer abc.def and ${token} and s3cr3t-value`, ['s3cr3t-value'])).toBe('[redacted] and [redacted] and [redacted]');
	});
});

describe('answers that are not the API\'s JSON (jsforce: ERROR_HTTP_<status>)', () => {
	const token = '00D5g000004xyzA!AQ4AQFakeTokenValue.123';
	const page = `<!DOCTYPE html><html><body><h1>Error</h1><p>Authorization: Bearer ${token}</p></body></html>`;

	/** The error jsforce's own HttpApi makes of such an answer (its message for text/html says "Check that the org exists"). */
	async function jsforceError(status: number, contentType: string): Promise<Error> {
		const api = new HttpApi(new Connection({}), {}) as unknown as { getError(response: unknown): Promise<Error> };
		return await api.getError({ statusCode: status, headers: { 'content-type': contentType }, body: page });
	}

	it.each([
		[414, 'text/html;charset=iso-8859-1', /^The request was too long \(HTTP 414\): Salesforce accepts at most 16,384 bytes of URL and headers$/, /Shorten/],
		[431, 'text/html;charset=iso-8859-1', /^The request was too long \(HTTP 431\): Salesforce accepts at most 16,384 bytes of URL and headers$/, /Shorten/],
		[502, 'text/html', /^Salesforce \(or a proxy in front of it\) is unavailable, e\.g\. for maintenance or an outage \(HTTP 502\)$/, /status\.salesforce\.com.*try again later/],
		[503, 'text/html', /^Salesforce \(or a proxy in front of it\) is unavailable, e\.g\. for maintenance or an outage \(HTTP 503\)$/, /status\.salesforce\.com/],
		[504, 'text/plain', /is unavailable, e\.g\. for maintenance or an outage \(HTTP 504\)$/, /status\.salesforce\.com/],
		[404, 'text/html', /^The Salesforce Domain of the credential does not lead to an org's API \(HTTP 404 with a web page\)$/, /My Domain URL/],
		[500, 'text/html', /^Salesforce answered HTTP 500 with a page instead of the API's answer$/, /Salesforce Domain/],
	])('HTTP %i (%s) names the cause, keeps the status, echoes no page and no secret', async (status, contentType, message, description) => {
		const error = await jsforceError(status, contentType);
		expect((error as { errorCode?: string }).errorCode).toBe(`ERROR_HTTP_${status}`);

		const mapped = toNodeApiError(node, error, [token], 2) as NodeApiError;
		expect(mapped).toBeInstanceOf(NodeApiError);
		expect(mapped.message).toMatch(message);
		expect(mapped.description).toMatch(description);
		expect(mapped.httpCode).toBe(String(status));
		expect(mapped.context.itemIndex).toBe(2);
		const shown = JSON.stringify({ ...mapped, message: mapped.message, description: mapped.description });
		expect(shown).not.toMatch(/org exists|<html|<h1>/);
		expect(shown).not.toContain(token);
	});
});
