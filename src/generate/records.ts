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
