import { Workflow } from 'n8n-workflow';
import { describe, expect, it } from 'vitest';

import { SalesforceAppOAuth2Api } from '../../credentials/SalesforceAppOAuth2Api.credentials';
import { assertDomainFitsGrant, originExpression, parseSalesforceDomain } from '../../nodes/Salesforce/helpers/domain';

const cases: Array<[string, string, string]> = [
	['https://acme.my.salesforce.com', 'https://acme.my.salesforce.com', 'myDomain'],
	['acme.my.salesforce.com', 'https://acme.my.salesforce.com', 'myDomain'],
	['  https://ACME.my.salesforce.com/  ', 'https://acme.my.salesforce.com', 'myDomain'],
	['https://acme.my.salesforce.com/lightning/page/home', 'https://acme.my.salesforce.com', 'myDomain'],
	['https://acme.lightning.force.com/lightning/setup/SetupOneHome/home', 'https://acme.my.salesforce.com', 'myDomain'],
	['acme--dev.sandbox.my.salesforce.com', 'https://acme--dev.sandbox.my.salesforce.com', 'sandbox'],
	['https://acme--dev.sandbox.lightning.force.com/', 'https://acme--dev.sandbox.my.salesforce.com', 'sandbox'],
	['login.salesforce.com', 'https://login.salesforce.com', 'login'],
	['https://test.salesforce.com', 'https://test.salesforce.com', 'login'],
	['http://127.0.0.1:8787', 'http://127.0.0.1:8787', 'loopback'],
	['http://localhost:8787/', 'http://localhost:8787', 'loopback'],
	['https://na1.salesforce.com?x=1', 'https://na1.salesforce.com', 'other'],
];

/** Evaluates the credential's hidden URL expressions with n8n's own expression engine. */
function evaluate(expression: string, domain: string) {
	const workflow = new Workflow({
		nodes: [],
		connections: {},
		active: false,
		nodeTypes: { getByName: () => undefined, getByNameAndVersion: () => undefined, getKnownTypes: () => ({}) } as never,
	});
	const self = { domain };
	return workflow.expression.getParameterValue(expression, null, 0, 0, 'x', [], 'internal', { $self: self } as never, undefined, false, self);
}

describe('Salesforce domain', () => {
	it.each(cases)('normalizes %s', (input, origin, kind) => {
		expect(parseSalesforceDomain(input)).toMatchObject({ origin, kind });
	});

	it.each(cases)('credential token URL expression agrees for %s', (input, origin) => {
		const tokenUrl = new SalesforceAppOAuth2Api().properties.find((p) => p.name === 'accessTokenUrl')!.default as string;
		expect(evaluate(tokenUrl, input)).toBe(`${origin}/services/oauth2/token`);
		expect(evaluate(originExpression('/services/oauth2/authorize'), input)).toBe(`${origin}/services/oauth2/authorize`);
	});

	it('refuses empty input, other schemes and plain http to Salesforce with the fix', () => {
		expect(() => parseSalesforceDomain('')).toThrow(/My Domain URL/);
		expect(() => parseSalesforceDomain('ftp://acme.my.salesforce.com')).toThrow(/https:\/\//);
		expect(() => parseSalesforceDomain('http://acme.my.salesforce.com')).toThrow(/change "http:\/\/" to "https:\/\/"/);
		expect(() => parseSalesforceDomain('acme my salesforce')).toThrow(/not a Salesforce domain/);
	});

	it('refuses client credentials on login/test hosts, allows authorization code there', () => {
		const login = parseSalesforceDomain('https://login.salesforce.com');
		expect(() => assertDomainFitsGrant(login, 'clientCredentials')).toThrow(/My Domain URL/);
		expect(() => assertDomainFitsGrant(login, 'authorizationCode')).not.toThrow();
		expect(() => assertDomainFitsGrant(parseSalesforceDomain('acme.my.salesforce.com'), 'clientCredentials')).not.toThrow();
	});
});
