// Connected apps and the OAuth 2.0 endpoints: authorize (auto-approved as the admin), token (client credentials,
// authorization code with PKCE, refresh token), userinfo, revoke. Errors use Salesforce's codes and wording.
import { createHash, createHmac, randomBytes } from 'node:crypto';
import { caseSafeSuffix } from './ids.ts';
import type { Clock } from './clock.ts';

export interface ConnectedApp {
	consumerKey: string;
	consumerSecret: string;
	clientCredentialsEnabled: boolean;
	runAsUser?: string | null;
	pkceRequired: boolean;
	callbackUrls: string[];
	scopes: string[];
	/** Propagation delay: before this clock time the key answers invalid_client_id. */
	availableAfter?: Date;
}

export interface Session {
	accessToken: string;
	userId: string;
	consumerKey: string;
	issuedAt: number;
	scope: string;
	refreshToken?: string;
	revoked: boolean;
}

interface AuthorizationCode {
	consumerKey: string;
	redirectUri: string;
	userId: string;
	scope: string;
	codeChallenge?: string;
	codeChallengeMethod: string;
	expiresAt: number;
}

export interface OAuthReply {
	status: number;
	body?: unknown;
	headers?: Record<string, string>;
}

export const ORG_ID = '00D8a000000EMUL' + caseSafeSuffix('00D8a000000EMUL');
export const DEFAULT_APP_KEY = 'emulator-consumer-key';
const CODE_LIFETIME_MS = 15 * 60_000;

export class OAuthServer {
	readonly apps = new Map<string, ConnectedApp>();
	private readonly sessions = new Map<string, Session>();
	private readonly refreshTokens = new Map<string, { consumerKey: string; userId: string; scope: string; revoked: boolean }>();
	private readonly codes = new Map<string, AuthorizationCode>();
	private readonly clock: Clock;
	private readonly baseUrl: () => string;
	/** The user that the authorize page approves as. */
	adminUserId = '';
	tokenLifetimeMs: number | null = null;

	constructor(clock: Clock, baseUrl: () => string) {
		this.clock = clock;
		this.baseUrl = baseUrl;
	}

	addDefaultApp(runAsUser: string): void {
		this.addApp({
			consumerKey: DEFAULT_APP_KEY,
			consumerSecret: 'emulator-consumer-secret',
			clientCredentialsEnabled: true,
			runAsUser,
			pkceRequired: false,
			callbackUrls: ['http://localhost:5678/rest/oauth2-credential/callback', 'http://127.0.0.1:5678/rest/oauth2-credential/callback'],
			scopes: ['api', 'refresh_token'],
		});
	}

	addApp(app: ConnectedApp): void {
		this.apps.set(app.consumerKey, { ...app, availableAfter: app.availableAfter && new Date(app.availableAfter) });
	}

	updateApp(consumerKey: string, patch: Partial<ConnectedApp>): void {
		const app = this.apps.get(consumerKey);
		if (!app) throw new Error(`Unknown connected app ${consumerKey}`);
		Object.assign(app, patch, patch.availableAfter ? { availableAfter: new Date(patch.availableAfter) } : {});
	}

	/** The session behind a bearer token, if it is still valid. */
	session(accessToken: string | undefined): Session | undefined {
		const session = accessToken ? this.sessions.get(accessToken) : undefined;
		if (!session || session.revoked) return undefined;
		if (this.tokenLifetimeMs !== null && this.clock.now().getTime() - session.issuedAt >= this.tokenLifetimeMs) return undefined;
		return session;
	}

	expireAllTokens(): void {
		for (const session of this.sessions.values()) session.revoked = true;
	}

	token(form: URLSearchParams, authorization: string | undefined, host: string): OAuthReply {
		const basic = parseBasic(authorization);
		const clientId = form.get('client_id') ?? basic?.id ?? '';
		const clientSecret = form.get('client_secret') ?? basic?.secret;
		const grantType = form.get('grant_type');
		if (grantType === 'client_credentials' && /^(login|test)\./i.test(host)) {
			return oauthError('invalid_grant', 'request not supported on this domain');
		}
		if (!grantType || !['client_credentials', 'authorization_code', 'refresh_token'].includes(grantType)) {
			return oauthError('unsupported_grant_type', 'grant type not supported');
		}
		const app = this.availableApp(clientId);
		if (!app) return oauthError('invalid_client_id', 'client identifier invalid');
		if (grantType === 'client_credentials') {
			if (clientSecret !== app.consumerSecret) return oauthError('invalid_client', 'invalid client credentials');
			if (!app.clientCredentialsEnabled) return oauthError('unsupported_grant_type', 'grant type not supported');
			if (!app.runAsUser) return oauthError('invalid_grant', 'no client credentials user enabled');
			return { status: 200, body: this.issue(app, app.runAsUser, app.scopes.filter((s) => s !== 'refresh_token').join(' '), false) };
		}
		if (clientSecret !== undefined && clientSecret !== app.consumerSecret) return oauthError('invalid_client', 'invalid client credentials');
		if (grantType === 'refresh_token') {
			const grant = this.refreshTokens.get(form.get('refresh_token') ?? '');
			if (!grant || grant.revoked || grant.consumerKey !== app.consumerKey) return oauthError('invalid_grant', 'expired access/refresh token');
			const body = this.issue(app, grant.userId, grant.scope, false) as Record<string, unknown>;
			this.sessions.get(body.access_token as string)!.refreshToken = form.get('refresh_token')!;
			return { status: 200, body };
		}
		const code = this.codes.get(form.get('code') ?? '');
		this.codes.delete(form.get('code') ?? '');
		if (!code || code.consumerKey !== app.consumerKey || code.expiresAt < this.clock.now().getTime()) {
			return oauthError('invalid_grant', 'expired authorization code');
		}
		if (form.get('redirect_uri') !== code.redirectUri) return oauthError('redirect_uri_mismatch', 'redirect_uri must match configuration');
		if (code.codeChallenge) {
			const verifier = form.get('code_verifier') ?? '';
			const computed = code.codeChallengeMethod === 'plain' ? verifier : createHash('sha256').update(verifier).digest('base64url');
			if (!verifier || computed !== code.codeChallenge) return oauthError('invalid_grant', 'invalid code verifier');
		} else if (clientSecret === undefined) {
			return oauthError('invalid_client', 'invalid client credentials');
		}
		return { status: 200, body: this.issue(app, code.userId, code.scope, code.scope.split(' ').includes('refresh_token')) };
	}

