/**
 * Renders generator events as the records Entra ID and Azure Monitor write: Log Analytics rows of
 * SigninLogs (94 columns) and AADNonInteractiveUserSignInLogs (85 columns), in the column order of a
 * 2026 portal export, and diagnostic-settings records (envelope plus camelCase `properties`).
 */
import type { SignInEvent, TableName } from './model.js';
import type { Tenant } from './tenant.js';
import { SUCCESS } from './world.js';

export const SIGNIN_LOGS_COLUMNS = [
  'TimeGenerated', 'IPAddress', 'TenantId', 'SourceSystem', 'ResourceId', 'OperationName', 'OperationVersion', 'Category',
  'ResultType', 'ResultSignature', 'ResultDescription', 'DurationMs', 'CorrelationId', 'Resource', 'ResourceGroup',
  'ResourceProvider', 'Identity', 'Level', 'Location', 'AlternateSignInName', 'AppDisplayName', 'AppId',
  'AuthenticationContextClassReferences', 'AuthenticationDetails', 'AppliedEventListeners', 'AuthenticationMethodsUsed',
  'AuthenticationProcessingDetails', 'AuthenticationRequirement', 'AuthenticationRequirementPolicies', 'ClientAppUsed',
  'ConditionalAccessPolicies', 'ConditionalAccessStatus', 'CreatedDateTime', 'DeviceDetail', 'IsInteractive', 'Id',
  'IsRisky', 'LocationDetails', 'MfaDetail', 'NetworkLocationDetails', 'OriginalRequestId', 'ProcessingTimeInMilliseconds',
  'RiskDetail', 'RiskEventTypes', 'RiskEventTypes_V2', 'RiskLevelAggregated', 'RiskLevelDuringSignIn', 'RiskState',
  'ResourceDisplayName', 'ResourceIdentity', 'ResourceServicePrincipalId', 'ServicePrincipalId', 'ServicePrincipalName',
  'Status', 'TokenIssuerName', 'TokenIssuerType', 'UserAgent', 'UserDisplayName', 'UserId', 'UserPrincipalName',
  'AADTenantId', 'UserType', 'FlaggedForReview', 'IPAddressFromResourceProvider', 'SignInIdentifier', 'SignInIdentifierType',
  'ResourceTenantId', 'HomeTenantId', 'UniqueTokenIdentifier', 'SessionId', 'SessionLifetimePolicies',
  'AutonomousSystemNumber', 'AuthenticationProtocol', 'CrossTenantAccessType', 'AuthenticationAppDeviceDetails',
  'AuthenticationAppPolicyEvaluationDetails', 'ClientCredentialType', 'FederatedCredentialId', 'GlobalSecureAccessIpAddress',
  'HomeTenantName', 'IncomingTokenType', 'IsTenantRestricted', 'IsThroughGlobalSecureAccess', 'OriginalTransferMethod',
  'TokenProtectionStatusDetails', 'AppOwnerTenantId', 'ResourceOwnerTenantId', 'Agent', 'SourceAppClientId',
  'ConditionalAccessAudiences', 'AuthenticatorAppLocation', 'AppliedConditionalAccessPolicies', 'RiskLevel', 'Type',
] as const;

