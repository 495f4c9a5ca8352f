import { Connection } from 'jsforce';
import type { ICredentialDataDecryptedObject, INode } from 'n8n-workflow';
import { NodeOperationError } from 'n8n-workflow';

import { assertDomainFitsGrant, DEFAULT_API_VERSION, parseSalesforceDomain, type GrantType } from '../helpers/domain';
import { toSetupError } from './errors';
import { SalesforceTransport } from './http';
import type { SalesforceContext } from './context';

export const CREDENTIAL_TYPE = 'salesforceAppOAuth2Api';

/**
 * The refresh function's state: its last failure (jsforce wraps it into a plain Error, losing the fix we attached),
 * and the token it last handed out while no call has yet been accepted with it.
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
}

/**
 * A jsforce Connection built from the token n8n stores for the credential; n8n stays the owner of tokens: when
 * Salesforce answers 401 INVALID_SESSION_ID, the refresh function makes one authenticated call through n8n's OAuth2
 * helper (which re-grants client credentials or refreshes the authorization-code token under its per-credential
 * lock and persists it), then reads the new token back.
 */
export async function openSession(ctx: SalesforceContext, settings: { timeoutSeconds: number }): Promise<Session> {
	const node = ctx.getNode();
	let credentials = await ctx.getCredentials(CREDENTIAL_TYPE);
	const secrets = () => [credentials.clientSecret as string, tokenOf(credentials).access_token];
	const domain = domainOf(node, credentials);
	const version = String(credentials.apiVersion || DEFAULT_API_VERSION).replace(/^v/i, '');
	const probeUrl = () => `${tokenOf(credentials).instance_url ?? domain.origin}/services/data/v${version}/limits`;

	// Let n8n fetch (client credentials, first use) or re-grant/refresh and persist the token, then read it back.
	const renewThroughN8n = async () => {
		try {
			await ctx.helpers.httpRequestWithAuthentication.call(ctx, CREDENTIAL_TYPE, {
				method: 'GET',
				url: probeUrl(),
				json: true,
			});
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
	const conn = new Connection({
		// instance_url can be missing after a refresh (n8n issue #34916): the domain then serves the API.
		instanceUrl: token.instance_url ?? domain.origin,
		accessToken: token.access_token,
		version,
		maxRequest: 1000,
		refreshFn: (_conn, callback) => {
			renewThroughN8n().then(
				(renewed) => {
					// n8n hands back a token that passes its probe. If Salesforce rejected that very token right after
					// it was handed out, before accepting any call with it, renewing again would loop forever.
					if (renewed.access_token === auth.unconfirmedToken) {
						auth.failure = new NodeOperationError(node, 'Salesforce keeps rejecting a freshly checked session (INVALID_SESSION_ID)', {
							description:
								'Check that the (Run As) user has the "API Enabled" permission and that no session security policy (IP restrictions, high-assurance sessions) blocks this API call.',
						});
						callback(auth.failure);
						return;
					}
					auth.unconfirmedToken = renewed.access_token;
					if (renewed.instance_url) _conn.instanceUrl = renewed.instance_url;
					callback(null, renewed.access_token);
				},
				(error: NodeOperationError) => {
					auth.failure = error;
					callback(error);
				},
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
	return { conn, secrets: secrets(), auth };
}

function domainOf(node: INode, credentials: ICredentialDataDecryptedObject) {
	try {
		const domain = parseSalesforceDomain(credentials.domain, { allowLocalTestServer: credentials.allowLocalTestServer });
		assertDomainFitsGrant(domain, (credentials.grantType as GrantType) ?? 'clientCredentials');
		return domain;
	} catch (error) {
		throw new NodeOperationError(node, (error as Error).message, {
			description: 'Field: Salesforce Domain (in the credential)',
		});
	}
}

function tokenOf(credentials: ICredentialDataDecryptedObject): { access_token?: string; instance_url?: string } {
	return (credentials.oauthTokenData ?? {}) as { access_token?: string; instance_url?: string };
}
