import type { INode, JsonObject } from 'n8n-workflow';
import { NodeApiError, NodeOperationError } from 'n8n-workflow';

import { MY_DOMAIN_FIX } from '../helpers/domain';
import { explainSetupProblem } from '../helpers/setupErrors';
import { URI_LIMIT_TEXT } from './query';

/** Salesforce's error as it reaches us from jsforce (HttpApiError) or from a Collections/Bulk result. */
export interface SalesforceError {
	errorCode?: string;
	statusCode?: string;
	message?: string;
	fields?: string[];
}

const HTTP_STATUS_BY_CODE: Record<string, number> = {
	INVALID_SESSION_ID: 401,
	REQUEST_LIMIT_EXCEEDED: 403,
	INSUFFICIENT_ACCESS: 403,
	API_DISABLED_FOR_ORG: 403,
	NOT_FOUND: 404,
	ENTITY_IS_DELETED: 404,
	MULTIPLE_CHOICES: 300,
	SERVER_UNAVAILABLE: 503,
};

const DESCRIPTION_BY_CODE: Record<string, string> = {
	REQUEST_LIMIT_EXCEEDED:
		"The org's API request limit is used up (Setup → Company Information → API Requests, Last 24 Hours). Wait until usage drops or ask Salesforce for a higher limit; the node does not retry this.",
	INVALID_FIELD: 'Check the field API names against Salesforce Setup → Object Manager → Fields & Relationships.',
	MALFORMED_QUERY: 'Check the SOQL syntax of the query or WHERE clause.',
	REQUIRED_FIELD_MISSING: 'Map a value to every required field listed.',
	INVALID_OR_NULL_FOR_RESTRICTED_PICKLIST: 'Use one of the values offered in the field dropdown.',
	INSUFFICIENT_ACCESS: "The Salesforce user behind the credential lacks permission for this record or object.",
	INSUFFICIENT_ACCESS_OR_READONLY: "The Salesforce user behind the credential lacks permission for this record or object.",
	NOT_FOUND: 'Check the record ID; the record may have been deleted.',
	ENTITY_IS_DELETED: 'The record is in the recycle bin.',
	MALFORMED_ID: 'Salesforce IDs are 15 or 18 characters, e.g. 00Q5g00000AbCdEFGH.',
	DUPLICATE_VALUE: 'Another record already has this value in a unique field.',
	UNABLE_TO_LOCK_ROW: 'Another process held a lock on the record; the node retried and gave up. Run again later.',
};

/** jsforce's errorCode for an answer that is not the API's JSON (an HTML page of Salesforce's front end or a proxy). */
const NON_JSON_PREFIX = 'ERROR_HTTP_';

/** What a non-JSON answer of this HTTP status means, and the fix. */
function nonJsonAnswer(status: string): { message: string; description: string } {
	switch (status) {
		case '414':
		case '431':
			return {
				message: `The request was too long (HTTP ${status}): ${URI_LIMIT_TEXT}`,
				description: 'Shorten what the node sends in the URL (long condition values, long lists of IDs or fields) or spread it over several items.',
			};
		case '502':
		case '503':
		case '504':
			return {
				message: `Salesforce (or a proxy in front of it) is unavailable, e.g. for maintenance or an outage (HTTP ${status})`,
				description: 'Check status.salesforce.com for your instance and try again later.',
			};
		case '404':
			return {
				message: "The Salesforce Domain of the credential does not lead to an org's API (HTTP 404 with a web page)",
				description: `Check the Salesforce Domain in the credential. ${MY_DOMAIN_FIX}.`,
			};
		default:
			return {
				message: `Salesforce answered HTTP ${status} with a page instead of the API's answer`,
				description: 'Check the Salesforce Domain in the credential and any proxy between n8n and Salesforce, then try again.',
			};
	}
}

const TOKEN_LIKE = /\b(00D[A-Za-z0-9]{12,15}![A-Za-z0-9._-]+|Bearer\s+[A-Za-z0-9._!-]+)/g;

/** Removes secrets and tokens from any text that may reach a user, a log or a snapshot. */
export function redact(text: string, secrets: Array<string | undefined>): string {
	let clean = text.replace(TOKEN_LIKE, '[redacted]');
	for (const secret of secrets) {
		if (secret && secret.length >= 4) clean = clean.split(secret).join('[redacted]');
	}
	return clean;
}