export const NON_INTERACTIVE_COLUMNS = [
  'TimeGenerated', 'IPAddress', 'TenantId', 'SourceSystem', 'OperationName', 'OperationVersion', 'Category', 'ResultType',
  'ResultSignature', 'ResultDescription', 'DurationMs', 'CorrelationId', 'ResourceGroup', 'Identity', 'Level', 'Location',
  'AADTenantId', 'Agent', 'AlternateSignInName', 'AppDisplayName', 'AppId', 'AppliedEventListeners', 'AppOwnerTenantId',
  'AuthenticationContextClassReferences', 'AuthenticationDetails', 'AuthenticationMethodsUsed',
  'AuthenticationProcessingDetails', 'AuthenticationProtocol', 'AuthenticationRequirement',
  'AuthenticationRequirementPolicies', 'AuthenticatorAppLocation', 'AutonomousSystemNumber', 'ClientAppUsed',
  'ClientCredentialType', 'ClientSessionId', 'ConditionalAccessAudiences', 'ConditionalAccessPolicies',
  'ConditionalAccessPoliciesV2', 'ConditionalAccessStatus', 'CreatedDateTime', 'CrossTenantAccessType', 'DeviceDetail',
  'FederatedCredentialId', 'GlobalSecureAccessIpAddress', 'HomeTenantId', 'HomeTenantName', 'Id', 'IncomingTokenType',
  'IsInteractive', 'IsRisky', 'IsTenantRestricted', 'IsThroughGlobalSecureAccess', 'LocationDetails', 'MfaDetail',
  'NetworkLocationDetails', 'OriginalRequestId', 'OriginalTransferMethod', 'ProcessingTimeInMs', 'ResourceDisplayName',
  'ResourceIdentity', 'ResourceOwnerTenantId', 'ResourceServicePrincipalId', 'ResourceTenantId', 'RiskDetail',
  'RiskEventTypes', 'RiskEventTypes_V2', 'RiskLevelAggregated', 'RiskLevelDuringSignIn', 'RiskState', 'ServicePrincipalId',
  'SessionId', 'SessionLifetimePolicies', 'SignInEventTypes', 'SignInIdentifierType', 'TokenProtectionStatusDetails',
  'Status', 'TokenIssuerName', 'TokenIssuerType', 'UniqueTokenIdentifier', 'UserAgent', 'UserDisplayName', 'UserId',
  'UserPrincipalName', 'UserType', 'Type',
] as const;

export const DATETIME_COLUMNS: ReadonlySet<string> = new Set(['TimeGenerated', 'CreatedDateTime']);

export function columnsOf(table: TableName): readonly string[] {
  return table === 'SigninLogs' ? SIGNIN_LOGS_COLUMNS : NON_INTERACTIVE_COLUMNS;
}

/** ISO 8601 UTC with 7 fractional digits, as Log Analytics writes TimeGenerated. */
export function isoTicks(ms: number, ticks: number): string {
  const text = new Date(ms).toISOString();
  return text.slice(0, 23) + String(ticks).padStart(4, '0') + 'Z';
}

/** Formats ms in the portal's CSV datetime form, e.g. "6/15/2026, 12:40:24.178 PM" (month first, UTC, 3 digits). */
export function portalTime(ms: number): string {
  const date = new Date(ms);
  const hours = date.getUTCHours();
  const hour12 = hours % 12 === 0 ? 12 : hours % 12;
  const pad = (n: number, width = 2): string => String(n).padStart(width, '0');
  return (
    `${date.getUTCMonth() + 1}/${date.getUTCDate()}/${date.getUTCFullYear()}, ` +
    `${hour12}:${pad(date.getUTCMinutes())}:${pad(date.getUTCSeconds())}.${pad(date.getUTCMilliseconds(), 3)} ${hours < 12 ? 'AM' : 'PM'}`
  );
}

const POLICY_IDS = ['5d3c1a2b-7e4f-4a6b-9c8d-0e1f2a3b4c5d', '8a7b6c5d-4e3f-4a1b-8c9d-7e6f5a4b3c2d'];

function locationDetails(event: SignInEvent): Record<string, unknown> {
  const place = event.place;
  if (place === null) return { geoCoordinates: {} };
  return {
    city: place.city,
    state: place.state,
    countryOrRegion: place.countryOrRegion,
    geoCoordinates: { latitude: place.latitude, longitude: place.longitude },
  };
}

function deviceDetail(event: SignInEvent): Record<string, unknown> {
  const device = event.device;
  const detail: Record<string, unknown> = { deviceId: device.deviceId };
  if (device.displayName !== '') detail.displayName = device.displayName;
  if (device.operatingSystem !== '') detail.operatingSystem = device.operatingSystem;
  if (device.browser !== '') detail.browser = device.browser;
  detail.isCompliant = device.isCompliant;
  detail.isManaged = device.isManaged;
  if (device.trustType !== '') detail.trustType = device.trustType;
  return detail;
}

