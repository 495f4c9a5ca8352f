// Maps what Salesforce answers to a token request (or to the first API call) onto the setup step a user has to
// fix. Users follow guides such as "create an External Client App, enable Client Credentials Flow, set Run As
// user, copy Consumer Key and Secret, copy your My Domain URL": every mistake on that path lands here.
import { MY_DOMAIN_FIX } from './domain';

export interface SetupProblem {
	code: string;
	message: string;
	fix: string;
}

const APP_SETTINGS = 'Salesforce Setup → External Client App Manager → your app';

const RULES: Array<{ test: RegExp; problem: SetupProblem }> = [
	{
		test: /invalid_client_id|client identifier invalid/i,
		problem: {
			code: 'invalid_client_id',
			message: 'Salesforce does not recognize the Consumer Key',
			fix: `Copy the Consumer Key again from ${APP_SETTINGS} → Settings → OAuth Settings → Consumer Key and Secret. A new or just-changed app takes up to 10 minutes to reach every Salesforce server: if the key is right, wait and try again.`,
		},
	},
	{
		test: /invalid_client\b|invalid client credentials/i,
		problem: {
			code: 'invalid_client',
			message: 'Salesforce rejected the Consumer Secret',
			fix: `Copy the Consumer Secret again from ${APP_SETTINGS} → Settings → OAuth Settings → Consumer Key and Secret (no spaces around it).`,
		},
	},
	{
		test: /request not supported on this domain/i,
		problem: {
			code: 'my_domain_required',
			message: 'Salesforce only accepts the client credentials flow on your My Domain',
			fix: MY_DOMAIN_FIX,
		},
	},
	{
		test: /no client credentials user enabled|run[- ]as user/i,
		problem: {
			code: 'no_run_as_user',
			message: 'The app has no Run As user for the client credentials flow',
			fix: `In ${APP_SETTINGS} → Policies → OAuth Flows and External Client App Enhancements, tick "Enable Client Credentials Flow" and choose a Run As user (an active user with the API Enabled permission).`,
		},
	},
	{
		test: /unsupported_grant_type|grant type not supported|client credentials flow (is )?not enabled/i,
		problem: {
			code: 'client_credentials_disabled',
			message: 'The client credentials flow is not enabled for this app',
			fix: `In ${APP_SETTINGS} → Settings → OAuth Settings → Flow Enablement, tick "Enable Client Credentials Flow", then set the Run As user under Policies. Or choose the Authorization Code grant type in this credential.`,
		},
	},
	{
		test: /code[_ ]challenge|code[_ ]verifier|pkce/i,
		problem: {
			code: 'pkce_mismatch',
			message: 'The app and the credential disagree about PKCE',
			fix: `Choose "Authorization Code with PKCE" as the Grant Type when the app has "Require Proof Key for Code Exchange (PKCE)" ticked (${APP_SETTINGS} → Settings → OAuth Settings), or untick it there.`,
		},
	},
	{
		test: /redirect_uri_mismatch|redirect_uri must match/i,
		problem: {
			code: 'redirect_uri_mismatch',
			message: "n8n's OAuth Redirect URL is not a Callback URL of the app",
			fix: `Copy the OAuth Redirect URL shown in this credential into ${APP_SETTINGS} → Settings → OAuth Settings → Callback URL.`,
		},
	},
	{
		test: /API_DISABLED_FOR_ORG|API_CURRENTLY_DISABLED|not valid for use with the REST API|insufficient[_ ]scope/i,
		problem: {
			code: 'api_scope_missing',
			message: 'The token may not call the Salesforce REST API',
			fix: `Add the OAuth scope "Manage user data via APIs (api)" to ${APP_SETTINGS} → Settings → OAuth Settings, and give the user (for client credentials: the Run As user) the "API Enabled" permission.`,
		},
	},
	{
		test: /inactive user|user is inactive/i,
		problem: {
			code: 'inactive_user',
			message: 'The Salesforce user behind this credential is inactive',
			fix: 'Activate the user, or choose an active Run As user in the app policies.',
		},
	},
	{
		test: /expired access\/refresh token|token (is )?(expired|revoked)|needs to be reconnected/i,
		problem: {
			code: 'reconnect',
			message: 'Salesforce no longer accepts the stored refresh token',
			fix: 'Open this credential and click "Reconnect" (the refresh token expired or was revoked by the app\'s refresh token policy).',
		},
	},
	{
		test: /OAuth credentials not connected/i,
		problem: {
			code: 'not_connected',
			message: 'The credential is not connected to Salesforce yet',
			fix: 'Open this credential and click "Connect my account" to sign in to Salesforce.',
		},
	},
];

export function explainSetupProblem(text: string): SetupProblem | undefined {
	return RULES.find((rule) => rule.test.test(text))?.problem;
}

function problemOf(code: string): SetupProblem {
	const problem = RULES.find((rule) => rule.problem.code === code)?.problem;
	if (!problem) throw new Error(`No setup problem ${code}`);
	return problem;
}

/**
 * What n8n 2.x's credential Test button shows when the client credentials token request fails, and the setup
 * problems behind it. n8n's OAuth client (@n8n/client-oauth2) replaces Salesforce's error_description with RFC 6749's
 * text for the standard codes, and n8n gives an OAuth2 credential no hook to read the answer (README, "The Test
 * button"): only a non-standard code such as invalid_client_id keeps Salesforce's words.
 */
export const TEST_BUTTON_TEXTS: ReadonlyArray<{ shows: string; problems: SetupProblem[] }> = [
	{ shows: 'Client authentication failed', problems: [problemOf('invalid_client')] },
	{ shows: 'client identifier invalid', problems: [problemOf('invalid_client_id')] },
	{ shows: 'The authorization grant type is not supported', problems: [problemOf('client_credentials_disabled')] },
	{ shows: 'The provided authorization grant', problems: [problemOf('no_run_as_user'), problemOf('my_domain_required')] },
];

/** The Test button's texts and what each means, for the credential form. */
export function testButtonGuide(): string {
	const lines = TEST_BUTTON_TEXTS.map(
		({ shows, problems }) => `"${shows}" → ${problems.map((problem) => problem.message).join(', or ')}`,
	);
	return `If the Test button fails, n8n shows OAuth's standard wording for most of Salesforce's answers: ${lines.join('; ')}.`;
}
