import type { ICredentialTestRequest, ICredentialType, Icon, INodeProperties } from 'n8n-workflow';

import { DEFAULT_API_VERSION, originExpression } from '../nodes/Salesforce/helpers/domain';
import { testButtonGuide } from '../nodes/Salesforce/helpers/setupErrors';

/**
 * One credential for both ways Salesforce hands out tokens to an External Client App:
 * client credentials (server-to-server, Run As user) and authorization code (a user signs in; PKCE optional).
 * n8n's OAuth2 machinery (extends oAuth2Api) runs the grant, stores the tokens encrypted and re-grants or
 * refreshes them; the hidden URLs come from the same domain check as the nodes' (resolveSalesforceDomain).
 */
export class SalesforceAppOAuth2Api implements ICredentialType {
	name = 'salesforceAppOAuth2Api';

	extends = ['oAuth2Api'];

	displayName = 'Salesforce App OAuth2 API';

	icon: Icon = { light: 'file:../icons/salesforce.svg', dark: 'file:../icons/salesforce.dark.svg' };

	documentationUrl = 'https://github.com/n8n-nodes-salesforce/n8n-nodes-salesforce#credentials';

	properties: INodeProperties[] = [
		{
			displayName: 'Grant Type',
			name: 'grantType',
			type: 'options',
			options: [
				{
					name: 'Client Credentials (Server-to-Server)',
					value: 'clientCredentials',
					description: 'n8n acts as the Run As user of your External Client App; no sign-in needed',
				},
				{
					name: 'Authorization Code',
					value: 'authorizationCode',
					description: 'A Salesforce user signs in once and n8n acts as that user',
				},
				{
					name: 'Authorization Code with PKCE',
					value: 'pkce',
					description: 'For apps with "Require Proof Key for Code Exchange (PKCE)" ticked',
				},
			],
			default: 'clientCredentials',
		},
		{
			displayName:
				'In your External Client App: tick "Enable Client Credentials Flow" (Settings → OAuth Settings) and choose a Run As user (Policies). Client ID and Client Secret above are its Consumer Key and Consumer Secret; Salesforce Domain below is your My Domain URL (login.salesforce.com does not support this flow). New apps take up to 10 minutes to become usable.',
			name: 'clientCredentialsNotice',
			type: 'notice',
			default: '',
			displayOptions: { show: { grantType: ['clientCredentials'] } },
		},
		{
			displayName:
				'In your External Client App: paste the OAuth Redirect URL shown at the top as Callback URL and select the scopes "Manage user data via APIs (api)" and "Perform requests at any time (refresh_token, offline_access)". Client ID and Client Secret above are its Consumer Key and Consumer Secret. Switched here from Client Credentials? n8n keeps that token and says "Account connected": click "Switch account" and sign in.',
			name: 'authorizationCodeNotice',
			type: 'notice',
			default: '',
			displayOptions: { show: { grantType: ['authorizationCode', 'pkce'] } },
		},
		{
			displayName: 'Salesforce Domain',
			name: 'domain',
			type: 'string',
			default: '',
			required: true,
			placeholder: 'https://acme.my.salesforce.com',
			description:
				'Your My Domain URL (Setup → My Domain), e.g. https://acme.my.salesforce.com or acme--dev.sandbox.my.salesforce.com. For Authorization Code, login.salesforce.com or test.salesforce.com also work. Only https Salesforce hosts are accepted.',
		},
		{
			// n8n's editor labels clientId and clientSecret "Client ID" and "Client Secret" for every OAuth2 credential
			// (its i18n overrides displayName), so the Salesforce names go in the hint below the field.
			displayName: 'Client ID',
			name: 'clientId',
			type: 'string',
			default: '',
			required: true,
			hint: "Your app's Consumer Key (Salesforce Setup → External Client App Manager → your app → Settings → OAuth Settings → Consumer Key and Secret)",
		},
		{
			displayName: 'Client Secret',
			name: 'clientSecret',
			type: 'string',
			typeOptions: { password: true },
			default: '',
			required: true,
			hint: "Your app's Consumer Secret (next to the Consumer Key)",
		},
		{
			displayName: 'API Version',
			name: 'apiVersion',
			type: 'string',
			default: DEFAULT_API_VERSION,
			description: 'Salesforce REST API version used by the nodes, e.g. 64.0',
		},
		{
			displayName: 'Local Test Server',
			name: 'allowLocalTestServer',
			type: 'boolean',
			default: false,
			description:
				"Whether the Salesforce Domain may be a local address (http://localhost, 127.0.0.1, [::1]): only for this package's Salesforce emulator and tests. Keep it off for real orgs.",
		},
		{
			displayName: testButtonGuide(),
			name: 'testButtonNotice',
			type: 'notice',
			default: '',
			displayOptions: { show: { grantType: ['clientCredentials'] } },
		},
		{
			displayName: 'Access Token URL',
			name: 'accessTokenUrl',
			type: 'hidden',
			default: originExpression('/services/oauth2/token'),
		},
		{
			displayName: 'Authorization URL',
			name: 'authUrl',
			type: 'hidden',
			default: originExpression('/services/oauth2/authorize'),
		},
		{
			displayName: 'Scope',
			name: 'scope',
			type: 'hidden',
			default: '={{ $self.grantType === "clientCredentials" ? "" : "api refresh_token" }}',
		},
		{
			displayName: 'Auth URI Query Parameters',
			name: 'authQueryParameters',
			type: 'hidden',
			default: '',
		},
		{
			displayName: 'Authentication',
			name: 'authentication',
			type: 'hidden',
			default: 'body',
		},
		{
			// Salesforce's token endpoint takes no extra body properties: keep the generic OAuth2 switch out of the form.
			displayName: 'Send Additional Body Properties',
			name: 'sendAdditionalBodyProperties',
			type: 'hidden',
			default: false,
		},
		{
			displayName: 'Additional Body Properties',
			name: 'additionalBodyProperties',
			type: 'hidden',
			default: '',
		},
	];

	test: ICredentialTestRequest = {
		request: {
			baseURL: originExpression('', '$credentials'),
			url: '=/services/data/v{{ $credentials.apiVersion || "' + DEFAULT_API_VERSION + '" }}/limits',
		},
		rules: [
			{
				type: 'responseCode',
				properties: {
					value: 403,
					message:
						'Connected, but the token may not call the REST API: add the OAuth scope "Manage user data via APIs (api)" to the app and give the (Run As) user the "API Enabled" permission.',
				},
			},
			{
				type: 'responseCode',
				properties: {
					value: 404,
					message: 'Connected, but this Salesforce org does not offer the API Version set in the credential: use e.g. 64.0.',
				},
			},
		],
	};
}