function status(event: SignInEvent): Record<string, unknown> {
  const outcome = event.outcome;
  if (outcome === SUCCESS) return { errorCode: 0, additionalDetails: event.mfa ? 'MFA requirement satisfied by claim in the token' : '' };
  return { errorCode: Number(outcome.code), failureReason: outcome.description, additionalDetails: outcome.details };
}

function conditionalAccess(event: SignInEvent): Record<string, unknown>[] {
  const failed = event.outcome !== SUCCESS;
  return [
    { id: POLICY_IDS[0], displayName: 'Require MFA for all users', enforcedGrantControls: ['Mfa'], enforcedSessionControls: [], result: failed ? 'notApplied' : 'success', conditionsSatisfied: 3, conditionsNotSatisfied: 0 },
    { id: POLICY_IDS[1], displayName: 'Block legacy authentication', enforcedGrantControls: ['Block'], enforcedSessionControls: [], result: 'notApplied', conditionsSatisfied: 1, conditionsNotSatisfied: 2 },
  ];
}

function authenticationDetails(event: SignInEvent, created: string): Record<string, unknown>[] {
  const ok = event.outcome === SUCCESS;
  const steps: Record<string, unknown>[] = [
    {
      authenticationStepDateTime: created,
      authenticationMethod: ok && event.table === 'AADNonInteractiveUserSignInLogs' ? 'Previously satisfied' : 'Password',
      authenticationMethodDetail: ok ? 'Password in the cloud' : '',
      succeeded: ok,
      authenticationStepResultDetail: ok ? 'Correct password' : event.outcome.description,
      authenticationStepRequirement: 'Primary authentication',
      StatusSequence: 0,
      RequestSequence: 0,
    },
  ];
  if (event.mfa) {
    steps.push({ authenticationStepDateTime: created, authenticationMethod: 'Previously satisfied', succeeded: true, authenticationStepResultDetail: 'MFA requirement satisfied by claim in the token', authenticationStepRequirement: '' });
  }
  return steps;
}

const PROCESSING_DETAILS = [
  { key: 'Legacy TLS (TLS 1.0, 1.1, 3DES)', value: 'False' },
  { key: 'Is Legacy Store Used', value: 'False' },
  { key: 'Is CAE Token', value: 'False' },
];

/**
 * Builds a Log Analytics row. `nested` chooses how JSON columns are carried: as objects (SigninLogs
 * `dynamic` columns in a JSON export) or as JSON text (AADNonInteractiveUserSignInLogs, whose columns
 * are typed string, and every table in the query API).
 */
