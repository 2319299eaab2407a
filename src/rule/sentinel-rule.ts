/**
 * Microsoft Sentinel's analytic rule "Distributed Password cracking attempts in Microsoft Entra ID"
 * (Azure/Azure-Sentinel, Solutions/Microsoft Entra ID/Analytic Rules/DistribPassCrackAttempt.yaml, v1.0.5),
 * described as data. The engine reads these values; none of them is written into the detector.
 */
export const SENTINEL_RULE = {
  id: 'bfb1c90f-8006-4325-98be-c7fffbc254d6',
  name: 'Distributed Password cracking attempts in Microsoft Entra ID',
  version: '1.0.5',
  severity: 'Medium',
  tactics: ['CredentialAccess'],
  techniques: ['T1110'],
  tables: ['SigninLogs', 'AADNonInteractiveUserSignInLogs'],
  /** `where OperationName =~ "Sign-in activity"`: whole-string equality ignoring ASCII case. */
  operationName: 'Sign-in activity',
  /** `where ResultType in (...)`: case-sensitive string membership. */
  resultTypes: ['50126', '50053', '50055', '50056'],
  /** `SigninCount > s_threshold` */
  failureThreshold: 30,
  /** `LocationCount >= l_threshold` */
  locationThreshold: 3,
  queryFrequency: '1d',
  queryPeriod: '1d',
  /** make_set size limits of the summarize step. */
  setCaps: {
    Location: 100,
    IPAddress: 100,
    AppDisplayName: 100,
    ResultDescription: 50,
    Browser: 20,
    OS: 20,
  },
  /** Entity mapping: one Account with FullName, Name and UPNSuffix taken from the output columns. */
  entityMappings: [
    {
      entityType: 'Account',
      fieldMappings: [
        { identifier: 'FullName', columnName: 'UserPrincipalName' },
        { identifier: 'Name', columnName: 'Name' },
        { identifier: 'UPNSuffix', columnName: 'UPNSuffix' },
      ],
    },
  ],
} as const;

export type SetColumn = keyof typeof SENTINEL_RULE.setCaps;
