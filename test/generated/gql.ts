/* eslint-disable */
import * as types from './graphql.js';



/**
 * Map of all GraphQL operations in the project.
 *
 * This map has several performance disadvantages:
 * 1. It is not tree-shakeable, so it will include all operations in the project.
 * 2. It is not minifiable, so the string of a GraphQL query will be multiple times inside the bundle.
 * 3. It does not support dead code elimination, so it will add unused operations.
 *
 * Therefore it is highly recommended to use the babel or swc plugin for production.
 * Learn more about it here: https://the-guild.dev/graphql/codegen/plugins/presets/preset-client#reducing-bundle-size
 */
type Documents = {
    "\n  query AdminUser($id: ID!) {\n    user(id: $id) { id name role emailVerified disabled disabledUntil }\n  }\n": typeof types.AdminUserDocument,
    "\n  query AdminUserSessions($userId: ID!) {\n    userSessions(userId: $userId) { id current user { id } }\n  }\n": typeof types.AdminUserSessionsDocument,
    "\n  mutation AdminDisableUser($input: DisableUserInput!) {\n    disableUser(input: $input) { id disabled disabledUntil }\n  }\n": typeof types.AdminDisableUserDocument,
    "\n  mutation AdminEnableUser($userId: ID!) {\n    enableUser(userId: $userId) { id disabled disabledUntil }\n  }\n": typeof types.AdminEnableUserDocument,
    "\n  mutation AdminRevokeUserSessions($userId: ID!) { revokeUserSessions(userId: $userId) }\n": typeof types.AdminRevokeUserSessionsDocument,
    "\n  mutation AdminReauthenticate($input: ReauthenticateInput!) {\n    reauthenticate(input: $input) { id authenticatedAt }\n  }\n": typeof types.AdminReauthenticateDocument,
    "\n  query AdminWho { me { id role } }\n": typeof types.AdminWhoDocument,
    "\n  query AdminAffectedLog {\n    securityEvents(first: 100) { edges { node { kind ip userAgent sessionId } } }\n  }\n": typeof types.AdminAffectedLogDocument,
    "\n  query MeIdName {\n    me {\n      id\n      name\n    }\n  }\n": typeof types.MeIdNameDocument,
    "\n        query MeDisplayName {\n          me {\n            displayName\n          }\n        }\n      ": typeof types.MeDisplayNameDocument,
    "\n  mutation DeleteMyAccount { deleteAccount }\n": typeof types.DeleteMyAccountDocument,
    "\n  mutation DeletionReauthenticate($input: ReauthenticateInput!) {\n    reauthenticate(input: $input) { id }\n  }\n": typeof types.DeletionReauthenticateDocument,
    "\n  mutation DisableBeforeDeletion($input: DisableUserInput!) { disableUser(input: $input) { id } }\n": typeof types.DisableBeforeDeletionDocument,
    "\n  query DeletionMe { me { id } }\n": typeof types.DeletionMeDocument,
    "\n  query Notes($first: Int) {\n    notes(first: $first) {\n      id\n      text\n      createdAt\n    }\n  }\n": typeof types.NotesDocument,
    "\n  mutation AddNote($input: AddNoteInput!) {\n    addNote(input: $input) {\n      id\n      text\n      createdAt\n    }\n  }\n": typeof types.AddNoteDocument,
    "\n  mutation DeleteNote($id: ID!) {\n    deleteNote(id: $id)\n  }\n": typeof types.DeleteNoteDocument,
    "\n  mutation Reauthenticate($input: ReauthenticateInput!) {\n    reauthenticate(input: $input) { id authenticatedAt methods }\n  }\n": typeof types.ReauthenticateDocument,
    "\n  query Recency {\n    session { id authenticatedAt methods deviceName lastSeenAt }\n    me { id emailVerified disabled disabledUntil }\n  }\n": typeof types.RecencyDocument,
    "\n  query UsersDirectory {\n    users {\n      totalCount\n      edges {\n        node {\n          ...UserFields\n        }\n      }\n    }\n  }\n": typeof types.UsersDirectoryDocument,
    "\n  query UsersWithRoles {\n    users {\n      edges {\n        node {\n          id\n          role\n        }\n      }\n    }\n  }\n": typeof types.UsersWithRolesDocument,
    "\n  query MeRole {\n    me {\n      id\n      role\n    }\n  }\n": typeof types.MeRoleDocument,
    "\n        mutation LogoutThenRevokeOthers {\n          logout\n          revokeOtherSessions\n        }\n      ": typeof types.LogoutThenRevokeOthersDocument,
    "\n  query WalkSecurityLog {\n    securityEvents(first: 100) { edges { node { kind at sessionId } } }\n  }\n": typeof types.WalkSecurityLogDocument,
    "\n  mutation WalkDisableUser($input: DisableUserInput!) { disableUser(input: $input) { id } }\n": typeof types.WalkDisableUserDocument,
    "\n  mutation WalkEnableUser($userId: ID!) { enableUser(userId: $userId) { id } }\n": typeof types.WalkEnableUserDocument,
    "\n  query WalkSessionId { session { id } }\n": typeof types.WalkSessionIdDocument,
    "\n  query SecurityLog($first: Int, $after: String) {\n    securityEvents(first: $first, after: $after) {\n      edges {\n        cursor\n        node { id kind at ip userAgent deviceName sessionId }\n      }\n      pageInfo { hasNextPage hasPreviousPage startCursor endCursor }\n    }\n  }\n": typeof types.SecurityLogDocument,
    "\n  mutation RevokeOne($id: ID!) { revokeSession(id: $id) }\n": typeof types.RevokeOneDocument,
    "\n  mutation RevokeOthers { revokeOtherSessions }\n": typeof types.RevokeOthersDocument,
    "\n  mutation SignOutNow { logout }\n": typeof types.SignOutNowDocument,
    "\n  query UsersPage($first: Int, $after: String) {\n    users(first: $first, after: $after) {\n      edges {\n        cursor\n        node {\n          ...UserFields\n        }\n      }\n      pageInfo {\n        hasNextPage\n        hasPreviousPage\n        startCursor\n        endCursor\n      }\n      totalCount\n    }\n  }\n": typeof types.UsersPageDocument,
    "\n  query UsersFirstPage {\n    users {\n      edges {\n        node {\n          id\n        }\n      }\n      pageInfo {\n        hasNextPage\n        endCursor\n      }\n      totalCount\n    }\n  }\n": typeof types.UsersFirstPageDocument,
    "\n  query UsersActivity($first: Int) {\n    users(first: $first) {\n      edges {\n        node {\n          activeSessionCount\n          lastSeenAt\n        }\n      }\n    }\n  }\n": typeof types.UsersActivityDocument,
    "\n  mutation SignUpFull($input: SignUpInput!) {\n    signUp(input: $input) {\n      user {\n        ...UserFields\n      }\n      session {\n        ...SessionFields\n        user {\n          id\n        }\n      }\n    }\n  }\n": typeof types.SignUpFullDocument,
    "\n        query SessionsCurrent {\n          sessions {\n            current\n          }\n        }\n      ": typeof types.SessionsCurrentDocument,
    "\n  query GateSecurityEvents { securityEvents { edges { node { kind } } } }\n": typeof types.GateSecurityEventsDocument,
    "\n  query GateNotes { notes { id } }\n": typeof types.GateNotesDocument,
    "\n  mutation GateAddNote($input: AddNoteInput!) { addNote(input: $input) { id } }\n": typeof types.GateAddNoteDocument,
    "\n  query GateUser($id: ID!) { user(id: $id) { id } }\n": typeof types.GateUserDocument,
    "\n  mutation RestDisableUser($input: DisableUserInput!) { disableUser(input: $input) { id disabled } }\n": typeof types.RestDisableUserDocument,
    "\n  mutation WhoamiDisableUser($input: DisableUserInput!) { disableUser(input: $input) { id disabled } }\n": typeof types.WhoamiDisableUserDocument,
    "\n        query MeAndSessionIds {\n          me {\n            id\n            name\n          }\n          sessions {\n            id\n          }\n        }\n      ": typeof types.MeAndSessionIdsDocument,
    "\n  mutation VerifyEmail($input: VerifyEmailInput!) {\n    verifyEmail(input: $input) { id email emailVerified }\n  }\n": typeof types.VerifyEmailDocument,
    "\n  mutation ResendEmailVerification {\n    resendEmailVerification\n  }\n": typeof types.ResendEmailVerificationDocument,
    "\n  mutation RequestEmailChange($input: RequestEmailChangeInput!) {\n    requestEmailChange(input: $input)\n  }\n": typeof types.RequestEmailChangeDocument,
    "\n  mutation ConfirmEmailChange($input: ConfirmEmailChangeInput!) {\n    confirmEmailChange(input: $input) { id email emailVerified }\n  }\n": typeof types.ConfirmEmailChangeDocument,
    "\n  mutation RevertEmailChange($input: RevertEmailChangeInput!) {\n    revertEmailChange(input: $input)\n  }\n": typeof types.RevertEmailChangeDocument,
    "\n  query MeEmail {\n    me { id email emailVerified activeSessionCount }\n  }\n": typeof types.MeEmailDocument,
    "\n  mutation BeginTotp { beginTotpEnrollment { secret uri } }\n": typeof types.BeginTotpDocument,
    "\n  mutation ConfirmTotp($input: TotpCodeInput!) { confirmTotpEnrollment(input: $input) }\n": typeof types.ConfirmTotpDocument,
    "\n  mutation DisableTotp { disableTotp }\n": typeof types.DisableTotpDocument,
    "\n  mutation RegenerateCodes { regenerateRecoveryCodes }\n": typeof types.RegenerateCodesDocument,
    "\n  mutation VerifySecondFactor($input: SecondFactorInput!) {\n    verifySecondFactor(input: $input) { user { id twoFactorEnabled } session { id methods authenticatedAt } }\n  }\n": typeof types.VerifySecondFactorDocument,
    "\n  query FactorState { me { id twoFactorEnabled } session { id methods authenticatedAt } }\n": typeof types.FactorStateDocument,
    "\n  mutation ReauthenticateWithFactor($input: ReauthenticateInput!) {\n    reauthenticate(input: $input) { id authenticatedAt methods }\n  }\n": typeof types.ReauthenticateWithFactorDocument,
    "\n  mutation ResetWithFactor($input: ResetPasswordInput!) {\n    resetPassword(input: $input) { user { id } session { id methods } }\n  }\n": typeof types.ResetWithFactorDocument,
    "\n  mutation SignInStep($input: SignInInput!) { signIn(input: $input) { session { id methods } } }\n": typeof types.SignInStepDocument,
    "\n  mutation BeginPasskeyRegistration { beginPasskeyRegistration { id options } }\n": typeof types.BeginPasskeyRegistrationDocument,
    "\n  mutation FinishPasskeyRegistration($input: FinishPasskeyRegistrationInput!) {\n    finishPasskeyRegistration(input: $input) { id name createdAt lastUsedAt }\n  }\n": typeof types.FinishPasskeyRegistrationDocument,
    "\n  query Passkeys { passkeys { id name createdAt lastUsedAt } me { id twoFactorEnabled } }\n": typeof types.PasskeysDocument,
    "\n  mutation RenamePasskey($id: ID!, $name: String!) { renamePasskey(id: $id, name: $name) { id name } }\n": typeof types.RenamePasskeyDocument,
    "\n  mutation RemovePasskey($id: ID!) { removePasskey(id: $id) }\n": typeof types.RemovePasskeyDocument,
    "\n  mutation BeginPasskeySignIn { beginPasskeySignIn { id options } }\n": typeof types.BeginPasskeySignInDocument,
    "\n  mutation BeginPasskeyAssertion($purpose: PasskeyPurpose!, $challenge: String) {\n    beginPasskeyAssertion(purpose: $purpose, challenge: $challenge) { id options }\n  }\n": typeof types.BeginPasskeyAssertionDocument,
    "\n  mutation FinishPasskeySignIn($input: PasskeySignInInput!) {\n    finishPasskeySignIn(input: $input) { user { id } session { id methods } }\n  }\n": typeof types.FinishPasskeySignInDocument,
    "\n  fragment UserFields on User {\n    id\n    name\n    displayName\n    email\n    createdAt\n    activeSessionCount\n    lastSeenAt\n  }\n": typeof types.UserFieldsFragmentDoc,
    "\n  fragment SessionFields on Session {\n    id\n    createdAt\n    lastSeenAt\n    expiresAt\n    keepSignedIn\n    userAgent\n    ip\n    current\n  }\n": typeof types.SessionFieldsFragmentDoc,
    "\n  fragment AuthPayloadFields on AuthPayload {\n    user {\n      ...UserFields\n    }\n    session {\n      ...SessionFields\n    }\n  }\n": typeof types.AuthPayloadFieldsFragmentDoc,
    "\n  mutation SignUp($input: SignUpInput!) {\n    signUp(input: $input) {\n      ...AuthPayloadFields\n    }\n  }\n": typeof types.SignUpDocument,
    "\n  mutation SignIn($input: SignInInput!) {\n    signIn(input: $input) {\n      ...AuthPayloadFields\n    }\n  }\n": typeof types.SignInDocument,
    "\n  query Me {\n    me {\n      ...UserFields\n    }\n  }\n": typeof types.MeDocument,
    "\n  query CurrentSession {\n    session {\n      ...SessionFields\n      user {\n        id\n      }\n    }\n  }\n": typeof types.CurrentSessionDocument,
    "\n  query Sessions {\n    sessions {\n      ...SessionFields\n    }\n  }\n": typeof types.SessionsDocument,
    "\n  mutation Logout {\n    logout\n  }\n": typeof types.LogoutDocument,
    "\n  mutation RefreshSession {\n    refreshSession {\n      ...SessionFields\n    }\n  }\n": typeof types.RefreshSessionDocument,
    "\n  mutation RevokeSession($id: ID!) {\n    revokeSession(id: $id)\n  }\n": typeof types.RevokeSessionDocument,
    "\n  mutation RevokeOtherSessions {\n    revokeOtherSessions\n  }\n": typeof types.RevokeOtherSessionsDocument,
    "\n  mutation ForgetPassword($input: ForgetPasswordInput!) {\n    forgetPassword(input: $input)\n  }\n": typeof types.ForgetPasswordDocument,
    "\n  mutation ResetPassword($input: ResetPasswordInput!) {\n    resetPassword(input: $input) {\n      ...AuthPayloadFields\n    }\n  }\n": typeof types.ResetPasswordDocument,
    "\n  mutation ChangePassword($input: ChangePasswordInput!) {\n    changePassword(input: $input) {\n      ...AuthPayloadFields\n    }\n  }\n": typeof types.ChangePasswordDocument,
    "\n  query MeId {\n    me {\n      id\n    }\n  }\n": typeof types.MeIdDocument,
    "\n  query MeAndSessionId {\n    me {\n      id\n    }\n    session {\n      id\n    }\n  }\n": typeof types.MeAndSessionIdDocument,
};
const documents: Documents = {
    "\n  query AdminUser($id: ID!) {\n    user(id: $id) { id name role emailVerified disabled disabledUntil }\n  }\n": types.AdminUserDocument,
    "\n  query AdminUserSessions($userId: ID!) {\n    userSessions(userId: $userId) { id current user { id } }\n  }\n": types.AdminUserSessionsDocument,
    "\n  mutation AdminDisableUser($input: DisableUserInput!) {\n    disableUser(input: $input) { id disabled disabledUntil }\n  }\n": types.AdminDisableUserDocument,
    "\n  mutation AdminEnableUser($userId: ID!) {\n    enableUser(userId: $userId) { id disabled disabledUntil }\n  }\n": types.AdminEnableUserDocument,
    "\n  mutation AdminRevokeUserSessions($userId: ID!) { revokeUserSessions(userId: $userId) }\n": types.AdminRevokeUserSessionsDocument,
    "\n  mutation AdminReauthenticate($input: ReauthenticateInput!) {\n    reauthenticate(input: $input) { id authenticatedAt }\n  }\n": types.AdminReauthenticateDocument,
    "\n  query AdminWho { me { id role } }\n": types.AdminWhoDocument,
    "\n  query AdminAffectedLog {\n    securityEvents(first: 100) { edges { node { kind ip userAgent sessionId } } }\n  }\n": types.AdminAffectedLogDocument,
    "\n  query MeIdName {\n    me {\n      id\n      name\n    }\n  }\n": types.MeIdNameDocument,
    "\n        query MeDisplayName {\n          me {\n            displayName\n          }\n        }\n      ": types.MeDisplayNameDocument,
    "\n  mutation DeleteMyAccount { deleteAccount }\n": types.DeleteMyAccountDocument,
    "\n  mutation DeletionReauthenticate($input: ReauthenticateInput!) {\n    reauthenticate(input: $input) { id }\n  }\n": types.DeletionReauthenticateDocument,
    "\n  mutation DisableBeforeDeletion($input: DisableUserInput!) { disableUser(input: $input) { id } }\n": types.DisableBeforeDeletionDocument,
    "\n  query DeletionMe { me { id } }\n": types.DeletionMeDocument,
    "\n  query Notes($first: Int) {\n    notes(first: $first) {\n      id\n      text\n      createdAt\n    }\n  }\n": types.NotesDocument,
    "\n  mutation AddNote($input: AddNoteInput!) {\n    addNote(input: $input) {\n      id\n      text\n      createdAt\n    }\n  }\n": types.AddNoteDocument,
    "\n  mutation DeleteNote($id: ID!) {\n    deleteNote(id: $id)\n  }\n": types.DeleteNoteDocument,
    "\n  mutation Reauthenticate($input: ReauthenticateInput!) {\n    reauthenticate(input: $input) { id authenticatedAt methods }\n  }\n": types.ReauthenticateDocument,
    "\n  query Recency {\n    session { id authenticatedAt methods deviceName lastSeenAt }\n    me { id emailVerified disabled disabledUntil }\n  }\n": types.RecencyDocument,
    "\n  query UsersDirectory {\n    users {\n      totalCount\n      edges {\n        node {\n          ...UserFields\n        }\n      }\n    }\n  }\n": types.UsersDirectoryDocument,
    "\n  query UsersWithRoles {\n    users {\n      edges {\n        node {\n          id\n          role\n        }\n      }\n    }\n  }\n": types.UsersWithRolesDocument,
    "\n  query MeRole {\n    me {\n      id\n      role\n    }\n  }\n": types.MeRoleDocument,
    "\n        mutation LogoutThenRevokeOthers {\n          logout\n          revokeOtherSessions\n        }\n      ": types.LogoutThenRevokeOthersDocument,
    "\n  query WalkSecurityLog {\n    securityEvents(first: 100) { edges { node { kind at sessionId } } }\n  }\n": types.WalkSecurityLogDocument,
    "\n  mutation WalkDisableUser($input: DisableUserInput!) { disableUser(input: $input) { id } }\n": types.WalkDisableUserDocument,
    "\n  mutation WalkEnableUser($userId: ID!) { enableUser(userId: $userId) { id } }\n": types.WalkEnableUserDocument,
    "\n  query WalkSessionId { session { id } }\n": types.WalkSessionIdDocument,
    "\n  query SecurityLog($first: Int, $after: String) {\n    securityEvents(first: $first, after: $after) {\n      edges {\n        cursor\n        node { id kind at ip userAgent deviceName sessionId }\n      }\n      pageInfo { hasNextPage hasPreviousPage startCursor endCursor }\n    }\n  }\n": types.SecurityLogDocument,
    "\n  mutation RevokeOne($id: ID!) { revokeSession(id: $id) }\n": types.RevokeOneDocument,
    "\n  mutation RevokeOthers { revokeOtherSessions }\n": types.RevokeOthersDocument,
    "\n  mutation SignOutNow { logout }\n": types.SignOutNowDocument,
    "\n  query UsersPage($first: Int, $after: String) {\n    users(first: $first, after: $after) {\n      edges {\n        cursor\n        node {\n          ...UserFields\n        }\n      }\n      pageInfo {\n        hasNextPage\n        hasPreviousPage\n        startCursor\n        endCursor\n      }\n      totalCount\n    }\n  }\n": types.UsersPageDocument,
    "\n  query UsersFirstPage {\n    users {\n      edges {\n        node {\n          id\n        }\n      }\n      pageInfo {\n        hasNextPage\n        endCursor\n      }\n      totalCount\n    }\n  }\n": types.UsersFirstPageDocument,
    "\n  query UsersActivity($first: Int) {\n    users(first: $first) {\n      edges {\n        node {\n          activeSessionCount\n          lastSeenAt\n        }\n      }\n    }\n  }\n": types.UsersActivityDocument,
    "\n  mutation SignUpFull($input: SignUpInput!) {\n    signUp(input: $input) {\n      user {\n        ...UserFields\n      }\n      session {\n        ...SessionFields\n        user {\n          id\n        }\n      }\n    }\n  }\n": types.SignUpFullDocument,
    "\n        query SessionsCurrent {\n          sessions {\n            current\n          }\n        }\n      ": types.SessionsCurrentDocument,
    "\n  query GateSecurityEvents { securityEvents { edges { node { kind } } } }\n": types.GateSecurityEventsDocument,
    "\n  query GateNotes { notes { id } }\n": types.GateNotesDocument,
    "\n  mutation GateAddNote($input: AddNoteInput!) { addNote(input: $input) { id } }\n": types.GateAddNoteDocument,
    "\n  query GateUser($id: ID!) { user(id: $id) { id } }\n": types.GateUserDocument,
    "\n  mutation RestDisableUser($input: DisableUserInput!) { disableUser(input: $input) { id disabled } }\n": types.RestDisableUserDocument,
    "\n  mutation WhoamiDisableUser($input: DisableUserInput!) { disableUser(input: $input) { id disabled } }\n": types.WhoamiDisableUserDocument,
    "\n        query MeAndSessionIds {\n          me {\n            id\n            name\n          }\n          sessions {\n            id\n          }\n        }\n      ": types.MeAndSessionIdsDocument,
    "\n  mutation VerifyEmail($input: VerifyEmailInput!) {\n    verifyEmail(input: $input) { id email emailVerified }\n  }\n": types.VerifyEmailDocument,
    "\n  mutation ResendEmailVerification {\n    resendEmailVerification\n  }\n": types.ResendEmailVerificationDocument,
    "\n  mutation RequestEmailChange($input: RequestEmailChangeInput!) {\n    requestEmailChange(input: $input)\n  }\n": types.RequestEmailChangeDocument,
    "\n  mutation ConfirmEmailChange($input: ConfirmEmailChangeInput!) {\n    confirmEmailChange(input: $input) { id email emailVerified }\n  }\n": types.ConfirmEmailChangeDocument,
    "\n  mutation RevertEmailChange($input: RevertEmailChangeInput!) {\n    revertEmailChange(input: $input)\n  }\n": types.RevertEmailChangeDocument,
    "\n  query MeEmail {\n    me { id email emailVerified activeSessionCount }\n  }\n": types.MeEmailDocument,
    "\n  mutation BeginTotp { beginTotpEnrollment { secret uri } }\n": types.BeginTotpDocument,
    "\n  mutation ConfirmTotp($input: TotpCodeInput!) { confirmTotpEnrollment(input: $input) }\n": types.ConfirmTotpDocument,
    "\n  mutation DisableTotp { disableTotp }\n": types.DisableTotpDocument,
    "\n  mutation RegenerateCodes { regenerateRecoveryCodes }\n": types.RegenerateCodesDocument,
    "\n  mutation VerifySecondFactor($input: SecondFactorInput!) {\n    verifySecondFactor(input: $input) { user { id twoFactorEnabled } session { id methods authenticatedAt } }\n  }\n": types.VerifySecondFactorDocument,
    "\n  query FactorState { me { id twoFactorEnabled } session { id methods authenticatedAt } }\n": types.FactorStateDocument,
    "\n  mutation ReauthenticateWithFactor($input: ReauthenticateInput!) {\n    reauthenticate(input: $input) { id authenticatedAt methods }\n  }\n": types.ReauthenticateWithFactorDocument,
    "\n  mutation ResetWithFactor($input: ResetPasswordInput!) {\n    resetPassword(input: $input) { user { id } session { id methods } }\n  }\n": types.ResetWithFactorDocument,
    "\n  mutation SignInStep($input: SignInInput!) { signIn(input: $input) { session { id methods } } }\n": types.SignInStepDocument,
    "\n  mutation BeginPasskeyRegistration { beginPasskeyRegistration { id options } }\n": types.BeginPasskeyRegistrationDocument,
    "\n  mutation FinishPasskeyRegistration($input: FinishPasskeyRegistrationInput!) {\n    finishPasskeyRegistration(input: $input) { id name createdAt lastUsedAt }\n  }\n": types.FinishPasskeyRegistrationDocument,
    "\n  query Passkeys { passkeys { id name createdAt lastUsedAt } me { id twoFactorEnabled } }\n": types.PasskeysDocument,
    "\n  mutation RenamePasskey($id: ID!, $name: String!) { renamePasskey(id: $id, name: $name) { id name } }\n": types.RenamePasskeyDocument,
    "\n  mutation RemovePasskey($id: ID!) { removePasskey(id: $id) }\n": types.RemovePasskeyDocument,
    "\n  mutation BeginPasskeySignIn { beginPasskeySignIn { id options } }\n": types.BeginPasskeySignInDocument,
    "\n  mutation BeginPasskeyAssertion($purpose: PasskeyPurpose!, $challenge: String) {\n    beginPasskeyAssertion(purpose: $purpose, challenge: $challenge) { id options }\n  }\n": types.BeginPasskeyAssertionDocument,
    "\n  mutation FinishPasskeySignIn($input: PasskeySignInInput!) {\n    finishPasskeySignIn(input: $input) { user { id } session { id methods } }\n  }\n": types.FinishPasskeySignInDocument,
    "\n  fragment UserFields on User {\n    id\n    name\n    displayName\n    email\n    createdAt\n    activeSessionCount\n    lastSeenAt\n  }\n": types.UserFieldsFragmentDoc,
    "\n  fragment SessionFields on Session {\n    id\n    createdAt\n    lastSeenAt\n    expiresAt\n    keepSignedIn\n    userAgent\n    ip\n    current\n  }\n": types.SessionFieldsFragmentDoc,
    "\n  fragment AuthPayloadFields on AuthPayload {\n    user {\n      ...UserFields\n    }\n    session {\n      ...SessionFields\n    }\n  }\n": types.AuthPayloadFieldsFragmentDoc,
    "\n  mutation SignUp($input: SignUpInput!) {\n    signUp(input: $input) {\n      ...AuthPayloadFields\n    }\n  }\n": types.SignUpDocument,
    "\n  mutation SignIn($input: SignInInput!) {\n    signIn(input: $input) {\n      ...AuthPayloadFields\n    }\n  }\n": types.SignInDocument,
    "\n  query Me {\n    me {\n      ...UserFields\n    }\n  }\n": types.MeDocument,
    "\n  query CurrentSession {\n    session {\n      ...SessionFields\n      user {\n        id\n      }\n    }\n  }\n": types.CurrentSessionDocument,
    "\n  query Sessions {\n    sessions {\n      ...SessionFields\n    }\n  }\n": types.SessionsDocument,
    "\n  mutation Logout {\n    logout\n  }\n": types.LogoutDocument,
    "\n  mutation RefreshSession {\n    refreshSession {\n      ...SessionFields\n    }\n  }\n": types.RefreshSessionDocument,
    "\n  mutation RevokeSession($id: ID!) {\n    revokeSession(id: $id)\n  }\n": types.RevokeSessionDocument,
    "\n  mutation RevokeOtherSessions {\n    revokeOtherSessions\n  }\n": types.RevokeOtherSessionsDocument,
    "\n  mutation ForgetPassword($input: ForgetPasswordInput!) {\n    forgetPassword(input: $input)\n  }\n": types.ForgetPasswordDocument,
    "\n  mutation ResetPassword($input: ResetPasswordInput!) {\n    resetPassword(input: $input) {\n      ...AuthPayloadFields\n    }\n  }\n": types.ResetPasswordDocument,
    "\n  mutation ChangePassword($input: ChangePasswordInput!) {\n    changePassword(input: $input) {\n      ...AuthPayloadFields\n    }\n  }\n": types.ChangePasswordDocument,
    "\n  query MeId {\n    me {\n      id\n    }\n  }\n": types.MeIdDocument,
    "\n  query MeAndSessionId {\n    me {\n      id\n    }\n    session {\n      id\n    }\n  }\n": types.MeAndSessionIdDocument,
};