export function logAnalyticsRow(event: SignInEvent, tenant: Tenant, nested: 'object' | 'text'): Record<string, unknown> {
  const json = nested === 'object' ? (value: unknown) => value : (value: unknown) => JSON.stringify(value);
  const created = isoTicks(event.created, event.createdTicks);
  const ok = event.outcome === SUCCESS;
  const user = event.user;
  const interactive = event.table === 'SigninLogs';
  const tokenStatus = { signInSessionStatus: 'unbound', signInSessionStatusCode: 1002 };
  const values: Record<string, unknown> = {
    TimeGenerated: isoTicks(event.generated, event.generatedTicks),
    IPAddress: event.ip,
    TenantId: tenant.tenantId,
    SourceSystem: 'Azure AD',
    ResourceId: `/tenants/${tenant.tenantId}/providers/Microsoft.aadiam`,
    OperationName: 'Sign-in activity',
    OperationVersion: '1.0',
    Category: interactive ? 'SignInLogs' : 'NonInteractiveUserSignInLogs',
    ResultType: event.outcome.code,
    ResultSignature: ok ? 'SUCCESS' : 'FAILURE',
    ResultDescription: event.outcome.description,
    DurationMs: 0,
    CorrelationId: event.correlationId,
    Resource: 'Microsoft.aadiam',
    ResourceGroup: 'Microsoft.aadiam',
    ResourceProvider: 'Microsoft.aadiam',
    Identity: user.displayName,
    Level: '4',
    Location: event.place?.countryOrRegion ?? '',
    AlternateSignInName: event.upn,
    AppDisplayName: event.app.name,
    AppId: event.app.id,
    AppOwnerTenantId: 'f8cdef31-a31e-4b4a-93e4-5f571e91255a',
    AuthenticationContextClassReferences: json([]),
    AuthenticationDetails: json(authenticationDetails(event, created.replace('Z', '+00:00'))),
    AppliedEventListeners: json([]),
    AuthenticationMethodsUsed: '',
    AuthenticationProcessingDetails: json(PROCESSING_DETAILS),
    AuthenticationProtocol: 'none',
    AuthenticationRequirement: event.mfa ? 'multiFactorAuthentication' : 'singleFactorAuthentication',
    AuthenticationRequirementPolicies: json([]),
    AuthenticatorAppLocation: '',
    AutonomousSystemNumber: event.place === null ? 0 : 7922,
    ClientAppUsed: event.app.clientAppUsed,
    ClientCredentialType: 'none',
    ClientSessionId: '',
    ConditionalAccessAudiences: json([event.app.resourceId]),
    ConditionalAccessPolicies: json(conditionalAccess(event)),
    ConditionalAccessPoliciesV2: json([]),
    ConditionalAccessStatus: ok ? 'success' : 'notApplied',
    CreatedDateTime: created,
    CrossTenantAccessType: user.userType === 'Guest' ? 'b2bCollaboration' : 'none',
    DeviceDetail: json(deviceDetail(event)),
    FederatedCredentialId: '',
    GlobalSecureAccessIpAddress: '',
    HomeTenantId: tenant.tenantId,
    HomeTenantName: '',
    Id: event.id,
    IncomingTokenType: interactive ? 'none' : 'refreshToken',
    IsInteractive: interactive,
    IsRisky: '',
    IsTenantRestricted: false,
    IsThroughGlobalSecureAccess: false,
    LocationDetails: json(locationDetails(event)),
    MfaDetail: json({}),
    NetworkLocationDetails: json([]),
    OriginalRequestId: event.id,
    OriginalTransferMethod: 'none',
    ProcessingTimeInMilliseconds: '58',
    ProcessingTimeInMs: '58',
    RiskDetail: 'none',
    RiskEventTypes: '[]',
    RiskEventTypes_V2: '[]',
    RiskLevelAggregated: 'none',
    RiskLevelDuringSignIn: 'none',
    RiskState: 'none',
    ResourceDisplayName: event.app.resource,
    ResourceIdentity: event.app.resourceId,
    ResourceOwnerTenantId: 'f8cdef31-a31e-4b4a-93e4-5f571e91255a',
    ResourceServicePrincipalId: '7ad78918-1502-40a7-988e-f5bb511c31d6',
    ResourceTenantId: tenant.tenantId,
    ServicePrincipalId: '',
    ServicePrincipalName: '',
    SessionId: event.sessionId,
    SessionLifetimePolicies: json([]),
    SignInEventTypes: json(['nonInteractiveUser']),
    SignInIdentifier: '',
    SignInIdentifierType: '',
    Status: json(status(event)),
    TokenIssuerName: '',
    TokenIssuerType: 'AzureAD',
    TokenProtectionStatusDetails: json(tokenStatus),
    UniqueTokenIdentifier: event.tokenId,
    UserAgent: event.device.userAgent,
    UserDisplayName: user.displayName,
    UserId: user.id,
    UserPrincipalName: event.upn,
    AADTenantId: tenant.tenantId,
    UserType: user.userType,
    FlaggedForReview: false,
    IPAddressFromResourceProvider: '',
    AuthenticationAppDeviceDetails: '',
    AuthenticationAppPolicyEvaluationDetails: '',
    Agent: json({ agentType: 'notAgentic', agentSubjectType: 'notAgentic' }),
    SourceAppClientId: '',
    AppliedConditionalAccessPolicies: '',
    RiskLevel: '',
    Type: event.table,
  };

  const row: Record<string, unknown> = {};
  for (const column of columnsOf(event.table)) row[column] = values[column];
  return row;
}

