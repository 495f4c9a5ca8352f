// The Salesforce domain a user pastes into the credential, decided once for the node and the credential alike.
// Accepts `https://acme.my.salesforce.com`, `acme.my.salesforce.com`, sandbox hosts, a trailing slash or a pasted
// path, query or fragment (stripped), Lightning hosts (`acme.lightning.force.com`, mapped to My Domain) and
// login/test hosts (authorization code only): https hosts under a Salesforce domain only. Loopback hosts (the
// package's emulator) only when the credential's "Local Test Server" switch is on.

export type DomainKind = 'myDomain' | 'sandbox' | 'login' | 'loopback' | 'other';

/** Why a domain was refused; also the first label of the refused domain's `.invalid` origin. */
export type DomainRefusal = 'empty' | 'ambiguous' | 'not-https' | 'http' | 'port' | 'not-salesforce' | 'local-test-server-off';

export interface SalesforceDomain {
	origin: string;
	host: string;
	kind: DomainKind;
}

export interface DomainResolution extends SalesforceDomain {
	refused?: DomainRefusal;
}

export type GrantType = 'clientCredentials' | 'authorizationCode' | 'pkce';

/** The REST API version the credential offers by default and the transport falls back to. */
export const DEFAULT_API_VERSION = '64.0';

export const MY_DOMAIN_FIX =
	'Use your My Domain URL (Salesforce Setup → My Domain → Current My Domain URL), e.g. https://acme.my.salesforce.com';

/**
 * The one decision about a domain. Accepted hosts are those of Salesforce Help "My Domain URL Formats" and "Allow the
 * Required Domains" (suffix match on whole labels), https only; custom domains are not. For a refused domain the origin is `https://<refusal>.refused-salesforce-domain.invalid`:
 * a name that never resolves (RFC 2606, RFC 6761), so a request built from it reaches no host.
 *
 * The credential embeds this function's source in its URL expressions (originExpression), where n8n's expression
 * engine runs it: it must stay self-contained (no module-level names, no nested functions, no throw, no double braces).
 */
export function resolveSalesforceDomain(input: unknown, allowLocalTestServer?: unknown): DomainResolution {
	const raw = typeof input === 'string' ? input.trim() : '';
	const scheme = /^([a-z][a-z0-9+.-]*):\/\//i.exec(raw);
	const protocol = scheme ? scheme[1].toLowerCase() : /^[a-z][a-z0-9+.-]*:(?!\d)/i.test(raw) ? 'other' : 'https';
	const authority = (scheme ? raw.slice(scheme[0].length) : raw).split(/[/?#]/)[0].toLowerCase();
	const hostAndPort = /^([a-z0-9-]+(?:\.[a-z0-9-]+)*|\[::1\])(?::(\d{1,5}))?$/.exec(authority);
	const hostname = hostAndPort ? hostAndPort[1].replace(/\.lightning\.force\.com$/, '.my.salesforce.com') : '';
	const port = hostAndPort && hostAndPort[2] ? hostAndPort[2] : '';
	const loopback = /^(localhost|127(\.(25[0-5]|2[0-4]\d|1?\d?\d)){3}|\[::1\])$/.test(hostname);

	let refused: DomainRefusal | undefined;
	if (!raw) refused = 'empty';
	else if (/[\s\\]/.test(raw)) refused = 'ambiguous';
	else if (protocol !== 'https' && protocol !== 'http') refused = 'not-https';
	else if (!hostAndPort) refused = 'ambiguous';
	else if (loopback) refused = allowLocalTestServer === true ? undefined : 'local-test-server-off';
	else if (protocol === 'http') refused = 'http';
	else if (port && port !== '443') refused = 'port';
	else if (!/\.(salesforce|force|cloudforce|salesforce-setup)\.com$|\.salesforce\.mil$/.test(hostname)) refused = 'not-salesforce';
	if (refused) return { origin: 'https://' + refused + '.refused-salesforce-domain.invalid', host: authority, kind: 'other', refused };
	if (loopback) return { origin: protocol + '://' + authority, host: authority, kind: 'loopback' };

	let kind: DomainKind = 'other';
	if (/^(login|test)\.salesforce\.com$/.test(hostname)) kind = 'login';
	else if (/\.sandbox\.my\.salesforce\.com$/.test(hostname)) kind = 'sandbox';
	else if (/\.my\.salesforce\.com$/.test(hostname)) kind = 'myDomain';
	return { origin: 'https://' + hostname, host: hostname, kind };
}

export class DomainError extends Error {
	constructor(
		message: string,
		readonly reason: DomainRefusal | 'login-host-client-credentials',
	) {
		super(message);
	}
}

const REFUSAL_MESSAGES: Record<DomainRefusal, (domain: DomainResolution, raw: string) => string> = {
	empty: () => `The Salesforce Domain is empty. ${MY_DOMAIN_FIX}`,
	ambiguous: (_, raw) =>
		`"${raw}" is not a plain Salesforce domain: enter just https:// and the host, without "@", "\\", "%" or spaces. ${MY_DOMAIN_FIX}`,
	'not-https': () => `The Salesforce Domain must start with https://. ${MY_DOMAIN_FIX}`,
	http: ({ host }) =>
		`Salesforce only answers over HTTPS: change "http://" to "https://" in the Salesforce Domain (${host}).`,
	port: ({ host }) => `Salesforce answers on the standard HTTPS port only: remove the port from the Salesforce Domain (${host}).`,
	'not-salesforce': ({ host }) =>
		`${host} is not a Salesforce host: the Salesforce Domain must end in .my.salesforce.com (or .salesforce.com, .force.com, .salesforce.mil, .cloudforce.com, .salesforce-setup.com). ${MY_DOMAIN_FIX}`,
	'local-test-server-off': ({ host }) =>
		`${host} is a local address: only for the package's Salesforce emulator, turn on "Local Test Server" in the credential (keep it off for real orgs). ${MY_DOMAIN_FIX}`,
};

/** The domain the node talks to, or a DomainError that names the fix. */
export function parseSalesforceDomain(input: unknown, options: { allowLocalTestServer?: unknown } = {}): SalesforceDomain {
	const { refused, ...domain } = resolveSalesforceDomain(input, options.allowLocalTestServer);
	if (refused) {
		const raw = typeof input === 'string' ? input.trim() : '';
		throw new DomainError(REFUSAL_MESSAGES[refused](domain, raw), refused);
	}
	return domain;
}

/** Refuses combinations Salesforce would reject with a cryptic message. */
export function assertDomainFitsGrant(domain: SalesforceDomain, grantType: GrantType): void {
	if (grantType === 'clientCredentials' && domain.kind === 'login') {
		throw new DomainError(
			`The client credentials flow does not work on ${domain.host} ("request not supported on this domain"). ${MY_DOMAIN_FIX}`,
			'login-host-client-credentials',
		);
	}
}

/**
 * An n8n expression for `<origin><path>` that runs resolveSalesforceDomain itself over the credential's fields:
 * `$self` inside credential fields, `$credentials` in its test request.
 */
export const originExpression = (path: string, ref: '$self' | '$credentials' = '$self') =>
	`={{ (${resolveSalesforceDomain.toString()})(${ref}.domain, ${ref}.allowLocalTestServer).origin + '${path}' }}`;
