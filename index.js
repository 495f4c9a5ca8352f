// Package entry: n8n discovers nodes and credentials through the "n8n" section of package.json; this module
// exposes the same built classes to code that requires the package (tests, other tooling).
const { SalesforceAppOAuth2Api } = require('./dist/credentials/SalesforceAppOAuth2Api.credentials');
const { SalesforceCrm } = require('./dist/nodes/Salesforce/SalesforceCrm.node');
const { SalesforceCrmTrigger } = require('./dist/nodes/Salesforce/SalesforceCrmTrigger.node');
const { SalesforceCrmInstantTrigger } = require('./dist/nodes/Salesforce/SalesforceCrmInstantTrigger.node');

module.exports = { SalesforceAppOAuth2Api, SalesforceCrm, SalesforceCrmTrigger, SalesforceCrmInstantTrigger };
