/* eslint-disable */
/** Internal type. DO NOT USE DIRECTLY. */
type Exact<T extends { [key: string]: unknown }> = { [K in keyof T]: T[K] };
/** Internal type. DO NOT USE DIRECTLY. */
export type Incremental<T> = T | { [P in keyof T]?: P extends ' $fragmentName' | '__typename' ? T[P] : never };
import type { DocumentTypeDecoration } from '@graphql-typed-document-node/core';
export type AddNoteInput = {
  /** 1 to 1000 characters. */
  text: string;
};

export type AuthMethod =
  | 'EMAIL_CODE'
  | 'PASSKEY'
  | 'PASSWORD'
  | 'RECOVERY_CODE'
  | 'TOTP';

export type ChangePasswordInput = {
  currentPassword: string;
  newPassword: string;
};

export type ConfirmEmailChangeInput = {
  /** The 8-digit code sent to the new address. */
  code: string;
};

export type DisableUserInput = {
  /** Kept for audit; up to 500 characters. */
  reason?: string | null | undefined;
  /** When the disabling ends; null: until enableUser. */
  until?: string | null | undefined;
  userId: string | number;
};

export type FinishPasskeyRegistrationInput = {
  challengeId: string | number;
  name?: string | null | undefined;
  response: unknown;
};

export type ForgetPasswordInput = {
  email: string;
};

export type PasskeyAssertionInput = {
  challengeId: string | number;
  /** The credential as PublicKeyCredential.toJSON() gives it. */
  response: unknown;
};

export type PasskeyPurpose =
  | 'REAUTHENTICATE'
  | 'RESET'
  | 'SECOND_FACTOR'
  | 'SIGN_IN';

export type PasskeySignInInput = {
  challengeId: string | number;
  keepSignedIn?: boolean | null | undefined;
  response: unknown;
};

export type ReauthenticateInput = {
  passkey?: PasskeyAssertionInput | null | undefined;
  password?: string | null | undefined;
  recoveryCode?: string | null | undefined;
  totp?: string | null | undefined;
};

export type RequestEmailChangeInput = {
  newEmail: string;
};

export type ResetPasswordInput = {
  email: string;
  keepSignedIn?: boolean | null | undefined;
  newPassword: string;
  /** The 6-digit code from the e-mail, or the token of the link in it. */
  otp: string;
  passkey?: PasskeyAssertionInput | null | undefined;
  recoveryCode?: string | null | undefined;
  /** For an account with a second factor. */
  totp?: string | null | undefined;
};

export type RevertEmailChangeInput = {
  /** From the link mailed to the previous address. */
  token: string;
};

export type Role =
  | 'ADMIN'
  | 'USER';

/** The challenge of SECOND_FACTOR_REQUIRED and exactly one factor. */
export type SecondFactorInput = {
  challenge: string;
  passkey?: PasskeyAssertionInput | null | undefined;
  recoveryCode?: string | null | undefined;
  totp?: string | null | undefined;
};

export type SecurityEventKind =
  | 'ACCOUNT_DISABLED'
  | 'ACCOUNT_ENABLED'
  | 'EMAIL_CHANGED'
  | 'EMAIL_VERIFIED'
  | 'PASSKEY_ADDED'
  | 'PASSKEY_REMOVED'
  | 'PASSWORD_CHANGED'
  | 'PASSWORD_RESET'
  | 'RECOVERY_CODES_REGENERATED'
  | 'RECOVERY_CODE_USED'
  | 'ROLE_CHANGED'
  | 'SESSION_REVOKED'
  | 'SIGN_IN'
  | 'SIGN_IN_FAILED'
  | 'SIGN_OUT'
  | 'TWO_FACTOR_DISABLED'
  | 'TWO_FACTOR_ENABLED';

/** Exactly one of name or email. */
export type SignInInput = {
  email?: string | null | undefined;
  keepSignedIn?: boolean | null | undefined;
  name?: string | null | undefined;
  password: string;
};

export type SignUpInput = {
  displayName?: string | null | undefined;
  email: string;
  keepSignedIn?: boolean | null | undefined;
  name: string;
  password: string;
};

export type TotpCodeInput = {
  code: string;
};

export type VerifyEmailInput = {
  /** The 8-digit code from the e-mail. */
  code: string;
};

export type AdminUserQueryVariables = Exact<{
  id: string | number;
}>;


export type AdminUserQuery = { user: { id: string, name: string, role: Role, emailVerified: boolean, disabled: boolean, disabledUntil: string | null } | null };

export type AdminUserSessionsQueryVariables = Exact<{
  userId: string | number;
}>;


export type AdminUserSessionsQuery = { userSessions: Array<{ id: string, current: boolean, user: { id: string } }> };

export type AdminDisableUserMutationVariables = Exact<{
  input: DisableUserInput;
}>;


export type AdminDisableUserMutation = { disableUser: { id: string, disabled: boolean, disabledUntil: string | null } };

export type AdminEnableUserMutationVariables = Exact<{
  userId: string | number;
}>;


export type AdminEnableUserMutation = { enableUser: { id: string, disabled: boolean, disabledUntil: string | null } };

export type AdminRevokeUserSessionsMutationVariables = Exact<{
  userId: string | number;
}>;


export type AdminRevokeUserSessionsMutation = { revokeUserSessions: number };

export type AdminReauthenticateMutationVariables = Exact<{
  input: ReauthenticateInput;
}>;


export type AdminReauthenticateMutation = { reauthenticate: { id: string, authenticatedAt: string } };

export type AdminWhoQueryVariables = Exact<{ [key: string]: never; }>;


export type AdminWhoQuery = { me: { id: string, role: Role } | null };

export type AdminAffectedLogQueryVariables = Exact<{ [key: string]: never; }>;


export type AdminAffectedLogQuery = { securityEvents: { edges: Array<{ node: { kind: SecurityEventKind, ip: string | null, userAgent: string | null, sessionId: string | null } }> } };

export type MeIdNameQueryVariables = Exact<{ [key: string]: never; }>;


export type MeIdNameQuery = { me: { id: string, name: string } | null };

export type MeDisplayNameQueryVariables = Exact<{ [key: string]: never; }>;


export type MeDisplayNameQuery = { me: { displayName: string | null } | null };

export type DeleteMyAccountMutationVariables = Exact<{ [key: string]: never; }>;


export type DeleteMyAccountMutation = { deleteAccount: boolean };

