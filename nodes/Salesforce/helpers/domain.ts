/**
 * The Salesforce domain a user pastes into the credential, normalized once.
 * Accepts `https://acme.my.salesforce.com`, `acme.my.salesforce.com`, sandbox hosts, a trailing slash or a pasted
 * path, Lightning hosts (`acme.lightning.force.com`, mapped to My Domain), login/test hosts (authorization code
 * only) and plain `http://` for loopback hosts (the local emulator).
 */
export type DomainKind = 'myDomain' | 'sandbox' | 'login' | 'loopback' | 'other';

export interface SalesforceDomain {
	origin: string;
	host: string;
	kind: DomainKind;
}

export type GrantType = 'clientCredentials' | 'authorizationCode' | 'pkce';

/** The REST API version the credential offers by default and the transport falls back to. */
export const DEFAULT_API_VERSION = '64.0';

const LOOPBACK_HOST = /^(localhost|127(?:\.\d{1,3}){3}|\[::1\])$/i;
const LOGIN_HOST = /^(login|test)\.salesforce\.com$/i;
const SANDBOX_HOST = /\.sandbox\.my\.salesforce\.com$/i;
const MY_DOMAIN_HOST = /\.my\.salesforce\.com$/i;
const LIGHTNING_SUFFIX = /\.lightning\.force\.com$/i;

export const MY_DOMAIN_FIX =
	'Use your My Domain URL (Salesforce Setup → My Domain → Current My Domain URL), e.g. https://acme.my.salesforce.com';

export class DomainError extends Error {}

export function parseSalesforceDomain(input: unknown): SalesforceDomain {
	const raw = typeof input === 'string' ? input.trim() : '';
	if (!raw) throw new DomainError(`The Salesforce Domain is empty. ${MY_DOMAIN_FIX}`);

	const match = /^(?:([a-z][a-z0-9+.-]*):\/\/)?([^/?#\s]+)/i.exec(raw);
	const scheme = (match?.[1] ?? 'https').toLowerCase();
	const hostWithPort = (match?.[2] ?? '').toLowerCase().replace(LIGHTNING_SUFFIX, '.my.salesforce.com');
	const hostname = hostWithPort.replace(/:\d+$/, '');

	if (!hostname || /\s/.test(raw) || !/^[a-z0-9.[\]:-]+$/.test(hostWithPort)) {
		throw new DomainError(`"${raw}" is not a Salesforce domain. ${MY_DOMAIN_FIX}`);
	}
	if (scheme !== 'https' && scheme !== 'http') {
		throw new DomainError(`The Salesforce Domain must start with https://. ${MY_DOMAIN_FIX}`);
	}
	const loopback = LOOPBACK_HOST.test(hostname);
	if (scheme === 'http' && !loopback) {
		throw new DomainError(
			`Salesforce only answers over HTTPS: change "http://" to "https://" in the Salesforce Domain (${hostWithPort}).`,
		);
	}

	let kind: DomainKind = 'other';
	if (loopback) kind = 'loopback';
	else if (LOGIN_HOST.test(hostname)) kind = 'login';
	else if (SANDBOX_HOST.test(hostname)) kind = 'sandbox';
	else if (MY_DOMAIN_HOST.test(hostname)) kind = 'myDomain';

	return { origin: `${loopback ? scheme : 'https'}://${hostWithPort}`, host: hostWithPort, kind };
}

/** Refuses combinations Salesforce would reject with a cryptic message. */
export function assertDomainFitsGrant(domain: SalesforceDomain, grantType: GrantType): void {
	if (grantType === 'clientCredentials' && domain.kind === 'login') {
		throw new DomainError(
			`The client credentials flow does not work on ${domain.host} ("request not supported on this domain"). ${MY_DOMAIN_FIX}`,
		);
	}
}

/**
 * The same normalization as an n8n expression over the credential's own `domain` field, so that the hidden token
 * and authorize URLs of the credential follow exactly what parseSalesforceDomain does (a unit test holds both
 * together). Credential expressions cannot import code, hence this twin.
 */
export const domainOriginExpression = (ref: '$self' | '$credentials') =>
	`(/^http:\\/\\/(localhost|127(\\.\\d{1,3}){3}|\\[::1\\])([:\\/?#]|$)/i.test(String(${ref}.domain).trim()) ? 'http://' : 'https://') + ` +
	`String(${ref}.domain).trim().replace(/^[a-z][a-z0-9+.-]*:\\/\\//i, '').split(/[\\/?#\\s]/)[0].toLowerCase().replace(/\\.lightning\\.force\\.com$/, '.my.salesforce.com')`;

/** An n8n expression for `<origin><path>`; `$self` inside credential fields, `$credentials` in its test request. */
export const originExpression = (path: string, ref: '$self' | '$credentials' = '$self') =>
	`={{ ${domainOriginExpression(ref)} + '${path}' }}`;
