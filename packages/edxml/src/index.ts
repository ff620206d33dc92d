export { validateAgencyCode, isAgencyCode, type AgencyCodeVerdict } from './agency-code.js';