export type DeletionReauthenticateMutationVariables = Exact<{
  input: ReauthenticateInput;
}>;


export type DeletionReauthenticateMutation = { reauthenticate: { id: string } };

export type DisableBeforeDeletionMutationVariables = Exact<{
  input: DisableUserInput;
}>;


export type DisableBeforeDeletionMutation = { disableUser: { id: string } };

export type DeletionMeQueryVariables = Exact<{ [key: string]: never; }>;


export type DeletionMeQuery = { me: { id: string } | null };

export type NotesQueryVariables = Exact<{
  first?: number | null | undefined;
}>;


export type NotesQuery = { notes: Array<{ id: string, text: string, createdAt: string }> };

export type AddNoteMutationVariables = Exact<{
  input: AddNoteInput;
}>;


export type AddNoteMutation = { addNote: { id: string, text: string, createdAt: string } };

export type DeleteNoteMutationVariables = Exact<{
  id: string | number;
}>;


export type DeleteNoteMutation = { deleteNote: boolean };

export type ReauthenticateMutationVariables = Exact<{
  input: ReauthenticateInput;
}>;


export type ReauthenticateMutation = { reauthenticate: { id: string, authenticatedAt: string, methods: Array<AuthMethod> } };

export type RecencyQueryVariables = Exact<{ [key: string]: never; }>;


export type RecencyQuery = { session: { id: string, authenticatedAt: string, methods: Array<AuthMethod>, deviceName: string | null, lastSeenAt: string } | null, me: { id: string, emailVerified: boolean, disabled: boolean, disabledUntil: string | null } | null };

export type UsersDirectoryQueryVariables = Exact<{ [key: string]: never; }>;


export type UsersDirectoryQuery = { users: { totalCount: number, edges: Array<{ node: { id: string, name: string, displayName: string | null, email: string, createdAt: string, activeSessionCount: number, lastSeenAt: string | null } }> } };

export type UsersWithRolesQueryVariables = Exact<{ [key: string]: never; }>;


export type UsersWithRolesQuery = { users: { edges: Array<{ node: { id: string, role: Role } }> } };

export type MeRoleQueryVariables = Exact<{ [key: string]: never; }>;


export type MeRoleQuery = { me: { id: string, role: Role } | null };

export type LogoutThenRevokeOthersMutationVariables = Exact<{ [key: string]: never; }>;


export type LogoutThenRevokeOthersMutation = { logout: boolean, revokeOtherSessions: number };

export type WalkSecurityLogQueryVariables = Exact<{ [key: string]: never; }>;


export type WalkSecurityLogQuery = { securityEvents: { edges: Array<{ node: { kind: SecurityEventKind, at: string, sessionId: string | null } }> } };

export type WalkDisableUserMutationVariables = Exact<{
  input: DisableUserInput;
}>;


export type WalkDisableUserMutation = { disableUser: { id: string } };

export type WalkEnableUserMutationVariables = Exact<{
  userId: string | number;
}>;


export type WalkEnableUserMutation = { enableUser: { id: string } };

export type WalkSessionIdQueryVariables = Exact<{ [key: string]: never; }>;


export type WalkSessionIdQuery = { session: { id: string } | null };

export type SecurityLogQueryVariables = Exact<{
  first?: number | null | undefined;
  after?: string | null | undefined;
}>;


export type SecurityLogQuery = { securityEvents: { edges: Array<{ cursor: string, node: { id: string, kind: SecurityEventKind, at: string, ip: string | null, userAgent: string | null, deviceName: string | null, sessionId: string | null } }>, pageInfo: { hasNextPage: boolean, hasPreviousPage: boolean, startCursor: string | null, endCursor: string | null } } };

export type RevokeOneMutationVariables = Exact<{
  id: string | number;
}>;


export type RevokeOneMutation = { revokeSession: boolean };

export type RevokeOthersMutationVariables = Exact<{ [key: string]: never; }>;


export type RevokeOthersMutation = { revokeOtherSessions: number };

export type SignOutNowMutationVariables = Exact<{ [key: string]: never; }>;


export type SignOutNowMutation = { logout: boolean };

export type UsersPageQueryVariables = Exact<{
  first?: number | null | undefined;
  after?: string | null | undefined;
}>;


export type UsersPageQuery = { users: { totalCount: number, edges: Array<{ cursor: string, node: { id: string, name: string, displayName: string | null, email: string, createdAt: string, activeSessionCount: number, lastSeenAt: string | null } }>, pageInfo: { hasNextPage: boolean, hasPreviousPage: boolean, startCursor: string | null, endCursor: string | null } } };

export type UsersFirstPageQueryVariables = Exact<{ [key: string]: never; }>;


export type UsersFirstPageQuery = { users: { totalCount: number, edges: Array<{ node: { id: string } }>, pageInfo: { hasNextPage: boolean, endCursor: string | null } } };

export type UsersActivityQueryVariables = Exact<{
  first?: number | null | undefined;
}>;


export type UsersActivityQuery = { users: { edges: Array<{ node: { activeSessionCount: number, lastSeenAt: string | null } }> } };

export type SignUpFullMutationVariables = Exact<{
  input: SignUpInput;
}>;


export type SignUpFullMutation = { signUp: { user: { id: string, name: string, displayName: string | null, email: string, createdAt: string, activeSessionCount: number, lastSeenAt: string | null }, session: { id: string, createdAt: string, lastSeenAt: string, expiresAt: string, keepSignedIn: boolean, userAgent: string | null, ip: string | null, current: boolean, user: { id: string } } } };

export type SessionsCurrentQueryVariables = Exact<{ [key: string]: never; }>;


export type SessionsCurrentQuery = { sessions: Array<{ current: boolean }> };

export type GateSecurityEventsQueryVariables = Exact<{ [key: string]: never; }>;


export type GateSecurityEventsQuery = { securityEvents: { edges: Array<{ node: { kind: SecurityEventKind } }> } };

export type GateNotesQueryVariables = Exact<{ [key: string]: never; }>;


export type GateNotesQuery = { notes: Array<{ id: string }> };

export type GateAddNoteMutationVariables = Exact<{
  input: AddNoteInput;
}>;


export type GateAddNoteMutation = { addNote: { id: string } };

export type GateUserQueryVariables = Exact<{
  id: string | number;
}>;


export type GateUserQuery = { user: { id: string } | null };

export type RestDisableUserMutationVariables = Exact<{
  input: DisableUserInput;
}>;


