import { graphql } from '../generated/index.js';

/**
 * The operations the harness sends, typed from schema.graphql by `npm run codegen` (test/generated/).
 * Every field of User and Session is asked for, so a test can assert on any of them.
 */

graphql(`
  fragment UserFields on User {
    id
    name
    displayName
    email
    createdAt
    activeSessionCount
    lastSeenAt
  }
`);

graphql(`
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
`);

graphql(`
  fragment AuthPayloadFields on AuthPayload {
    user {
      ...UserFields
    }
    session {
      ...SessionFields
    }
  }
`);

export const SIGN_UP = graphql(`
  mutation SignUp($input: SignUpInput!) {
    signUp(input: $input) {
      ...AuthPayloadFields
    }
  }
`);

export const SIGN_IN = graphql(`
  mutation SignIn($input: SignInInput!) {
    signIn(input: $input) {
      ...AuthPayloadFields
    }
  }
`);

export const ME = graphql(`
  query Me {
    me {
      ...UserFields
    }
  }
`);

export const CURRENT_SESSION = graphql(`
  query CurrentSession {
    session {
      ...SessionFields
      user {
        id
      }
    }
  }
`);

export const SESSIONS = graphql(`
  query Sessions {
    sessions {
      ...SessionFields
    }
  }
`);

export const LOGOUT = graphql(`
  mutation Logout {
    logout
  }
`);

export const REFRESH_SESSION = graphql(`
  mutation RefreshSession {
    refreshSession {
      ...SessionFields
    }
  }
`);

export const REVOKE_SESSION = graphql(`
  mutation RevokeSession($id: ID!) {
    revokeSession(id: $id)
  }
`);

export const REVOKE_OTHER_SESSIONS = graphql(`
  mutation RevokeOtherSessions {
    revokeOtherSessions
  }
`);

export const FORGET_PASSWORD = graphql(`
  mutation ForgetPassword($input: ForgetPasswordInput!) {
    forgetPassword(input: $input)
  }
`);

export const RESET_PASSWORD = graphql(`
  mutation ResetPassword($input: ResetPasswordInput!) {
    resetPassword(input: $input) {
      ...AuthPayloadFields
    }
  }
`);

export const CHANGE_PASSWORD = graphql(`
  mutation ChangePassword($input: ChangePasswordInput!) {
    changePassword(input: $input) {
      ...AuthPayloadFields
    }
  }
`);

/** Who the request is signed in as, and nothing else. */
export const ME_ID = graphql(`
  query MeId {
    me {
      id
    }
  }
`);

export const ME_AND_SESSION_ID = graphql(`
  query MeAndSessionId {
    me {
      id
    }
    session {
      id
    }
  }
`);