	authorize(query: URLSearchParams): OAuthReply {
		const app = this.availableApp(query.get('client_id') ?? '');
		if (!app) return errorPage('invalid_client_id', 'client identifier invalid');
		const redirectUri = query.get('redirect_uri') ?? '';
		if (!app.callbackUrls.includes(redirectUri)) return errorPage('redirect_uri_mismatch', 'redirect_uri must match configuration');
		const redirect = (params: Record<string, string>) => {
			const target = new URL(redirectUri);
			for (const [k, v] of Object.entries(params)) target.searchParams.set(k, v);
			const state = query.get('state');
			if (state !== null) target.searchParams.set('state', state);
			return { status: 302, headers: { location: target.toString() } };
		};
		if (query.get('response_type') !== 'code') {
			return redirect({ error: 'unsupported_response_type', error_description: 'response type not supported' });
		}
		const codeChallenge = query.get('code_challenge') ?? undefined;
		if (app.pkceRequired && !codeChallenge) {
			return redirect({ error: 'invalid_request', error_description: 'missing required code challenge' });
		}
		const requested = (query.get('scope') ?? '').split(/[\s+]+/).filter(Boolean);
		if (requested.some((s) => !app.scopes.includes(s) && s !== 'id' && s !== 'openid')) {
			return redirect({ error: 'invalid_scope', error_description: 'the requested scope is not allowed' });
		}
		const code = randomBytes(32).toString('base64url');
		this.codes.set(code, {
			consumerKey: app.consumerKey,
			redirectUri,
			userId: this.adminUserId,
			scope: (requested.length ? requested : app.scopes).join(' '),
			codeChallenge,
			codeChallengeMethod: query.get('code_challenge_method') ?? 'S256',
			expiresAt: this.clock.now().getTime() + CODE_LIFETIME_MS,
		});
		return redirect({ code });
	}

	revoke(token: string): OAuthReply {
		const refresh = this.refreshTokens.get(token);
		if (refresh) {
			refresh.revoked = true;
			for (const session of this.sessions.values()) if (session.refreshToken === token) session.revoked = true;
			return { status: 200 };
		}
		const session = this.sessions.get(token);
		if (!session) return oauthError('unsupported_token_type', 'this token type is not supported');
		session.revoked = true;
		return { status: 200 };
	}

	identityUrl(userId: string): string {
		return `${this.baseUrl()}/id/${ORG_ID}/${userId}`;
	}

	private availableApp(consumerKey: string): ConnectedApp | undefined {
		const app = this.apps.get(consumerKey);
		if (!app || (app.availableAfter && this.clock.now() < app.availableAfter)) return undefined;
		return app;
	}

	private issue(app: ConnectedApp, userId: string, scope: string, withRefreshToken: boolean): Record<string, unknown> {
		const accessToken = `${ORG_ID.slice(0, 15)}!${randomBytes(48).toString('base64url')}`;
		const issuedAt = this.clock.now().getTime();
		const id = this.identityUrl(userId);
		const session: Session = { accessToken, userId, consumerKey: app.consumerKey, issuedAt, scope, revoked: false };
		this.sessions.set(accessToken, session);
		const body: Record<string, unknown> = {
			access_token: accessToken,
			signature: createHmac('sha256', app.consumerSecret).update(id + issuedAt).digest('base64'),
			scope,
			instance_url: this.baseUrl(),
			id,
			token_type: 'Bearer',
			issued_at: String(issuedAt),
		};
		if (withRefreshToken) {
			const refreshToken = `5Aep861${randomBytes(40).toString('base64url')}`;
			this.refreshTokens.set(refreshToken, { consumerKey: app.consumerKey, userId, scope, revoked: false });
			session.refreshToken = refreshToken;
			body.refresh_token = refreshToken;
		}
		return body;
	}
}

function parseBasic(authorization: string | undefined): { id: string; secret: string } | undefined {
	const match = /^Basic\s+(.+)$/i.exec(authorization ?? '');
	if (!match) return undefined;
	const decoded = Buffer.from(match[1], 'base64').toString('utf8');
	const colon = decoded.indexOf(':');
	return colon < 0 ? undefined : { id: decodeURIComponent(decoded.slice(0, colon)), secret: decodeURIComponent(decoded.slice(colon + 1)) };
}

function oauthError(error: string, description: string): OAuthReply {
	return { status: 400, body: { error, error_description: description } };
}

function errorPage(error: string, description: string): OAuthReply {
	const html = `<!DOCTYPE html><html><head><title>Error | Salesforce</title></head><body><h1>OAuth Error</h1>` +
		`<p>We can't authorize you because of an OAuth error. For more information, contact your Salesforce administrator.</p>` +
		`<p>error=${error}&amp;error_description=${description}</p></body></html>`;
	return { status: 400, headers: { 'content-type': 'text/html;charset=UTF-8' }, body: html };
}