/** Builds an Azure Monitor diagnostic-settings record (storage PT1H.json line or Event Hubs batch element). */
export function diagnosticRecord(event: SignInEvent, tenant: Tenant): Record<string, unknown> {
  const ok = event.outcome === SUCCESS;
  const created = isoTicks(event.created, event.createdTicks).replace('Z', '+00:00');
  const user = event.user;
  const record: Record<string, unknown> = {
    time: isoTicks(event.generated, event.generatedTicks),
    resourceId: `/tenants/${tenant.tenantId}/providers/Microsoft.aadiam`,
    operationName: 'Sign-in activity',
    operationVersion: '1.0',
    category: event.table === 'SigninLogs' ? 'SignInLogs' : 'NonInteractiveUserSignInLogs',
    tenantId: tenant.tenantId,
    resultType: event.outcome.code,
    resultSignature: ok ? 'SUCCESS' : 'FAILURE',
  };
  if (!ok) record.resultDescription = event.outcome.description;
  record.durationMs = 0;
  record.callerIpAddress = event.ip;
  record.correlationId = event.correlationId;
  record.identity = user.displayName;
  record.Level = 4;
  if (event.place !== null) record.location = event.place.countryOrRegion;
  record.properties = {
    id: event.id,
    createdDateTime: created,
    userDisplayName: user.displayName,
    userPrincipalName: event.upn,
    userId: user.id,
    appId: event.app.id,
    appDisplayName: event.app.name,
    ipAddress: event.ip,
    status: status(event),
    clientAppUsed: event.app.clientAppUsed,
    userAgent: event.device.userAgent,
    deviceDetail: deviceDetail(event),
    location: locationDetails(event),
    correlationId: event.correlationId,
    conditionalAccessStatus: ok ? 'success' : 'notApplied',
    appliedConditionalAccessPolicies: conditionalAccess(event),
    authenticationContextClassReferences: [],
    originalRequestId: event.id,
    isInteractive: event.table === 'SigninLogs',
    tokenIssuerName: '',
    tokenIssuerType: 'AzureAD',
    authenticationProcessingDetails: PROCESSING_DETAILS,
    networkLocationDetails: [],
    clientCredentialType: 'none',
    processingTimeInMilliseconds: 58,
    riskDetail: 'none',
    riskLevelAggregated: 'none',
    riskLevelDuringSignIn: 'none',
    riskState: 'none',
    riskEventTypes: [],
    riskEventTypes_v2: [],
    resourceDisplayName: event.app.resource,
    resourceId: event.app.resourceId,
    resourceTenantId: tenant.tenantId,
    homeTenantId: tenant.tenantId,
    tenantId: tenant.tenantId,
    authenticationDetails: authenticationDetails(event, created),
    authenticationRequirementPolicies: [],
    sessionLifetimePolicies: [],
    authenticationRequirement: event.mfa ? 'multiFactorAuthentication' : 'singleFactorAuthentication',
    servicePrincipalId: '',
    userType: user.userType,
    flaggedForReview: false,
    isTenantRestricted: false,
    autonomousSystemNumber: event.place === null ? 0 : 7922,
    crossTenantAccessType: user.userType === 'Guest' ? 'b2bCollaboration' : 'none',
    privateLinkDetails: {},
    uniqueTokenIdentifier: event.tokenId,
    incomingTokenType: event.table === 'SigninLogs' ? 'none' : 'refreshToken',
    authenticationProtocol: 'none',
    resourceServicePrincipalId: '7ad78918-1502-40a7-988e-f5bb511c31d6',
    signInTokenProtectionStatus: 'none',
    tokenProtectionStatusDetails: { signInSessionStatus: 'unbound', signInSessionStatusCode: 1002 },
    originalTransferMethod: 'none',
    isThroughGlobalSecureAccess: false,
    conditionalAccessAudiences: [{ applicationId: event.app.resourceId, audienceReasons: 'none' }],
    sessionId: event.sessionId,
    appOwnerTenantId: 'f8cdef31-a31e-4b4a-93e4-5f571e91255a',
    resourceOwnerTenantId: 'f8cdef31-a31e-4b4a-93e4-5f571e91255a',
  };
  return record;
}