export type RestDisableUserMutation = { disableUser: { id: string, disabled: boolean } };

export type WhoamiDisableUserMutationVariables = Exact<{
  input: DisableUserInput;
}>;


export type WhoamiDisableUserMutation = { disableUser: { id: string, disabled: boolean } };

export type MeAndSessionIdsQueryVariables = Exact<{ [key: string]: never; }>;


export type MeAndSessionIdsQuery = { me: { id: string, name: string } | null, sessions: Array<{ id: string }> };

export type VerifyEmailMutationVariables = Exact<{
  input: VerifyEmailInput;
}>;


export type VerifyEmailMutation = { verifyEmail: { id: string, email: string, emailVerified: boolean } };

export type ResendEmailVerificationMutationVariables = Exact<{ [key: string]: never; }>;


export type ResendEmailVerificationMutation = { resendEmailVerification: boolean };

export type RequestEmailChangeMutationVariables = Exact<{
  input: RequestEmailChangeInput;
}>;


export type RequestEmailChangeMutation = { requestEmailChange: boolean };

export type ConfirmEmailChangeMutationVariables = Exact<{
  input: ConfirmEmailChangeInput;
}>;


export type ConfirmEmailChangeMutation = { confirmEmailChange: { id: string, email: string, emailVerified: boolean } };

export type RevertEmailChangeMutationVariables = Exact<{
  input: RevertEmailChangeInput;
}>;


export type RevertEmailChangeMutation = { revertEmailChange: boolean };

export type MeEmailQueryVariables = Exact<{ [key: string]: never; }>;


export type MeEmailQuery = { me: { id: string, email: string, emailVerified: boolean, activeSessionCount: number } | null };

export type BeginTotpMutationVariables = Exact<{ [key: string]: never; }>;


export type BeginTotpMutation = { beginTotpEnrollment: { secret: string, uri: string } };

export type ConfirmTotpMutationVariables = Exact<{
  input: TotpCodeInput;
}>;


export type ConfirmTotpMutation = { confirmTotpEnrollment: Array<string> };

export type DisableTotpMutationVariables = Exact<{ [key: string]: never; }>;


export type DisableTotpMutation = { disableTotp: boolean };

export type RegenerateCodesMutationVariables = Exact<{ [key: string]: never; }>;


export type RegenerateCodesMutation = { regenerateRecoveryCodes: Array<string> };

export type VerifySecondFactorMutationVariables = Exact<{
  input: SecondFactorInput;
}>;


export type VerifySecondFactorMutation = { verifySecondFactor: { user: { id: string, twoFactorEnabled: boolean }, session: { id: string, methods: Array<AuthMethod>, authenticatedAt: string } } };

export type FactorStateQueryVariables = Exact<{ [key: string]: never; }>;


export type FactorStateQuery = { me: { id: string, twoFactorEnabled: boolean } | null, session: { id: string, methods: Array<AuthMethod>, authenticatedAt: string } | null };

export type ReauthenticateWithFactorMutationVariables = Exact<{
  input: ReauthenticateInput;
}>;


export type ReauthenticateWithFactorMutation = { reauthenticate: { id: string, authenticatedAt: string, methods: Array<AuthMethod> } };

export type ResetWithFactorMutationVariables = Exact<{
  input: ResetPasswordInput;
}>;


export type ResetWithFactorMutation = { resetPassword: { user: { id: string }, session: { id: string, methods: Array<AuthMethod> } } };

export type SignInStepMutationVariables = Exact<{
  input: SignInInput;
}>;


export type SignInStepMutation = { signIn: { session: { id: string, methods: Array<AuthMethod> } } };

export type BeginPasskeyRegistrationMutationVariables = Exact<{ [key: string]: never; }>;


export type BeginPasskeyRegistrationMutation = { beginPasskeyRegistration: { id: string, options: unknown } };

export type FinishPasskeyRegistrationMutationVariables = Exact<{
  input: FinishPasskeyRegistrationInput;
}>;


export type FinishPasskeyRegistrationMutation = { finishPasskeyRegistration: { id: string, name: string, createdAt: string, lastUsedAt: string | null } };

export type PasskeysQueryVariables = Exact<{ [key: string]: never; }>;


export type PasskeysQuery = { passkeys: Array<{ id: string, name: string, createdAt: string, lastUsedAt: string | null }>, me: { id: string, twoFactorEnabled: boolean } | null };

export type RenamePasskeyMutationVariables = Exact<{
  id: string | number;
  name: string;
}>;


export type RenamePasskeyMutation = { renamePasskey: { id: string, name: string } };

export type RemovePasskeyMutationVariables = Exact<{
  id: string | number;
}>;


export type RemovePasskeyMutation = { removePasskey: boolean };

export type BeginPasskeySignInMutationVariables = Exact<{ [key: string]: never; }>;


export type BeginPasskeySignInMutation = { beginPasskeySignIn: { id: string, options: unknown } };

export type BeginPasskeyAssertionMutationVariables = Exact<{
  purpose: PasskeyPurpose;
  challenge?: string | null | undefined;
}>;


export type BeginPasskeyAssertionMutation = { beginPasskeyAssertion: { id: string, options: unknown } };

export type FinishPasskeySignInMutationVariables = Exact<{
  input: PasskeySignInInput;
}>;


export type FinishPasskeySignInMutation = { finishPasskeySignIn: { user: { id: string }, session: { id: string, methods: Array<AuthMethod> } } };

export type UserFieldsFragment = { id: string, name: string, displayName: string | null, email: string, createdAt: string, activeSessionCount: number, lastSeenAt: string | null };

export type SessionFieldsFragment = { id: string, createdAt: string, lastSeenAt: string, expiresAt: string, keepSignedIn: boolean, userAgent: string | null, ip: string | null, current: boolean };

export type AuthPayloadFieldsFragment = { user: { id: string, name: string, displayName: string | null, email: string, createdAt: string, activeSessionCount: number, lastSeenAt: string | null }, session: { id: string, createdAt: string, lastSeenAt: string, expiresAt: string, keepSignedIn: boolean, userAgent: string | null, ip: string | null, current: boolean } };

export type SignUpMutationVariables = Exact<{
  input: SignUpInput;
}>;


