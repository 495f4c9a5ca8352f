// The OAuth 2.0 and identity endpoints as routes: token, authorize, revoke, userinfo and the identity URL (/id/…).
import { readForm, route, MAX_VERSION } from './http.ts';
import { ORG_ID } from './oauth.ts';
import type { Reply, Request, Route } from './http.ts';
import type { Org } from './org.ts';

const IDENTITY_URL_KEYS = ['rest', 'sobjects', 'search', 'query', 'recent', 'tooling_rest', 'tooling_soap', 'partner', 'enterprise', 'metadata', 'profile', 'feeds', 'groups', 'users', 'feed_items', 'feed_elements', 'custom_domain'];

export function oauthRoutes(org: Org): Route[] {
	const token = (req: Request): Reply => org.oauth.token(readForm(req), req.headers.authorization, new URL(org.baseUrl).hostname);
	return [
		route('POST', '/services/oauth2/token', 'token', token),
		route('GET', '/services/oauth2/authorize', 'oauth', (req) => org.oauth.authorize(req.url.searchParams)),
		route('POST', '/services/oauth2/revoke', 'oauth', (req) => org.oauth.revoke(readForm(req).get('token') ?? req.url.searchParams.get('token') ?? '')),
		route('GET', '/services/oauth2/revoke', 'oauth', (req) => org.oauth.revoke(req.url.searchParams.get('token') ?? '')),
		route('GET', '/services/oauth2/userinfo', 'oauth', (req) => identity(org, req, true)),
		route('GET', '/id/{orgId}/{userId}', 'oauth', (req) => identity(org, req, false)),
	];
}

/** The identity service (OpenID Connect userinfo when openId), its URLs on the origin the client used. */
function identity(org: Org, req: Request, openId: boolean): Reply {
	const token = /^Bearer\s+(.+)$/i.exec(String(req.headers.authorization ?? ''))?.[1] ?? req.url.searchParams.get('oauth_token') ?? undefined;
	const session = org.oauth.session(token);
	if (!session) return { status: 403, body: 'Bad_OAuth_Token', headers: { 'content-type': 'text/plain' } };
	const user = org.store.get('User', session.userId)!;
	const id = org.oauth.identityUrl(session.userId);
	const urls = Object.fromEntries(IDENTITY_URL_KEYS
		.map((k) => [k, k === 'custom_domain' ? org.baseUrl : `${org.baseUrl}/services/data/v${MAX_VERSION}.0/${k === 'rest' ? '' : k}`]));
	const common = {
		user_id: user.Id, organization_id: ORG_ID, email: user.Email, active: user.IsActive,
		user_type: 'STANDARD', language: 'en_US', locale: 'en_US', utcOffset: 0, urls, is_app_installed: true,
		last_modified_date: user.LastModifiedDate,
	};
	return {
		status: 200,
		body: openId
			? { sub: id, ...common, preferred_username: user.Username, nickname: user.Alias, name: user.Name, given_name: user.FirstName, family_name: user.LastName, email_verified: true, zoneinfo: 'GMT', updated_at: user.LastModifiedDate }
			: { id, asserted_user: true, ...common, username: user.Username, nick_name: user.Alias, display_name: user.Name, first_name: user.FirstName, last_name: user.LastName, timezone: 'GMT' },
	};
}