/** Whole-second ISO 8601 UTC, as Graph and the admin center's downloads write `createdDateTime`. */
export function isoSeconds(ms: number): string {
  return new Date(ms - (((ms % 1000) + 1000) % 1000)).toISOString().slice(0, 19) + 'Z';
}

/**
 * Builds a Microsoft Graph `signIn` object (beta, as `/auditLogs/signIns` and the admin center's JSON
 * download return it): camelCase, nested `status`, `location` and `deviceDetail`, `signInEventTypes`, and a
 * whole-second `createdDateTime`. It has no TimeGenerated, because Graph reads Entra's store, not Log Analytics.
 */
export function graphSignIn(event: SignInEvent, tenant: Tenant): Record<string, unknown> {
  const ok = event.outcome === SUCCESS;
  const created = isoSeconds(event.created);
  const user = event.user;
  const interactive = event.table === 'SigninLogs';
  return {
    id: event.id,
    createdDateTime: created,
    userDisplayName: user.displayName,
    userPrincipalName: event.upn,
    userId: user.id,
    appId: event.app.id,
    appDisplayName: event.app.name,
    ipAddress: event.ip,
    ipAddressFromResourceProvider: null,
    clientAppUsed: event.app.clientAppUsed,
    userAgent: event.device.userAgent,
    correlationId: event.correlationId,
    conditionalAccessStatus: ok ? 'success' : 'notApplied',
    originalRequestId: event.id,
    isInteractive: interactive,
    tokenIssuerName: '',
    tokenIssuerType: 'AzureAD',
    clientCredentialType: 'none',
    processingTimeInMilliseconds: 58,
    riskDetail: 'none',
    riskLevelAggregated: 'none',
    riskLevelDuringSignIn: 'none',
    riskState: 'none',
    riskEventTypes_v2: [],
    resourceDisplayName: event.app.resource,
    resourceId: event.app.resourceId,
    resourceTenantId: tenant.tenantId,
    homeTenantId: tenant.tenantId,
    homeTenantName: '',
    authenticationMethodsUsed: [],
    authenticationRequirement: event.mfa ? 'multiFactorAuthentication' : 'singleFactorAuthentication',
    signInIdentifier: event.upn,
    signInIdentifierType: null,
    servicePrincipalName: null,
    signInEventTypes: [interactive ? 'interactiveUser' : 'nonInteractiveUser'],
    servicePrincipalId: '00000000-0000-0000-0000-000000000000',
    federatedCredentialId: null,
    // The admin center and Graph write the user type in lower case, unlike Log Analytics.
    userType: user.userType.toLowerCase(),
    flaggedForReview: false,
    isTenantRestricted: false,
    autonomousSystemNumber: event.place === null ? 0 : 7922,
    crossTenantAccessType: user.userType === 'Guest' ? 'b2bCollaboration' : 'none',
    uniqueTokenIdentifier: event.tokenId,
    incomingTokenType: interactive ? 'none' : 'refreshToken',
    authenticationProtocol: 'none',
    resourceServicePrincipalId: '7ad78918-1502-40a7-988e-f5bb511c31d6',
    signInTokenProtectionStatus: 'none',
    originalTransferMethod: 'none',
    isThroughGlobalSecureAccess: false,
    globalSecureAccessIpAddress: '',
    conditionalAccessAudiences: [],
    sessionId: event.sessionId,
    clientSessionId: '',
    appOwnerTenantId: 'f8cdef31-a31e-4b4a-93e4-5f571e91255a',
    resourceOwnerTenantId: 'f8cdef31-a31e-4b4a-93e4-5f571e91255a',
    mfaDetail: null,
    agent: { agentType: 'notAgentic', parentAppId: '', agentSubjectType: 'notAgentic', agentSubjectParentId: '' },
    status: status(event),
    deviceDetail: deviceDetail(event),
    location: locationDetails(event),
    appliedConditionalAccessPolicies: conditionalAccess(event),
    authenticationContextClassReferences: [],
    authenticationProcessingDetails: PROCESSING_DETAILS,
    networkLocationDetails: [],
    authenticationDetails: authenticationDetails(event, created),
    authenticationRequirementPolicies: [],
    sessionLifetimePolicies: [],
    privateLinkDetails: { policyId: '', policyName: '', resourceId: '', policyTenantId: null },
    appliedEventListeners: [],
    managedServiceIdentity: { msiType: 'none', associatedResourceId: null, federatedTokenId: null, federatedTokenIssuer: null },
    tokenProtectionStatusDetails: { signInSessionStatus: 'unbound', signInSessionStatusCode: 1002 },
  };
}