export type SignUpMutation = { signUp: { user: { id: string, name: string, displayName: string | null, email: string, createdAt: string, activeSessionCount: number, lastSeenAt: string | null }, session: { id: string, createdAt: string, lastSeenAt: string, expiresAt: string, keepSignedIn: boolean, userAgent: string | null, ip: string | null, current: boolean } } };

export type SignInMutationVariables = Exact<{
  input: SignInInput;
}>;


export type SignInMutation = { signIn: { user: { id: string, name: string, displayName: string | null, email: string, createdAt: string, activeSessionCount: number, lastSeenAt: string | null }, session: { id: string, createdAt: string, lastSeenAt: string, expiresAt: string, keepSignedIn: boolean, userAgent: string | null, ip: string | null, current: boolean } } };

export type MeQueryVariables = Exact<{ [key: string]: never; }>;


export type MeQuery = { me: { id: string, name: string, displayName: string | null, email: string, createdAt: string, activeSessionCount: number, lastSeenAt: string | null } | null };

export type CurrentSessionQueryVariables = Exact<{ [key: string]: never; }>;


export type CurrentSessionQuery = { session: { id: string, createdAt: string, lastSeenAt: string, expiresAt: string, keepSignedIn: boolean, userAgent: string | null, ip: string | null, current: boolean, user: { id: string } } | null };

export type SessionsQueryVariables = Exact<{ [key: string]: never; }>;


export type SessionsQuery = { sessions: Array<{ id: string, createdAt: string, lastSeenAt: string, expiresAt: string, keepSignedIn: boolean, userAgent: string | null, ip: string | null, current: boolean }> };

export type LogoutMutationVariables = Exact<{ [key: string]: never; }>;


export type LogoutMutation = { logout: boolean };

export type RefreshSessionMutationVariables = Exact<{ [key: string]: never; }>;


export type RefreshSessionMutation = { refreshSession: { id: string, createdAt: string, lastSeenAt: string, expiresAt: string, keepSignedIn: boolean, userAgent: string | null, ip: string | null, current: boolean } };

export type RevokeSessionMutationVariables = Exact<{
  id: string | number;
}>;


export type RevokeSessionMutation = { revokeSession: boolean };

export type RevokeOtherSessionsMutationVariables = Exact<{ [key: string]: never; }>;


export type RevokeOtherSessionsMutation = { revokeOtherSessions: number };

export type ForgetPasswordMutationVariables = Exact<{
  input: ForgetPasswordInput;
}>;


export type ForgetPasswordMutation = { forgetPassword: boolean };

export type ResetPasswordMutationVariables = Exact<{
  input: ResetPasswordInput;
}>;


export type ResetPasswordMutation = { resetPassword: { user: { id: string, name: string, displayName: string | null, email: string, createdAt: string, activeSessionCount: number, lastSeenAt: string | null }, session: { id: string, createdAt: string, lastSeenAt: string, expiresAt: string, keepSignedIn: boolean, userAgent: string | null, ip: string | null, current: boolean } } };

export type ChangePasswordMutationVariables = Exact<{
  input: ChangePasswordInput;
}>;


export type ChangePasswordMutation = { changePassword: { user: { id: string, name: string, displayName: string | null, email: string, createdAt: string, activeSessionCount: number, lastSeenAt: string | null }, session: { id: string, createdAt: string, lastSeenAt: string, expiresAt: string, keepSignedIn: boolean, userAgent: string | null, ip: string | null, current: boolean } } };

export type MeIdQueryVariables = Exact<{ [key: string]: never; }>;


export type MeIdQuery = { me: { id: string } | null };

export type MeAndSessionIdQueryVariables = Exact<{ [key: string]: never; }>;


export type MeAndSessionIdQuery = { me: { id: string } | null, session: { id: string } | null };

export class TypedDocumentString<TResult, TVariables>
  extends String
  implements DocumentTypeDecoration<TResult, TVariables>
{
  __apiType?: NonNullable<DocumentTypeDecoration<TResult, TVariables>['__apiType']>;
  private value: string;
  public __meta__?: Record<string, any> | undefined;

  constructor(value: string, __meta__?: Record<string, any> | undefined) {
    super(value);
    this.value = value;
    this.__meta__ = __meta__;
  }

  override toString(): string & DocumentTypeDecoration<TResult, TVariables> {
    return this.value;
  }
}
export const UserFieldsFragmentDoc = new TypedDocumentString(`
    fragment UserFields on User {
  id
  name
  displayName
  email
  createdAt
  activeSessionCount
  lastSeenAt
}
    `, {"fragmentName":"UserFields"}) as unknown as TypedDocumentString<UserFieldsFragment, unknown>;
export const SessionFieldsFragmentDoc = new TypedDocumentString(`
    fragment SessionFields on Session {
  id
  createdAt
  lastSeenAt
  expiresAt
  keepSignedIn
  userAgent
  ip
  current
}
    `, {"fragmentName":"SessionFields"}) as unknown as TypedDocumentString<SessionFieldsFragment, unknown>;
export const AuthPayloadFieldsFragmentDoc = new TypedDocumentString(`
    fragment AuthPayloadFields on AuthPayload {
  user {
    ...UserFields
  }
  session {
    ...SessionFields
  }
}
    fragment UserFields on User {
  id
  name
  displayName
  email
  createdAt
  activeSessionCount
  lastSeenAt
}
fragment SessionFields on Session {
  id
  createdAt
  lastSeenAt
  expiresAt
  keepSignedIn
  userAgent
  ip
  current
}`, {"fragmentName":"AuthPayloadFields"}) as unknown as TypedDocumentString<AuthPayloadFieldsFragment, unknown>;
export const AdminUserDocument = new TypedDocumentString(`
    query AdminUser($id: ID!) {
  user(id: $id) {
    id
    name
    role
    emailVerified
    disabled
    disabledUntil
  }
}
    `) as unknown as TypedDocumentString<AdminUserQuery, AdminUserQueryVariables>;
export const AdminUserSessionsDocument = new TypedDocumentString(`
    query AdminUserSessions($userId: ID!) {
  userSessions(userId: $userId) {
    id
    current
    user {
      id
    }
  }
}
    `) as unknown as TypedDocumentString<AdminUserSessionsQuery, AdminUserSessionsQueryVariables>;
export const AdminDisableUserDocument = new TypedDocumentString(`
    mutation AdminDisableUser($input: DisableUserInput!) {
  disableUser(input: $input) {
    id
    disabled
    disabledUntil
  }
}
    `) as unknown as TypedDocumentString<AdminDisableUserMutation, AdminDisableUserMutationVariables>;