/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query AdminUser($id: ID!) {\n    user(id: $id) { id name role emailVerified disabled disabledUntil }\n  }\n"): typeof import('./graphql.js').AdminUserDocument;
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query AdminUserSessions($userId: ID!) {\n    userSessions(userId: $userId) { id current user { id } }\n  }\n"): typeof import('./graphql.js').AdminUserSessionsDocument;
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation AdminDisableUser($input: DisableUserInput!) {\n    disableUser(input: $input) { id disabled disabledUntil }\n  }\n"): typeof import('./graphql.js').AdminDisableUserDocument;
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation AdminEnableUser($userId: ID!) {\n    enableUser(userId: $userId) { id disabled disabledUntil }\n  }\n"): typeof import('./graphql.js').AdminEnableUserDocument;
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation AdminRevokeUserSessions($userId: ID!) { revokeUserSessions(userId: $userId) }\n"): typeof import('./graphql.js').AdminRevokeUserSessionsDocument;
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation AdminReauthenticate($input: ReauthenticateInput!) {\n    reauthenticate(input: $input) { id authenticatedAt }\n  }\n"): typeof import('./graphql.js').AdminReauthenticateDocument;
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query AdminWho { me { id role } }\n"): typeof import('./graphql.js').AdminWhoDocument;
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query AdminAffectedLog {\n    securityEvents(first: 100) { edges { node { kind ip userAgent sessionId } } }\n  }\n"): typeof import('./graphql.js').AdminAffectedLogDocument;
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query MeIdName {\n    me {\n      id\n      name\n    }\n  }\n"): typeof import('./graphql.js').MeIdNameDocument;
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n        query MeDisplayName {\n          me {\n            displayName\n          }\n        }\n      "): typeof import('./graphql.js').MeDisplayNameDocument;
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation DeleteMyAccount { deleteAccount }\n"): typeof import('./graphql.js').DeleteMyAccountDocument;
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation DeletionReauthenticate($input: ReauthenticateInput!) {\n    reauthenticate(input: $input) { id }\n  }\n"): typeof import('./graphql.js').DeletionReauthenticateDocument;
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation DisableBeforeDeletion($input: DisableUserInput!) { disableUser(input: $input) { id } }\n"): typeof import('./graphql.js').DisableBeforeDeletionDocument;
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query DeletionMe { me { id } }\n"): typeof import('./graphql.js').DeletionMeDocument;
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query Notes($first: Int) {\n    notes(first: $first) {\n      id\n      text\n      createdAt\n    }\n  }\n"): typeof import('./graphql.js').NotesDocument;
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation AddNote($input: AddNoteInput!) {\n    addNote(input: $input) {\n      id\n      text\n      createdAt\n    }\n  }\n"): typeof import('./graphql.js').AddNoteDocument;
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation DeleteNote($id: ID!) {\n    deleteNote(id: $id)\n  }\n"): typeof import('./graphql.js').DeleteNoteDocument;
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation Reauthenticate($input: ReauthenticateInput!) {\n    reauthenticate(input: $input) { id authenticatedAt methods }\n  }\n"): typeof import('./graphql.js').ReauthenticateDocument;
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query Recency {\n    session { id authenticatedAt methods deviceName lastSeenAt }\n    me { id emailVerified disabled disabledUntil }\n  }\n"): typeof import('./graphql.js').RecencyDocument;
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query UsersDirectory {\n    users {\n      totalCount\n      edges {\n        node {\n          ...UserFields\n        }\n      }\n    }\n  }\n"): typeof import('./graphql.js').UsersDirectoryDocument;
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query UsersWithRoles {\n    users {\n      edges {\n        node {\n          id\n          role\n        }\n      }\n    }\n  }\n"): typeof import('./graphql.js').UsersWithRolesDocument;
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query MeRole {\n    me {\n      id\n      role\n    }\n  }\n"): typeof import('./graphql.js').MeRoleDocument;
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n        mutation LogoutThenRevokeOthers {\n          logout\n          revokeOtherSessions\n        }\n      "): typeof import('./graphql.js').LogoutThenRevokeOthersDocument;
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query WalkSecurityLog {\n    securityEvents(first: 100) { edges { node { kind at sessionId } } }\n  }\n"): typeof import('./graphql.js').WalkSecurityLogDocument;
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation WalkDisableUser($input: DisableUserInput!) { disableUser(input: $input) { id } }\n"): typeof import('./graphql.js').WalkDisableUserDocument;
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation WalkEnableUser($userId: ID!) { enableUser(userId: $userId) { id } }\n"): typeof import('./graphql.js').WalkEnableUserDocument;
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query WalkSessionId { session { id } }\n"): typeof import('./graphql.js').WalkSessionIdDocument;
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query SecurityLog($first: Int, $after: String) {\n    securityEvents(first: $first, after: $after) {\n      edges {\n        cursor\n        node { id kind at ip userAgent deviceName sessionId }\n      }\n      pageInfo { hasNextPage hasPreviousPage startCursor endCursor }\n    }\n  }\n"): typeof import('./graphql.js').SecurityLogDocument;
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation RevokeOne($id: ID!) { revokeSession(id: $id) }\n"): typeof import('./graphql.js').RevokeOneDocument;
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation RevokeOthers { revokeOtherSessions }\n"): typeof import('./graphql.js').RevokeOthersDocument;
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation SignOutNow { logout }\n"): typeof import('./graphql.js').SignOutNowDocument;
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query UsersPage($first: Int, $after: String) {\n    users(first: $first, after: $after) {\n      edges {\n        cursor\n        node {\n          ...UserFields\n        }\n      }\n      pageInfo {\n        hasNextPage\n        hasPreviousPage\n        startCursor\n        endCursor\n      }\n      totalCount\n    }\n  }\n"): typeof import('./graphql.js').UsersPageDocument;
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query UsersFirstPage {\n    users {\n      edges {\n        node {\n          id\n        }\n      }\n      pageInfo {\n        hasNextPage\n        endCursor\n      }\n      totalCount\n    }\n  }\n"): typeof import('./graphql.js').UsersFirstPageDocument;
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query UsersActivity($first: Int) {\n    users(first: $first) {\n      edges {\n        node {\n          activeSessionCount\n          lastSeenAt\n        }\n      }\n    }\n  }\n"): typeof import('./graphql.js').UsersActivityDocument;
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation SignUpFull($input: SignUpInput!) {\n    signUp(input: $input) {\n      user {\n        ...UserFields\n      }\n      session {\n        ...SessionFields\n        user {\n          id\n        }\n      }\n    }\n  }\n"): typeof import('./graphql.js').SignUpFullDocument;
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n        query SessionsCurrent {\n          sessions {\n            current\n          }\n        }\n      "): typeof import('./graphql.js').SessionsCurrentDocument;
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query GateSecurityEvents { securityEvents { edges { node { kind } } } }\n"): typeof import('./graphql.js').GateSecurityEventsDocument;
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query GateNotes { notes { id } }\n"): typeof import('./graphql.js').GateNotesDocument;
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation GateAddNote($input: AddNoteInput!) { addNote(input: $input) { id } }\n"): typeof import('./graphql.js').GateAddNoteDocument;
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query GateUser($id: ID!) { user(id: $id) { id } }\n"): typeof import('./graphql.js').GateUserDocument;
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation RestDisableUser($input: DisableUserInput!) { disableUser(input: $input) { id disabled } }\n"): typeof import('./graphql.js').RestDisableUserDocument;
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation WhoamiDisableUser($input: DisableUserInput!) { disableUser(input: $input) { id disabled } }\n"): typeof import('./graphql.js').WhoamiDisableUserDocument;
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n        query MeAndSessionIds {\n          me {\n            id\n            name\n          }\n          sessions {\n            id\n          }\n        }\n      "): typeof import('./graphql.js').MeAndSessionIdsDocument;
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation VerifyEmail($input: VerifyEmailInput!) {\n    verifyEmail(input: $input) { id email emailVerified }\n  }\n"): typeof import('./graphql.js').VerifyEmailDocument;
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation ResendEmailVerification {\n    resendEmailVerification\n  }\n"): typeof import('./graphql.js').ResendEmailVerificationDocument;
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation RequestEmailChange($input: RequestEmailChangeInput!) {\n    requestEmailChange(input: $input)\n  }\n"): typeof import('./graphql.js').RequestEmailChangeDocument;
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation ConfirmEmailChange($input: ConfirmEmailChangeInput!) {\n    confirmEmailChange(input: $input) { id email emailVerified }\n  }\n"): typeof import('./graphql.js').ConfirmEmailChangeDocument;
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation RevertEmailChange($input: RevertEmailChangeInput!) {\n    revertEmailChange(input: $input)\n  }\n"): typeof import('./graphql.js').RevertEmailChangeDocument;
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query MeEmail {\n    me { id email emailVerified activeSessionCount }\n  }\n"): typeof import('./graphql.js').MeEmailDocument;
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation BeginTotp { beginTotpEnrollment { secret uri } }\n"): typeof import('./graphql.js').BeginTotpDocument;
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation ConfirmTotp($input: TotpCodeInput!) { confirmTotpEnrollment(input: $input) }\n"): typeof import('./graphql.js').ConfirmTotpDocument;
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation DisableTotp { disableTotp }\n"): typeof import('./graphql.js').DisableTotpDocument;
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation RegenerateCodes { regenerateRecoveryCodes }\n"): typeof import('./graphql.js').RegenerateCodesDocument;
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation VerifySecondFactor($input: SecondFactorInput!) {\n    verifySecondFactor(input: $input) { user { id twoFactorEnabled } session { id methods authenticatedAt } }\n  }\n"): typeof import('./graphql.js').VerifySecondFactorDocument;
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query FactorState { me { id twoFactorEnabled } session { id methods authenticatedAt } }\n"): typeof import('./graphql.js').FactorStateDocument;
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation ReauthenticateWithFactor($input: ReauthenticateInput!) {\n    reauthenticate(input: $input) { id authenticatedAt methods }\n  }\n"): typeof import('./graphql.js').ReauthenticateWithFactorDocument;
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation ResetWithFactor($input: ResetPasswordInput!) {\n    resetPassword(input: $input) { user { id } session { id methods } }\n  }\n"): typeof import('./graphql.js').ResetWithFactorDocument;
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation SignInStep($input: SignInInput!) { signIn(input: $input) { session { id methods } } }\n"): typeof import('./graphql.js').SignInStepDocument;
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation BeginPasskeyRegistration { beginPasskeyRegistration { id options } }\n"): typeof import('./graphql.js').BeginPasskeyRegistrationDocument;
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation FinishPasskeyRegistration($input: FinishPasskeyRegistrationInput!) {\n    finishPasskeyRegistration(input: $input) { id name createdAt lastUsedAt }\n  }\n"): typeof import('./graphql.js').FinishPasskeyRegistrationDocument;
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query Passkeys { passkeys { id name createdAt lastUsedAt } me { id twoFactorEnabled } }\n"): typeof import('./graphql.js').PasskeysDocument;
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation RenamePasskey($id: ID!, $name: String!) { renamePasskey(id: $id, name: $name) { id name } }\n"): typeof import('./graphql.js').RenamePasskeyDocument;
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation RemovePasskey($id: ID!) { removePasskey(id: $id) }\n"): typeof import('./graphql.js').RemovePasskeyDocument;
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation BeginPasskeySignIn { beginPasskeySignIn { id options } }\n"): typeof import('./graphql.js').BeginPasskeySignInDocument;
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation BeginPasskeyAssertion($purpose: PasskeyPurpose!, $challenge: String) {\n    beginPasskeyAssertion(purpose: $purpose, challenge: $challenge) { id options }\n  }\n"): typeof import('./graphql.js').BeginPasskeyAssertionDocument;
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation FinishPasskeySignIn($input: PasskeySignInInput!) {\n    finishPasskeySignIn(input: $input) { user { id } session { id methods } }\n  }\n"): typeof import('./graphql.js').FinishPasskeySignInDocument;
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  fragment UserFields on User {\n    id\n    name\n    displayName\n    email\n    createdAt\n    activeSessionCount\n    lastSeenAt\n  }\n"): typeof import('./graphql.js').UserFieldsFragmentDoc;
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  fragment SessionFields on Session {\n    id\n    createdAt\n    lastSeenAt\n    expiresAt\n    keepSignedIn\n    userAgent\n    ip\n    current\n  }\n"): typeof import('./graphql.js').SessionFieldsFragmentDoc;
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  fragment AuthPayloadFields on AuthPayload {\n    user {\n      ...UserFields\n    }\n    session {\n      ...SessionFields\n    }\n  }\n"): typeof import('./graphql.js').AuthPayloadFieldsFragmentDoc;
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation SignUp($input: SignUpInput!) {\n    signUp(input: $input) {\n      ...AuthPayloadFields\n    }\n  }\n"): typeof import('./graphql.js').SignUpDocument;
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation SignIn($input: SignInInput!) {\n    signIn(input: $input) {\n      ...AuthPayloadFields\n    }\n  }\n"): typeof import('./graphql.js').SignInDocument;
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query Me {\n    me {\n      ...UserFields\n    }\n  }\n"): typeof import('./graphql.js').MeDocument;
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query CurrentSession {\n    session {\n      ...SessionFields\n      user {\n        id\n      }\n    }\n  }\n"): typeof import('./graphql.js').CurrentSessionDocument;
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query Sessions {\n    sessions {\n      ...SessionFields\n    }\n  }\n"): typeof import('./graphql.js').SessionsDocument;
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation Logout {\n    logout\n  }\n"): typeof import('./graphql.js').LogoutDocument;
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation RefreshSession {\n    refreshSession {\n      ...SessionFields\n    }\n  }\n"): typeof import('./graphql.js').RefreshSessionDocument;
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation RevokeSession($id: ID!) {\n    revokeSession(id: $id)\n  }\n"): typeof import('./graphql.js').RevokeSessionDocument;
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation RevokeOtherSessions {\n    revokeOtherSessions\n  }\n"): typeof import('./graphql.js').RevokeOtherSessionsDocument;
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation ForgetPassword($input: ForgetPasswordInput!) {\n    forgetPassword(input: $input)\n  }\n"): typeof import('./graphql.js').ForgetPasswordDocument;
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation ResetPassword($input: ResetPasswordInput!) {\n    resetPassword(input: $input) {\n      ...AuthPayloadFields\n    }\n  }\n"): typeof import('./graphql.js').ResetPasswordDocument;
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation ChangePassword($input: ChangePasswordInput!) {\n    changePassword(input: $input) {\n      ...AuthPayloadFields\n    }\n  }\n"): typeof import('./graphql.js').ChangePasswordDocument;
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query MeId {\n    me {\n      id\n    }\n  }\n"): typeof import('./graphql.js').MeIdDocument;
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query MeAndSessionId {\n    me {\n      id\n    }\n    session {\n      id\n    }\n  }\n"): typeof import('./graphql.js').MeAndSessionIdDocument;


export function graphql(source: string) {
  return (documents as any)[source] ?? {};
}