/**
 * Headers of the admin center's CSV download, as real downloads write them: the stray trailing spaces in
 * "Application ID " and "Resource ID ", the double space in "Autonomous system  number", and "Incoming token
 * type" twice.
 */
export const ADMIN_CENTER_CSV_HEADERS = [
  'Date (UTC)', 'Request ID', 'User agent', 'Correlation ID', 'User ID', 'User', 'Username', 'User type',
  'Cross tenant access type', 'Incoming token type', 'Authentication Protocol', 'Unique token identifier',
  'Original transfer method', 'Client credential type', 'Token Protection - Sign In Session',
  'Token Protection - Sign In Session StatusCode', 'Application', 'Application ID ', 'App owner tenant ID', 'Resource',
  'Resource ID ', 'Resource tenant ID', 'Resource owner tenant ID', 'Home tenant ID', 'Home tenant name', 'IP address',
  'Location', 'Status', 'Sign-in error code', 'Failure reason', 'Client app', 'Device ID', 'Browser',
  'Operating System', 'Compliant', 'Managed', 'Join Type', 'Multifactor authentication result',
  'Multifactor authentication auth method', 'Multifactor authentication auth detail', 'Authentication requirement',
  'Sign-in identifier', 'Session ID', 'IP address (seen by resource)', 'Through Global Secure Access',
  'Global Secure Access IP address', 'Autonomous system  number', 'Flagged for review', 'Token issuer type',
  'Incoming token type', 'Token issuer name', 'Latency', 'Conditional Access', 'Managed Identity type',
  'Associated Resource Id', 'Federated Token Id', 'Federated Token Issuer',
] as const;

/** Formats the admin center's single Location column, "City, State, CC", or "" for an unlocated address. */
function combinedLocation(event: SignInEvent): string {
  const place = event.place;
  return place === null ? '' : `${place.city}, ${place.state}, ${place.countryOrRegion}`;
}

/** Builds one row of the admin center's CSV download, in `ADMIN_CENTER_CSV_HEADERS` order. */
export function adminCenterRow(event: SignInEvent, tenant: Tenant): string[] {
  const ok = event.outcome === SUCCESS;
  const user = event.user;
  const device = event.device;
  const interactive = event.table === 'SigninLogs';
  const tokenType = interactive ? 'None' : 'Refresh token';
  return [
    isoSeconds(event.created), event.id, device.userAgent, event.correlationId, user.id, user.displayName, event.upn,
    user.userType, user.userType === 'Guest' ? 'B2B collaboration' : 'None', tokenType, 'None', event.tokenId,
    'None', 'None', 'Unbound', '1002', event.app.name, event.app.id, 'f8cdef31-a31e-4b4a-93e4-5f571e91255a',
    event.app.resource, event.app.resourceId, tenant.tenantId, 'f8cdef31-a31e-4b4a-93e4-5f571e91255a', tenant.tenantId, '',
    event.ip, combinedLocation(event), ok ? 'Success' : 'Failure', ok ? '' : event.outcome.code,
    ok ? '' : event.outcome.description, event.app.clientAppUsed, device.deviceId, device.browser,
    device.operatingSystem, String(device.isCompliant), String(device.isManaged), device.trustType,
    event.mfa ? 'MFA requirement satisfied by claim in the token' : '', event.mfa ? 'Previously satisfied' : '', '',
    event.mfa ? 'Multifactor authentication' : 'Single-factor authentication', event.upn, event.sessionId, '', 'No', '',
    event.place === null ? '' : '7922', 'No', 'AzureAD', tokenType, '', '58', ok ? 'Success' : 'Not Applied', '', '', '', '',
  ];
}