export const AdminEnableUserDocument = new TypedDocumentString(`
    mutation AdminEnableUser($userId: ID!) {
  enableUser(userId: $userId) {
    id
    disabled
    disabledUntil
  }
}
    `) as unknown as TypedDocumentString<AdminEnableUserMutation, AdminEnableUserMutationVariables>;
export const AdminRevokeUserSessionsDocument = new TypedDocumentString(`
    mutation AdminRevokeUserSessions($userId: ID!) {
  revokeUserSessions(userId: $userId)
}
    `) as unknown as TypedDocumentString<AdminRevokeUserSessionsMutation, AdminRevokeUserSessionsMutationVariables>;
export const AdminReauthenticateDocument = new TypedDocumentString(`
    mutation AdminReauthenticate($input: ReauthenticateInput!) {
  reauthenticate(input: $input) {
    id
    authenticatedAt
  }
}
    `) as unknown as TypedDocumentString<AdminReauthenticateMutation, AdminReauthenticateMutationVariables>;
export const AdminWhoDocument = new TypedDocumentString(`
    query AdminWho {
  me {
    id
    role
  }
}
    `) as unknown as TypedDocumentString<AdminWhoQuery, AdminWhoQueryVariables>;
export const AdminAffectedLogDocument = new TypedDocumentString(`
    query AdminAffectedLog {
  securityEvents(first: 100) {
    edges {
      node {
        kind
        ip
        userAgent
        sessionId
      }
    }
  }
}
    `) as unknown as TypedDocumentString<AdminAffectedLogQuery, AdminAffectedLogQueryVariables>;
export const MeIdNameDocument = new TypedDocumentString(`
    query MeIdName {
  me {
    id
    name
  }
}
    `) as unknown as TypedDocumentString<MeIdNameQuery, MeIdNameQueryVariables>;
export const MeDisplayNameDocument = new TypedDocumentString(`
    query MeDisplayName {
  me {
    displayName
  }
}
    `) as unknown as TypedDocumentString<MeDisplayNameQuery, MeDisplayNameQueryVariables>;
export const DeleteMyAccountDocument = new TypedDocumentString(`
    mutation DeleteMyAccount {
  deleteAccount
}
    `) as unknown as TypedDocumentString<DeleteMyAccountMutation, DeleteMyAccountMutationVariables>;
export const DeletionReauthenticateDocument = new TypedDocumentString(`
    mutation DeletionReauthenticate($input: ReauthenticateInput!) {
  reauthenticate(input: $input) {
    id
  }
}
    `) as unknown as TypedDocumentString<DeletionReauthenticateMutation, DeletionReauthenticateMutationVariables>;
export const DisableBeforeDeletionDocument = new TypedDocumentString(`
    mutation DisableBeforeDeletion($input: DisableUserInput!) {
  disableUser(input: $input) {
    id
  }
}
    `) as unknown as TypedDocumentString<DisableBeforeDeletionMutation, DisableBeforeDeletionMutationVariables>;
export const DeletionMeDocument = new TypedDocumentString(`
    query DeletionMe {
  me {
    id
  }
}
    `) as unknown as TypedDocumentString<DeletionMeQuery, DeletionMeQueryVariables>;
export const NotesDocument = new TypedDocumentString(`
    query Notes($first: Int) {
  notes(first: $first) {
    id
    text
    createdAt
  }
}
    `) as unknown as TypedDocumentString<NotesQuery, NotesQueryVariables>;
export const AddNoteDocument = new TypedDocumentString(`
    mutation AddNote($input: AddNoteInput!) {
  addNote(input: $input) {
    id
    text
    createdAt
  }
}
    `) as unknown as TypedDocumentString<AddNoteMutation, AddNoteMutationVariables>;
export const DeleteNoteDocument = new TypedDocumentString(`
    mutation DeleteNote($id: ID!) {
  deleteNote(id: $id)
}
    `) as unknown as TypedDocumentString<DeleteNoteMutation, DeleteNoteMutationVariables>;
export const ReauthenticateDocument = new TypedDocumentString(`
    mutation Reauthenticate($input: ReauthenticateInput!) {
  reauthenticate(input: $input) {
    id
    authenticatedAt
    methods
  }
}
    `) as unknown as TypedDocumentString<ReauthenticateMutation, ReauthenticateMutationVariables>;
export const RecencyDocument = new TypedDocumentString(`
    query Recency {
  session {
    id
    authenticatedAt
    methods
    deviceName
    lastSeenAt
  }
  me {
    id
    emailVerified
    disabled
    disabledUntil
  }
}
    `) as unknown as TypedDocumentString<RecencyQuery, RecencyQueryVariables>;
export const UsersDirectoryDocument = new TypedDocumentString(`
    query UsersDirectory {
  users {
    totalCount
    edges {
      node {
        ...UserFields
      }
    }
  }
}
    fragment UserFields on User {
  id
  name
  displayName
  email
  createdAt
  activeSessionCount
  lastSeenAt
}`) as unknown as TypedDocumentString<UsersDirectoryQuery, UsersDirectoryQueryVariables>;
export const UsersWithRolesDocument = new TypedDocumentString(`
    query UsersWithRoles {
  users {
    edges {
      node {
        id
        role
      }
    }
  }
}
    `) as unknown as TypedDocumentString<UsersWithRolesQuery, UsersWithRolesQueryVariables>;
export const MeRoleDocument = new TypedDocumentString(`
    query MeRole {
  me {
    id
    role
  }
}
    `) as unknown as TypedDocumentString<MeRoleQuery, MeRoleQueryVariables>;
export const LogoutThenRevokeOthersDocument = new TypedDocumentString(`
    mutation LogoutThenRevokeOthers {
  logout
  revokeOtherSessions
}
    `) as unknown as TypedDocumentString<LogoutThenRevokeOthersMutation, LogoutThenRevokeOthersMutationVariables>;
export const WalkSecurityLogDocument = new TypedDocumentString(`
    query WalkSecurityLog {
  securityEvents(first: 100) {
    edges {
      node {
        kind
        at
        sessionId
      }
    }
  }
}
    `) as unknown as TypedDocumentString<WalkSecurityLogQuery, WalkSecurityLogQueryVariables>;
