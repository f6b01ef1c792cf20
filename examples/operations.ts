import { graphql } from './generated/index.js';

/**
 * The operations both example clients send. `graphql()` returns a TypedDocumentNode, so results and
 * variables are typed from schema.graphql by `npm run codegen`, with no hand-written types.
 */

export const SignUp = graphql(`
  mutation SignUp($input: SignUpInput!) {
    signUp(input: $input) {
      user {
        id
        name
        email
      }
      session {
        id
        current
        keepSignedIn
        expiresAt
      }
    }
  }
`);

export const SignIn = graphql(`
  mutation SignIn($input: SignInInput!) {
    signIn(input: $input) {
      user {
        id
        name
      }
      session {
        id
      }
    }
  }
`);

export const Me = graphql(`
  query Me {
    me {
      id
      name
      displayName
      email
      activeSessionCount
    }
  }
`);

export const Sessions = graphql(`
  query Sessions {
    sessions {
      id
      current
      userAgent
      ip
      lastSeenAt
      expiresAt
    }
  }
`);

export const RevokeSession = graphql(`
  mutation RevokeSession($id: ID!) {
    revokeSession(id: $id)
  }
`);

export const Logout = graphql(`
  mutation Logout {
    logout
  }
`);
