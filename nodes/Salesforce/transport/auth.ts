import { Connection } from 'jsforce';
import type { ICredentialDataDecryptedObject, INode } from 'n8n-workflow';
import { NodeOperationError } from 'n8n-workflow';

import {
	assertDomainFitsGrant,
	DEFAULT_API_VERSION,
	DomainError,
	parseSalesforceDomain,
	resolveSalesforceDomain,
	type GrantType,
	type SalesforceDomain,
} from '../helpers/domain';
import { toSetupError } from './errors';
import { SalesforceTransport } from './http';
import type { SalesforceContext } from './context';

export const CREDENTIAL_TYPE = 'salesforceAppOAuth2Api';

/**
 * The refresh function's state: its last failure (jsforce wraps it into a plain Error, losing the fix we attached),
 * and the token it last had n8n renew while no call has yet been accepted with it.
 */
export interface AuthState {
	failure?: NodeOperationError;
	unconfirmedToken?: string;
}

export interface Session {
	conn: Connection;
	/** Values to redact from anything a user may see. */
	secrets: Array<string | undefined>;
	auth: AuthState;
	/**
	 * Renews the session through n8n as a rejected REST call does, for clients that do not go through jsforce's
	 * requests (the Streaming API): the connection then carries the new token.
	 */
	renew(): Promise<void>;
}

/**
 * A jsforce Connection built from the token n8n stores for the credential; n8n stays the owner of tokens. When
 * Salesforce answers 401 INVALID_SESSION_ID, the refresh function reads the stored token back: one that another
 * execution renewed meanwhile serves as it is; otherwise n8n renews it (`helpers.refreshOAuth2Token`: one token
 * request, under n8n's per-credential lock, persisted) and jsforce replays the call. An n8n without that helper (before
 * 1.119) renews through one authenticated probe instead (its 401 makes n8n renew, then it is sent again).
 */
export async function openSession(ctx: SalesforceContext, settings: { timeoutSeconds: number }): Promise<Session> {
	const node = ctx.getNode();
	let credentials = await ctx.getCredentials(CREDENTIAL_TYPE);
	const secrets = () => [credentials.clientSecret as string, tokenOf(credentials).access_token];
	const domain = domainOf(node, credentials);
	const version = apiVersionOf(node, credentials);
	const apiOrigin = (instanceUrl: string | undefined) => apiOriginOf(node, instanceUrl, domain, credentials);
	const probeUrl = () => `${apiOrigin(tokenOf(credentials).instance_url)}/services/data/v${version}/limits`;

	// n8n fetches (client credentials, first use), re-grants or refreshes the token and persists it; it is read back.
	const renewThroughN8n = async () => {
		try {
			if (typeof ctx.helpers.refreshOAuth2Token === 'function' && tokenOf(credentials).access_token) {
				await ctx.helpers.refreshOAuth2Token.call(ctx, CREDENTIAL_TYPE);
			} else {
				await ctx.helpers.httpRequestWithAuthentication.call(ctx, CREDENTIAL_TYPE, { method: 'GET', url: probeUrl(), json: true });
			}
		} catch (error) {
			throw toSetupError(node, error, secrets());
		}
		credentials = await ctx.getCredentials(CREDENTIAL_TYPE);
		const token = tokenOf(credentials);
		if (!token.access_token) {
			throw new NodeOperationError(node, 'Salesforce returned no access token', {
				description: 'Open the credential and test or reconnect it.',
			});
		}
		return token;
	};

	if (!tokenOf(credentials).access_token) await renewThroughN8n();
	const token = tokenOf(credentials);
	const auth: AuthState = {};

	// A token for the connection in place of the rejected one, or the failure (recorded: jsforce replaces it by a plain Error).
	const renew = async (): Promise<string> => {
		try {
			const rejected = conn.accessToken;
			credentials = await ctx.getCredentials(CREDENTIAL_TYPE);
			let current = tokenOf(credentials);
			if (current.access_token && current.access_token !== rejected) {
				// Renewed by another execution: used as it is, without a token request (and not counted as renewed here).
				auth.unconfirmedToken = undefined;
			} else {
				// Salesforce rejected the very token this session renewed, before accepting any call with it: renewing
				// again would loop forever.
				if (rejected && rejected === auth.unconfirmedToken) {
					throw new NodeOperationError(node, 'Salesforce keeps rejecting a freshly renewed session (INVALID_SESSION_ID)', {
						description:
							'Check that the (Run As) user has the "API Enabled" permission and that no session security policy (IP restrictions, high-assurance sessions) blocks this API call.',
					});
				}
				current = await renewThroughN8n();
				auth.unconfirmedToken = current.access_token;
			}
			if (current.instance_url) conn.instanceUrl = apiOrigin(current.instance_url);
			return current.access_token as string;
		} catch (error) {
			auth.failure = error instanceof NodeOperationError ? error : new NodeOperationError(node, error as Error);
			throw auth.failure;
		}
	};

	const conn = new Connection({
		instanceUrl: apiOrigin(token.instance_url),
		accessToken: token.access_token,
		version,
		maxRequest: 1000,
		refreshFn: (_conn, callback) => {
			renew().then(
				(accessToken) => callback(null, accessToken),
				(error: NodeOperationError) => callback(error),
			);
		},
	});
	// Every HTTP call (REST, Collections, Bulk 2.0, SOAP) goes through this transport (http.ts).
	conn._transport = new SalesforceTransport({
		timeoutSeconds: settings.timeoutSeconds,
		onResponse: (statusCode) => {
			if (statusCode !== 401) auth.unconfirmedToken = undefined;
		},
	});
	return {
		conn,
		secrets: secrets(),
		auth,
		renew: async () => {
			conn.accessToken = await renew();
		},
	};
}