export const WalkDisableUserDocument = new TypedDocumentString(`
    mutation WalkDisableUser($input: DisableUserInput!) {
  disableUser(input: $input) {
    id
  }
}
    `) as unknown as TypedDocumentString<WalkDisableUserMutation, WalkDisableUserMutationVariables>;
export const WalkEnableUserDocument = new TypedDocumentString(`
    mutation WalkEnableUser($userId: ID!) {
  enableUser(userId: $userId) {
    id
  }
}
    `) as unknown as TypedDocumentString<WalkEnableUserMutation, WalkEnableUserMutationVariables>;
export const WalkSessionIdDocument = new TypedDocumentString(`
    query WalkSessionId {
  session {
    id
  }
}
    `) as unknown as TypedDocumentString<WalkSessionIdQuery, WalkSessionIdQueryVariables>;
export const SecurityLogDocument = new TypedDocumentString(`
    query SecurityLog($first: Int, $after: String) {
  securityEvents(first: $first, after: $after) {
    edges {
      cursor
      node {
        id
        kind
        at
        ip
        userAgent
        deviceName
        sessionId
      }
    }
    pageInfo {
      hasNextPage
      hasPreviousPage
      startCursor
      endCursor
    }
  }
}
    `) as unknown as TypedDocumentString<SecurityLogQuery, SecurityLogQueryVariables>;
export const RevokeOneDocument = new TypedDocumentString(`
    mutation RevokeOne($id: ID!) {
  revokeSession(id: $id)
}
    `) as unknown as TypedDocumentString<RevokeOneMutation, RevokeOneMutationVariables>;
export const RevokeOthersDocument = new TypedDocumentString(`
    mutation RevokeOthers {
  revokeOtherSessions
}
    `) as unknown as TypedDocumentString<RevokeOthersMutation, RevokeOthersMutationVariables>;
export const SignOutNowDocument = new TypedDocumentString(`
    mutation SignOutNow {
  logout
}
    `) as unknown as TypedDocumentString<SignOutNowMutation, SignOutNowMutationVariables>;
export const UsersPageDocument = new TypedDocumentString(`
    query UsersPage($first: Int, $after: String) {
  users(first: $first, after: $after) {
    edges {
      cursor
      node {
        ...UserFields
      }
    }
    pageInfo {
      hasNextPage
      hasPreviousPage
      startCursor
      endCursor
    }
    totalCount
  }
}
    fragment UserFields on User {
  id
  name
  displayName
  email
  createdAt
  activeSessionCount
  lastSeenAt
}`) as unknown as TypedDocumentString<UsersPageQuery, UsersPageQueryVariables>;
export const UsersFirstPageDocument = new TypedDocumentString(`
    query UsersFirstPage {
  users {
    edges {
      node {
        id
      }
    }
    pageInfo {
      hasNextPage
      endCursor
    }
    totalCount
  }
}
    `) as unknown as TypedDocumentString<UsersFirstPageQuery, UsersFirstPageQueryVariables>;
export const UsersActivityDocument = new TypedDocumentString(`
    query UsersActivity($first: Int) {
  users(first: $first) {
    edges {
      node {
        activeSessionCount
        lastSeenAt
      }
    }
  }
}
    `) as unknown as TypedDocumentString<UsersActivityQuery, UsersActivityQueryVariables>;
export const SignUpFullDocument = new TypedDocumentString(`
    mutation SignUpFull($input: SignUpInput!) {
  signUp(input: $input) {
    user {
      ...UserFields
    }
    session {
      ...SessionFields
      user {
        id
      }
    }
  }
}
    fragment UserFields on User {
  id
  name
  displayName
  email
  createdAt
  activeSessionCount
  lastSeenAt
}
fragment SessionFields on Session {
  id
  createdAt
  lastSeenAt
  expiresAt
  keepSignedIn
  userAgent
  ip
  current
}`) as unknown as TypedDocumentString<SignUpFullMutation, SignUpFullMutationVariables>;
export const SessionsCurrentDocument = new TypedDocumentString(`
    query SessionsCurrent {
  sessions {
    current
  }
}
    `) as unknown as TypedDocumentString<SessionsCurrentQuery, SessionsCurrentQueryVariables>;
export const GateSecurityEventsDocument = new TypedDocumentString(`
    query GateSecurityEvents {
  securityEvents {
    edges {
      node {
        kind
      }
    }
  }
}
    `) as unknown as TypedDocumentString<GateSecurityEventsQuery, GateSecurityEventsQueryVariables>;
export const GateNotesDocument = new TypedDocumentString(`
    query GateNotes {
  notes {
    id
  }
}
    `) as unknown as TypedDocumentString<GateNotesQuery, GateNotesQueryVariables>;
export const GateAddNoteDocument = new TypedDocumentString(`
    mutation GateAddNote($input: AddNoteInput!) {
  addNote(input: $input) {
    id
  }
}
    `) as unknown as TypedDocumentString<GateAddNoteMutation, GateAddNoteMutationVariables>;
export const GateUserDocument = new TypedDocumentString(`
    query GateUser($id: ID!) {
  user(id: $id) {
    id
  }
}
    `) as unknown as TypedDocumentString<GateUserQuery, GateUserQueryVariables>;
export const RestDisableUserDocument = new TypedDocumentString(`
    mutation RestDisableUser($input: DisableUserInput!) {
  disableUser(input: $input) {
    id
    disabled
  }
}
    `) as unknown as TypedDocumentString<RestDisableUserMutation, RestDisableUserMutationVariables>;
export const WhoamiDisableUserDocument = new TypedDocumentString(`
    mutation WhoamiDisableUser($input: DisableUserInput!) {
  disableUser(input: $input) {
    id
    disabled
  }
}
    `) as unknown as TypedDocumentString<WhoamiDisableUserMutation, WhoamiDisableUserMutationVariables>;
export const MeAndSessionIdsDocument = new TypedDocumentString(`
    query MeAndSessionIds {
  me {
    id
    name
  }
  sessions {
    id
  }
}
    `) as unknown as TypedDocumentString<MeAndSessionIdsQuery, MeAndSessionIdsQueryVariables>;
export const VerifyEmailDocument = new TypedDocumentString(`
    mutation VerifyEmail($input: VerifyEmailInput!) {
  verifyEmail(input: $input) {
    id
    email
    emailVerified
  }
}
    `) as unknown as TypedDocumentString<VerifyEmailMutation, VerifyEmailMutationVariables>;
