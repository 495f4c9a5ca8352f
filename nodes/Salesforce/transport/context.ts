import type { IExecuteFunctions, IHookFunctions, ILoadOptionsFunctions, IPollFunctions } from 'n8n-workflow';

/** The n8n contexts a Salesforce client can be opened in. */
export type SalesforceContext = IExecuteFunctions | ILoadOptionsFunctions | IPollFunctions | IHookFunctions;