export function salesforceErrorOf(error: unknown): SalesforceError {
	const candidate = error as { errorCode?: string; name?: string; message?: string; data?: unknown };
	const data = (Array.isArray(candidate?.data) ? candidate.data[0] : candidate?.data) as SalesforceError | undefined;
	return {
		errorCode: candidate?.errorCode ?? data?.errorCode,
		message: candidate?.message ?? data?.message,
		fields: data?.fields,
	};
}

/** Salesforce's error code of a failure: from the NodeApiError the client made of it, or from jsforce's error. */
export function errorCodeOf(error: unknown): string | undefined {
	const response = (error as { errorResponse?: { errorCode?: unknown } })?.errorResponse;
	const code = response?.errorCode ?? salesforceErrorOf(error).errorCode;
	return typeof code === 'string' ? code : undefined;
}

/**
 * The failure of a binary read (client.downloadBlob), for which jsforce parses no answer: Salesforce's JSON error list
 * arrives as the text of an ERROR_HTTP_<status> error, decoded byte by byte. That list becomes the error it stands for;
 * anything else (an HTML page, a network failure) stays as it is.
 */
export function errorOfBinaryAnswer(error: unknown): unknown {
	const { errorCode, message } = (error ?? {}) as { errorCode?: string; message?: string };
	if (!errorCode?.startsWith(NON_JSON_PREFIX) || !message) return error;
	try {
		const [first] = JSON.parse(Buffer.from(message, 'latin1').toString('utf8')) as SalesforceError[];
		if (typeof first?.errorCode !== 'string') return error;
		return Object.assign(new Error(first.message), { name: first.errorCode, errorCode: first.errorCode, data: first });
	} catch {
		return error;
	}
}

/** A call-level Salesforce failure as NodeApiError with errorCode, message, fields and HTTP status. */
export function toNodeApiError(
	node: INode,
	error: unknown,
	secrets: Array<string | undefined>,
	itemIndex?: number,
): NodeApiError | NodeOperationError {
	if (error instanceof NodeApiError || error instanceof NodeOperationError) return error;
	const { errorCode, message = 'Salesforce request failed', fields } = salesforceErrorOf(error);
	if (errorCode?.startsWith(NON_JSON_PREFIX)) {
		// The page itself (jsforce's `data` and message) is not echoed: it is HTML, and may hold anything.
		const httpCode = errorCode.slice(NON_JSON_PREFIX.length);
		const { message: cause, description } = nonJsonAnswer(httpCode);
		return new NodeApiError(node, { errorCode, message: cause, fields: [] }, { message: cause, description, httpCode, itemIndex });
	}
	const text = redact(message, secrets);
	const setup = explainSetupProblem(`${errorCode ?? ''} ${text}`);
	if (setup && (errorCode === undefined || errorCode === 'API_DISABLED_FOR_ORG')) {
		return new NodeOperationError(node, setup.message, { description: setup.fix, itemIndex });
	}
	const httpCode = String(HTTP_STATUS_BY_CODE[errorCode ?? ''] ?? 400);
	const body: JsonObject = { errorCode: errorCode ?? null, message: text, fields: fields ?? [] };
	return new NodeApiError(node, body, {
		message: errorCode ? `${errorCode}: ${text}` : text,
		description: [DESCRIPTION_BY_CODE[errorCode ?? ''], fields?.length ? `Fields: ${fields.join(', ')}` : '']
			.filter(Boolean)
			.join(' '),
		httpCode,
		itemIndex,
	});
}

/** What Salesforce answered during authentication (token request or first call) as the setup step to fix. */
export function toSetupError(node: INode, error: unknown, secrets: Array<string | undefined>): NodeOperationError {
	const text = redact(authAnswerOf(error), secrets);
	const problem = explainSetupProblem(text);
	return new NodeOperationError(node, problem ? problem.message : `Salesforce authentication failed: ${text}`, {
		description: problem ? `${problem.fix} (Salesforce said: ${text})` : 'Check the Salesforce credential.',
	});
}

/**
 * Salesforce's own words behind an authentication failure. n8n wraps the OAuth client's error (whose `body` holds
 * Salesforce's `error` and `error_description`) in one or two layers, each with a generic message.
 */
function authAnswerOf(error: unknown): string {
	const answers: string[] = [];
	const messages: string[] = [];
	let current = error as { message?: string; cause?: unknown; body?: { error?: string; error_description?: string } } | undefined;
	for (let depth = 0; current && depth < 5; depth++) {
		if (current.body?.error) answers.push([current.body.error, current.body.error_description].filter(Boolean).join(': '));
		if (current.message) messages.push(current.message);
		current = current.cause as typeof current;
	}
	return answers.length > 0 ? answers.join(' ') : (messages[0] ?? 'no answer');
}