export const ResendEmailVerificationDocument = new TypedDocumentString(`
    mutation ResendEmailVerification {
  resendEmailVerification
}
    `) as unknown as TypedDocumentString<ResendEmailVerificationMutation, ResendEmailVerificationMutationVariables>;
export const RequestEmailChangeDocument = new TypedDocumentString(`
    mutation RequestEmailChange($input: RequestEmailChangeInput!) {
  requestEmailChange(input: $input)
}
    `) as unknown as TypedDocumentString<RequestEmailChangeMutation, RequestEmailChangeMutationVariables>;
export const ConfirmEmailChangeDocument = new TypedDocumentString(`
    mutation ConfirmEmailChange($input: ConfirmEmailChangeInput!) {
  confirmEmailChange(input: $input) {
    id
    email
    emailVerified
  }
}
    `) as unknown as TypedDocumentString<ConfirmEmailChangeMutation, ConfirmEmailChangeMutationVariables>;
export const RevertEmailChangeDocument = new TypedDocumentString(`
    mutation RevertEmailChange($input: RevertEmailChangeInput!) {
  revertEmailChange(input: $input)
}
    `) as unknown as TypedDocumentString<RevertEmailChangeMutation, RevertEmailChangeMutationVariables>;
export const MeEmailDocument = new TypedDocumentString(`
    query MeEmail {
  me {
    id
    email
    emailVerified
    activeSessionCount
  }
}
    `) as unknown as TypedDocumentString<MeEmailQuery, MeEmailQueryVariables>;
export const BeginTotpDocument = new TypedDocumentString(`
    mutation BeginTotp {
  beginTotpEnrollment {
    secret
    uri
  }
}
    `) as unknown as TypedDocumentString<BeginTotpMutation, BeginTotpMutationVariables>;
export const ConfirmTotpDocument = new TypedDocumentString(`
    mutation ConfirmTotp($input: TotpCodeInput!) {
  confirmTotpEnrollment(input: $input)
}
    `) as unknown as TypedDocumentString<ConfirmTotpMutation, ConfirmTotpMutationVariables>;
export const DisableTotpDocument = new TypedDocumentString(`
    mutation DisableTotp {
  disableTotp
}
    `) as unknown as TypedDocumentString<DisableTotpMutation, DisableTotpMutationVariables>;
export const RegenerateCodesDocument = new TypedDocumentString(`
    mutation RegenerateCodes {
  regenerateRecoveryCodes
}
    `) as unknown as TypedDocumentString<RegenerateCodesMutation, RegenerateCodesMutationVariables>;
export const VerifySecondFactorDocument = new TypedDocumentString(`
    mutation VerifySecondFactor($input: SecondFactorInput!) {
  verifySecondFactor(input: $input) {
    user {
      id
      twoFactorEnabled
    }
    session {
      id
      methods
      authenticatedAt
    }
  }
}
    `) as unknown as TypedDocumentString<VerifySecondFactorMutation, VerifySecondFactorMutationVariables>;
export const FactorStateDocument = new TypedDocumentString(`
    query FactorState {
  me {
    id
    twoFactorEnabled
  }
  session {
    id
    methods
    authenticatedAt
  }
}
    `) as unknown as TypedDocumentString<FactorStateQuery, FactorStateQueryVariables>;
export const ReauthenticateWithFactorDocument = new TypedDocumentString(`
    mutation ReauthenticateWithFactor($input: ReauthenticateInput!) {
  reauthenticate(input: $input) {
    id
    authenticatedAt
    methods
  }
}
    `) as unknown as TypedDocumentString<ReauthenticateWithFactorMutation, ReauthenticateWithFactorMutationVariables>;
export const ResetWithFactorDocument = new TypedDocumentString(`
    mutation ResetWithFactor($input: ResetPasswordInput!) {
  resetPassword(input: $input) {
    user {
      id
    }
    session {
      id
      methods
    }
  }
}
    `) as unknown as TypedDocumentString<ResetWithFactorMutation, ResetWithFactorMutationVariables>;
export const SignInStepDocument = new TypedDocumentString(`
    mutation SignInStep($input: SignInInput!) {
  signIn(input: $input) {
    session {
      id
      methods
    }
  }
}
    `) as unknown as TypedDocumentString<SignInStepMutation, SignInStepMutationVariables>;
export const BeginPasskeyRegistrationDocument = new TypedDocumentString(`
    mutation BeginPasskeyRegistration {
  beginPasskeyRegistration {
    id
    options
  }
}
    `) as unknown as TypedDocumentString<BeginPasskeyRegistrationMutation, BeginPasskeyRegistrationMutationVariables>;
export const FinishPasskeyRegistrationDocument = new TypedDocumentString(`
    mutation FinishPasskeyRegistration($input: FinishPasskeyRegistrationInput!) {
  finishPasskeyRegistration(input: $input) {
    id
    name
    createdAt
    lastUsedAt
  }
}
    `) as unknown as TypedDocumentString<FinishPasskeyRegistrationMutation, FinishPasskeyRegistrationMutationVariables>;
export const PasskeysDocument = new TypedDocumentString(`
    query Passkeys {
  passkeys {
    id
    name
    createdAt
    lastUsedAt
  }
  me {
    id
    twoFactorEnabled
  }
}
    `) as unknown as TypedDocumentString<PasskeysQuery, PasskeysQueryVariables>;
export const RenamePasskeyDocument = new TypedDocumentString(`
    mutation RenamePasskey($id: ID!, $name: String!) {
  renamePasskey(id: $id, name: $name) {
    id
    name
  }
}
    `) as unknown as TypedDocumentString<RenamePasskeyMutation, RenamePasskeyMutationVariables>;
export const RemovePasskeyDocument = new TypedDocumentString(`
    mutation RemovePasskey($id: ID!) {
  removePasskey(id: $id)
}
    `) as unknown as TypedDocumentString<RemovePasskeyMutation, RemovePasskeyMutationVariables>;
export const BeginPasskeySignInDocument = new TypedDocumentString(`
    mutation BeginPasskeySignIn {
  beginPasskeySignIn {
    id
    options
  }
}
    `) as unknown as TypedDocumentString<BeginPasskeySignInMutation, BeginPasskeySignInMutationVariables>;
export const BeginPasskeyAssertionDocument = new TypedDocumentString(`
    mutation BeginPasskeyAssertion($purpose: PasskeyPurpose!, $challenge: String) {
  beginPasskeyAssertion(purpose: $purpose, challenge: $challenge) {
    id
    options
  }
}
    `) as unknown as TypedDocumentString<BeginPasskeyAssertionMutation, BeginPasskeyAssertionMutationVariables>;
