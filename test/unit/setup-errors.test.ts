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