/** sObject Collections upsert, the newest API the node calls, exists from this version on. */
const MIN_API_VERSION = 46;

/** The credential's API Version as NN.N (a leading v is tolerated), refused when the node cannot work with it. */
function apiVersionOf(node: INode, credentials: ICredentialDataDecryptedObject): string {
	const raw = String(credentials.apiVersion || DEFAULT_API_VERSION).trim();
	const version = raw.replace(/^v/i, '');
	const fix = `Field: API Version (in the credential). Use ${DEFAULT_API_VERSION}, or any version from ${MIN_API_VERSION.toFixed(1)} your org offers.`;
	if (!/^\d{2,3}\.\d$/.test(version)) {
		throw new NodeOperationError(node, `The credential's API Version "${raw}" is not a Salesforce API version (like ${DEFAULT_API_VERSION})`, { description: fix });
	}
	if (Number(version) < MIN_API_VERSION) {
		throw new NodeOperationError(node, `The credential's API Version ${version} is too old: the node needs ${MIN_API_VERSION.toFixed(1)} or later (sObject Collections upsert)`, {
			description: fix,
		});
	}
	return version;
}

function domainOf(node: INode, credentials: ICredentialDataDecryptedObject) {
	try {
		const domain = parseSalesforceDomain(credentials.domain, { allowLocalTestServer: credentials.allowLocalTestServer });
		assertDomainFitsGrant(domain, (credentials.grantType as GrantType) ?? 'clientCredentials');
		return domain;
	} catch (error) {
		if (!(error instanceof DomainError)) throw new NodeOperationError(node, error as Error);
		throw new NodeOperationError(node, error.message, {
			description: 'Field: Salesforce Domain (in the credential)',
		});
	}
}

/**
 * Where data calls go: the token's instance_url, which must pass the same check as the credential's domain (a token
 * answer cannot send the access token to another host). It can be missing after a refresh (n8n issue #34916): the
 * domain then serves the API.
 */
function apiOriginOf(node: INode, instanceUrl: string | undefined, domain: SalesforceDomain, credentials: ICredentialDataDecryptedObject): string {
	if (!instanceUrl) return domain.origin;
	const instance = resolveSalesforceDomain(instanceUrl, credentials.allowLocalTestServer);
	if (instance.refused) {
		throw new NodeOperationError(node, `Salesforce's token answer names an instance URL that is not a Salesforce host (${instance.host})`, {
			description:
				'The node sends the access token only to Salesforce hosts. Check that the Salesforce Domain in the credential is your My Domain URL, then reconnect the credential.',
		});
	}
	return instance.origin;
}

function tokenOf(credentials: ICredentialDataDecryptedObject): { access_token?: string; instance_url?: string } {
	return (credentials.oauthTokenData ?? {}) as { access_token?: string; instance_url?: string };
}