export const FinishPasskeySignInDocument = new TypedDocumentString(`
    mutation FinishPasskeySignIn($input: PasskeySignInInput!) {
  finishPasskeySignIn(input: $input) {
    user {
      id
    }
    session {
      id
      methods
    }
  }
}
    `) as unknown as TypedDocumentString<FinishPasskeySignInMutation, FinishPasskeySignInMutationVariables>;
export const SignUpDocument = new TypedDocumentString(`
    mutation SignUp($input: SignUpInput!) {
  signUp(input: $input) {
    ...AuthPayloadFields
  }
}
    fragment UserFields on User {
  id
  name
  displayName
  email
  createdAt
  activeSessionCount
  lastSeenAt
}
fragment SessionFields on Session {
  id
  createdAt
  lastSeenAt
  expiresAt
  keepSignedIn
  userAgent
  ip
  current
}
fragment AuthPayloadFields on AuthPayload {
  user {
    ...UserFields
  }
  session {
    ...SessionFields
  }
}`) as unknown as TypedDocumentString<SignUpMutation, SignUpMutationVariables>;
export const SignInDocument = new TypedDocumentString(`
    mutation SignIn($input: SignInInput!) {
  signIn(input: $input) {
    ...AuthPayloadFields
  }
}
    fragment UserFields on User {
  id
  name
  displayName
  email
  createdAt
  activeSessionCount
  lastSeenAt
}
fragment SessionFields on Session {
  id
  createdAt
  lastSeenAt
  expiresAt
  keepSignedIn
  userAgent
  ip
  current
}
fragment AuthPayloadFields on AuthPayload {
  user {
    ...UserFields
  }
  session {
    ...SessionFields
  }
}`) as unknown as TypedDocumentString<SignInMutation, SignInMutationVariables>;
export const MeDocument = new TypedDocumentString(`
    query Me {
  me {
    ...UserFields
  }
}
    fragment UserFields on User {
  id
  name
  displayName
  email
  createdAt
  activeSessionCount
  lastSeenAt
}`) as unknown as TypedDocumentString<MeQuery, MeQueryVariables>;
export const CurrentSessionDocument = new TypedDocumentString(`
    query CurrentSession {
  session {
    ...SessionFields
    user {
      id
    }
  }
}
    fragment SessionFields on Session {
  id
  createdAt
  lastSeenAt
  expiresAt
  keepSignedIn
  userAgent
  ip
  current
}`) as unknown as TypedDocumentString<CurrentSessionQuery, CurrentSessionQueryVariables>;
export const SessionsDocument = new TypedDocumentString(`
    query Sessions {
  sessions {
    ...SessionFields
  }
}
    fragment SessionFields on Session {
  id
  createdAt
  lastSeenAt
  expiresAt
  keepSignedIn
  userAgent
  ip
  current
}`) as unknown as TypedDocumentString<SessionsQuery, SessionsQueryVariables>;
export const LogoutDocument = new TypedDocumentString(`
    mutation Logout {
  logout
}
    `) as unknown as TypedDocumentString<LogoutMutation, LogoutMutationVariables>;
export const RefreshSessionDocument = new TypedDocumentString(`
    mutation RefreshSession {
  refreshSession {
    ...SessionFields
  }
}
    fragment SessionFields on Session {
  id
  createdAt
  lastSeenAt
  expiresAt
  keepSignedIn
  userAgent
  ip
  current
}`) as unknown as TypedDocumentString<RefreshSessionMutation, RefreshSessionMutationVariables>;
export const RevokeSessionDocument = new TypedDocumentString(`
    mutation RevokeSession($id: ID!) {
  revokeSession(id: $id)
}
    `) as unknown as TypedDocumentString<RevokeSessionMutation, RevokeSessionMutationVariables>;
export const RevokeOtherSessionsDocument = new TypedDocumentString(`
    mutation RevokeOtherSessions {
  revokeOtherSessions
}
    `) as unknown as TypedDocumentString<RevokeOtherSessionsMutation, RevokeOtherSessionsMutationVariables>;
export const ForgetPasswordDocument = new TypedDocumentString(`
    mutation ForgetPassword($input: ForgetPasswordInput!) {
  forgetPassword(input: $input)
}
    `) as unknown as TypedDocumentString<ForgetPasswordMutation, ForgetPasswordMutationVariables>;
export const ResetPasswordDocument = new TypedDocumentString(`
    mutation ResetPassword($input: ResetPasswordInput!) {
  resetPassword(input: $input) {
    ...AuthPayloadFields
  }
}
    fragment UserFields on User {
  id
  name
  displayName
  email
  createdAt
  activeSessionCount
  lastSeenAt
}
fragment SessionFields on Session {
  id
  createdAt
  lastSeenAt
  expiresAt
  keepSignedIn
  userAgent
  ip
  current
}
fragment AuthPayloadFields on AuthPayload {
  user {
    ...UserFields
  }
  session {
    ...SessionFields
  }
}`) as unknown as TypedDocumentString<ResetPasswordMutation, ResetPasswordMutationVariables>;
export const ChangePasswordDocument = new TypedDocumentString(`
    mutation ChangePassword($input: ChangePasswordInput!) {
  changePassword(input: $input) {
    ...AuthPayloadFields
  }
}
    fragment UserFields on User {
  id
  name
  displayName
  email
  createdAt
  activeSessionCount
  lastSeenAt
}
fragment SessionFields on Session {
  id
  createdAt
  lastSeenAt
  expiresAt
  keepSignedIn
  userAgent
  ip
  current
}
fragment AuthPayloadFields on AuthPayload {
  user {
    ...UserFields
  }
  session {
    ...SessionFields
  }
}`) as unknown as TypedDocumentString<ChangePasswordMutation, ChangePasswordMutationVariables>;
export const MeIdDocument = new TypedDocumentString(`
    query MeId {
  me {
    id
  }
}
    `) as unknown as TypedDocumentString<MeIdQuery, MeIdQueryVariables>;
export const MeAndSessionIdDocument = new TypedDocumentString(`
    query MeAndSessionId {
  me {
    id
  }
  session {
    id
  }
}
    `) as unknown as TypedDocumentString<MeAndSessionIdQuery, MeAndSessionIdQueryVariables>;